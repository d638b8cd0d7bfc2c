"""The REST API: :func:`create_app` builds a FastAPI app around a :class:`PredictionService`.

A later week builds on it with ``create_app(settings, extensions=Extensions(...))``, never with
FastAPI's testing hook ``dependency_overrides`` (README, "Extending the app"). The service's own
errors get their status codes here and only here (:data:`HTTP_STATUS`).
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError

from week05_ml_api import metrics
from week05_ml_api.dependencies import Extensions
from week05_ml_api.errors import error_details
from week05_ml_api.exceptions import (
    BatchTooLarge,
    FeaturesNotFound,
    InvalidInput,
    ModelNotFound,
    ModelNotReady,
    ServiceError,
    StoreUnavailable,
    UnknownRoute,
    status_of,
)
from week05_ml_api.limits import BodyLimit, body_limit
from week05_ml_api.predictor import PredictionService
from week05_ml_api.predlog import PredictionLog
from week05_ml_api.routes import health, model
from week05_ml_api.routes.predict import predict_router
from week05_ml_api.schedule import FeatureStore
from week05_ml_api.schemas import JSONAnswer, Status
from week05_ml_api.settings import Settings

log = logging.getLogger(__name__)

#: The REST status of each of the service's errors (the most specific class wins).
HTTP_STATUS: dict[type[ServiceError], int] = {
    InvalidInput: 422,
    BatchTooLarge: 413,
    ModelNotReady: 503,
    ModelNotFound: 404,
    FeaturesNotFound: 404,
    UnknownRoute: 404,
    StoreUnavailable: 503,
}


def _jsonable(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``details`` as JSON can carry them: an input JSON cannot hold (NaN, bytes that are not
    text...) shown as its ``repr``."""
    safe = []
    for detail in details:
        try:
            encoded = jsonable_encoder(detail)
            json.dumps(encoded, allow_nan=False)
            safe.append(encoded)
        except (TypeError, ValueError, UnicodeDecodeError):
            safe.append({**detail, "input": repr(detail.get("input"))})
    return safe


async def service_error(request: Request, exc: Exception) -> JSONAnswer:
    """Any :class:`ServiceError`, answered with its status and body."""
    assert isinstance(exc, ServiceError)
    code = status_of(exc, HTTP_STATUS, 500)
    if code == 503:  # the same body as /health/ready's: a client or probe reads one shape
        body: Any = Status(status="unavailable", detail=str(exc)).model_dump()
    elif exc.details is not None:
        body = {"detail": _jsonable(exc.details)}
    else:
        body = {"detail": str(exc)}
    return JSONAnswer(status_code=code, content=body)


async def validation_error(request: Request, exc: Exception) -> JSONAnswer:
    """FastAPI's own 422 (a typed body that does not validate), in the API's shape."""
    assert isinstance(exc, RequestValidationError)
    return JSONAnswer(status_code=422, content={"detail": _jsonable(error_details(exc.errors()))})


__all__ = ["HTTP_STATUS", "Extensions", "create_app"]


def create_app(
    settings: Settings | None = None, *, extensions: Extensions | None = None
) -> FastAPI:
    """The app, with what ``extensions`` adds. Its lifespan loads the model eagerly: a failure
    leaves the app up, live but not ready, ``/health/ready`` says why, and the load is tried
    again in the background until it succeeds (:meth:`~week05_ml_api.predictor.ModelStore.heal`)."""
    settings = settings or Settings()
    extensions = extensions or Extensions()
    service = PredictionService(
        settings.cache_size,
        settings.unknown_categories,
        settings.fast_path,
        settings.run_dir,
        extensions.load_model,
    )
    predictions = PredictionLog(settings.prediction_log) if settings.prediction_log else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        metrics.worker_started()
        healing = None
        try:
            await asyncio.to_thread(service.store.start, settings.model_dir)
        except Exception:
            log.exception("no model loaded at start-up: trying again in the background")
            healing = asyncio.create_task(service.store.heal(settings.model_dir))
        # Every object alive now (libraries, the model: ~190,000) out of the garbage collector's
        # sight, once per process: a 1,000-row batch makes enough short-lived objects to start
        # a full collection every few requests, and each walked all of these too (~2 ms per
        # batch on average, p99 spikes of 100 ms). They are never garbage.
        if gc.get_freeze_count() == 0:
            gc.collect()
            gc.freeze()
        yield
        if healing is not None:
            healing.cancel()
        metrics.worker_stopped()
        if predictions is not None:
            predictions.close()

    app = FastAPI(
        title="Flight delay model",
        version="1.0.0",
        description="Probability that a flight from New York arrives more than 15 minutes late.",
        lifespan=lifespan,
        default_response_class=JSONAnswer,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.feature_store = FeatureStore(settings.database_url)
    app.state.prediction_log = predictions
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_middleware(BodyLimit, max_bytes=body_limit(settings.max_batch))
    app.add_middleware(metrics.MetricsMiddleware)
    predict = predict_router(extensions, settings.max_batch)
    for router in (health.router, model.router, predict, *extensions.routers):
        app.include_router(router)
    return app
