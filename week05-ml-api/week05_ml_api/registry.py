"""Serving a model straight from the MLflow model registry (week 6).

``WEEK05_MODEL_DIR`` takes a week-3 model folder or a registry URI such as
``models:/flight-delay@champion``: the same setting, so promoting a new champion in week 6 and
calling ``POST /admin/reload`` is a deployment. The registered model must carry week 3's
metadata (features, dtypes, threshold, ...) as its MLflow model metadata, which
``week06_mlflow.tracking.log_model`` writes. MLflow is imported only when a URI is used.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

PREFIX = "models:/"
#: Metadata keys the server needs from a registered model.
REQUIRED_METADATA = ("features", "dtypes", "threshold")


def is_registry_uri(source: str | Path) -> bool:
    """True for ``models:/<name>@<alias>`` or ``models:/<name>/<version>``."""
    return str(source).startswith(PREFIX)


def load_registered(uri: str | Path) -> tuple[Pipeline, dict[str, Any], str]:
    """``(pipeline, metadata, version)`` of a registered model.

    ``version`` reads ``<name>/v<N>`` so an answer says which registry version made it.
    Raises ``ValueError`` naming the missing keys when the model was logged without week 3's
    metadata, and MLflow's own exception when the name or alias does not exist.
    """
    import mlflow.sklearn
    from mlflow.models import get_model_info

    text = str(uri)
    info = get_model_info(text)
    metadata = dict(info.metadata or {})
    missing = [key for key in REQUIRED_METADATA if key not in metadata]
    if missing:
        raise ValueError(
            f"{text} has no {missing} in its MLflow metadata: log it with "
            "week06_mlflow.tracking.log_model, which stores week 3's metadata.json there"
        )
    pipeline = mlflow.sklearn.load_model(text)
    version = _registry_version(text)
    log.info("loaded %s (%s) from the registry", text, version)
    return pipeline, metadata, version


def _registry_version(uri: str) -> str:
    """``models:/flight-delay@champion`` -> ``flight-delay/v3`` (the version the alias names)."""
    from mlflow import MlflowClient

    rest = uri.removeprefix(PREFIX)
    if "@" in rest:
        name, alias = rest.split("@", 1)
        number = MlflowClient().get_model_version_by_alias(name, alias).version
    else:
        name, _, number = rest.partition("/")
    return f"{name}/v{number}"
