"""Serving the registry: week 5's app, loading ``models:/<name>@<alias>`` as well as folders.

``WEEK05_MODEL_DIR=models:/flight-delay@champion`` with this app is a deployment by alias:
promote a new champion, call ``POST /admin/reload``, and every worker serves it::

    WEEK05_MODEL_DIR=models:/flight-delay@champion WEEK05_ADMIN_TOKEN=change-me \\
        python -m week05_ml_api serve --app week06_mlflow.serving:create_app

:func:`load_source` is the loader week 5's app takes (``Extensions(load_model=...)``); week 13's
A/B service and week 11's monitor load through it too. An alias is resolved to its version
first, so the model and the version the answers name always agree.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from week03_ml.artifact import Model

if TYPE_CHECKING:
    from fastapi import FastAPI

    from week05_ml_api.dependencies import Extensions
    from week05_ml_api.settings import Settings

PREFIX = "models:/"
#: Metadata keys the server needs from a registered model.
REQUIRED_METADATA = ("features", "dtypes", "threshold")


def load_source(source: str) -> tuple[Model, str, str]:
    """``(model, version, pinned)`` of a folder (week 5's ``load_folder``) or of a registry
    URI: its version reads ``<name>/v<N>`` and ``pinned`` is ``models:/<name>/<N>``.

    Raises ``LookupError`` for a name, version or alias the registry does not have, and
    ``ValueError`` naming the missing keys when the model was logged without week 3's metadata.
    """
    from mlflow.exceptions import MlflowException

    from week05_ml_api.predictor import load_folder
    from week06_mlflow.registry import load_registered

    if not source.startswith(PREFIX):
        return load_folder(source)
    try:
        model = load_registered(source)
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_DOES_NOT_EXIST":
            raise
        raise LookupError(f"{source}: {exc.message}") from exc
    missing = [key for key in REQUIRED_METADATA if key not in model.metadata]
    if missing:
        raise ValueError(
            f"{source} has no {missing} in its MLflow metadata: log it with "
            "week06_mlflow.tracking.log_model, which stores week 3's metadata.json there"
        )
    return model, f"{model.name}/v{model.version}", model.uri


def create_app(
    settings: Settings | None = None, *, extensions: Extensions | None = None
) -> FastAPI:
    """Week 5's app (``create_app``) whose model source may be a registry URI."""
    from week05_ml_api.app import create_app as service_app
    from week05_ml_api.dependencies import Extensions

    extensions = replace(extensions or Extensions(), load_model=load_source)
    return service_app(settings, extensions=extensions)
