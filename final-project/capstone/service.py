"""The composed service: week05's app (REST, validation, the online feature lookup, metrics,
the prediction log, hot reload on every worker) with week13's A/B router. Nothing here but
the composition: every part is the week's own.

``capstone serve`` runs :func:`create_app` on week05's maintained multi-worker server; the
settings are the weeks' own variables (``WEEK05_MODEL_DIR=models:/flight-delay@champion``,
``WEEK05_DATABASE_URL`` or ``DATABASE_URL`` for the online store, ``WEEK05_PREDICTION_LOG``,
``WEEK05_ADMIN_TOKEN``, ``WEEK13_SHARE``, ``MLFLOW_TRACKING_URI``).
"""

from __future__ import annotations

from fastapi import FastAPI

APP = "capstone.service:create_app"


def create_app() -> FastAPI:
    """The app each worker builds (a factory: the server calls it in every worker)."""
    from week05_ml_api.settings import Settings as ServiceSettings
    from week13_retrain.service import create_ab_app
    from week13_retrain.settings import Settings as SplitSettings

    return create_ab_app(ServiceSettings(), SplitSettings())
