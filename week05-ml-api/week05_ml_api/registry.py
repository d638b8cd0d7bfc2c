"""Serving a model straight from the MLflow model registry (week 6).

``WEEK05_MODEL_DIR`` takes a week-3 model folder or a registry URI such as
``models:/flight-delay@champion``: the same setting, so promoting a new champion in week 6 and
calling ``POST /admin/reload`` is a deployment. Loading is week 6's
:func:`week06_mlflow.registry.load_registered` (the course's one registry loader): it resolves
the alias to a version first, so the model and the version an answer names always agree. The
registered model must carry week 3's metadata (features, dtypes, threshold, ...) as its MLflow
model metadata, which ``week06_mlflow.tracking.log_model`` writes. MLflow is imported only
when a URI is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from week06_mlflow.registry import RegisteredModel

PREFIX = "models:/"
#: Metadata keys the server needs from a registered model.
REQUIRED_METADATA = ("features", "dtypes", "threshold")


def is_registry_uri(source: str | Path) -> bool:
    """True for ``models:/<name>@<alias>`` or ``models:/<name>/<version>``."""
    return str(source).startswith(PREFIX)


def load_registered(uri: str | Path) -> RegisteredModel:
    """The registered model ``uri`` names, through week 6's loader.

    Raises ``ValueError`` naming the missing keys when the model was logged without week 3's
    metadata, ``LookupError`` for an alias that points nowhere, and MLflow's own exception
    when the name or version does not exist.
    """
    from week06_mlflow.registry import load_registered as load

    text = str(uri)
    model = load(text)
    missing = [key for key in REQUIRED_METADATA if key not in model.metadata]
    if missing:
        raise ValueError(
            f"{text} has no {missing} in its MLflow metadata: log it with "
            "week06_mlflow.tracking.log_model, which stores week 3's metadata.json there"
        )
    return model
