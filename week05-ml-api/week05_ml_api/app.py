"""The REST API: ``create_app(settings)`` builds a FastAPI app around a :class:`PredictionService`.

==================  ====================================================================
GET  /health/live   200 while the process answers (liveness)
GET  /health/ready  200 once a model is loaded, else 503 with the reason (readiness)
GET  /model         version, features, threshold, training window of the served model
POST /predict       one flight -> probability, decision, model version
POST /predict/batch up to ``max_batch`` flights (413 beyond), answers in request order
POST /predict/schedule  the schedule only: the online store (week04) supplies the features;
                    404 when it has no features as of that date, 422 for an unknown route
POST /admin/reload  bearer token; loads a model folder and swaps it in atomically
GET  /metrics       Prometheus text (this worker's): predictions, batches on every core,
                    cache hits/misses/hit rate, model version
==================  ====================================================================

A batch is ``{"flights": [{...}, ...]}`` or, columnar, ``{"columns": [...], "data": [[...],
...]}`` (each feature named once: :mod:`week05_ml_api.columnar`), on the same route.

Every 422 has the body ``{"detail": [{"field", "rule", "message", "input"}, ...]}``
(:func:`week05_ml_api.errors.error_details`).
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import FastAPI, Header, HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import TypeAdapter, ValidationError

from week05_ml_api.batch import check_batch_size
from week05_ml_api.columnar import MARKER, parse_columns
from week05_ml_api.errors import error_details
from week05_ml_api.health import readiness
from week05_ml_api.predictor import (
    NotReadyError,
    PredictionService,
    UnknownCategoryError,
)
from week05_ml_api.schedule import FeatureStore
from week05_ml_api.schemas import (
    BATCH_ROWS,
    BatchColumns,
    BatchPrediction,
    BatchRequest,
    FlightFeatures,
    ModelInfo,
    Prediction,
    ReloadRequest,
    ReloadResult,
    ScheduledFlight,
    SchedulePrediction,
    Status,
)
from week05_ml_api.settings import Settings
from week05_ml_api.workers import announce_reload, answering, busy, listen_for_reloads

log = logging.getLogger(__name__)

NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {"model": Status, "description": "no model loaded yet"}
}
#: the batch body's schema, its flights pointing at the FlightFeatures component of /predict
BATCH_SCHEMA = BatchRequest.model_json_schema(ref_template="#/components/schemas/{model}")
BATCH_SCHEMA.pop("$defs", None)
FLIGHT_REF = {"$ref": "#/components/schemas/FlightFeatures"}
#: the columnar batch body's schema (the same flights, each feature named once)
COLUMNS_SCHEMA = BatchColumns.model_json_schema()

M = TypeVar("M")


def _parse(model: type[M] | TypeAdapter[M], body: bytes) -> M:
    """``model`` from a raw JSON body; a ``ValidationError`` becomes FastAPI's 422."""
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_json(body)
        return model.model_validate_json(body)  # type: ignore[attr-defined]
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from exc


def _jsonable(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    safe = []
    for detail in details:
        try:
            encoded = jsonable_encoder(detail)
            json.dumps(encoded, allow_nan=False)  # NaN / Infinity: JSONResponse would fail
            safe.append(encoded)
        except (TypeError, ValueError, UnicodeDecodeError):  # e.g. undecodable bytes as input
            safe.append({**detail, "input": repr(detail.get("input"))})
    return safe


def _detail(field: str, rule: str, exc: Exception, value: str) -> dict[str, str]:
    """One entry of a 4xx ``detail``, in the shape of every 422 of this API."""
    return {"field": field, "rule": rule, "message": str(exc), "input": value}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; its lifespan loads ``settings.model_dir`` eagerly (a failure leaves the app up,
    live but not ready, and ``/health/ready`` says why)."""
    settings = settings or Settings()
    service = PredictionService(
        settings.cache_size, settings.unknown_categories, settings.fast_path
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await asyncio.to_thread(service.store.load, settings.model_dir, settings.fast_path)
        except Exception:
            log.exception("no model loaded at start-up")
        _freeze_startup_objects()
        # with several workers, a reload one of them takes is passed on to this one
        listen_for_reloads(lambda model_dir: service.reload(Path(model_dir)))
        yield

    app = FastAPI(
        title="Flight delay model",
        version="1.0.0",
        description="Probability that a flight from New York arrives more than 15 minutes late.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.settings = settings
    store = FeatureStore(settings.database_url)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            status_code=422, content={"detail": _jsonable(error_details(exc.errors()))}
        )

    @app.exception_handler(UnknownCategoryError)
    async def unknown_category(request: Request, exc: UnknownCategoryError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _jsonable(exc.details)})

    @app.exception_handler(NotReadyError)
    async def not_ready(request: Request, exc: NotReadyError) -> JSONResponse:
        body = Status(status="not ready", detail=str(exc)).model_dump()
        return JSONResponse(status_code=503, content=body)

    @app.get("/health/live", response_model=Status, tags=["health"])
    async def live() -> Status:
        return Status(status="alive")

    @app.get("/health/ready", response_model=Status, tags=["health"], responses=NOT_READY)
    async def ready() -> JSONResponse:
        current = service.store.current
        code, body = readiness(current.version if current else None, service.store.error)
        return JSONResponse(status_code=code, content=body.model_dump())

    @app.get("/model", response_model=ModelInfo, tags=["model"], responses=NOT_READY)
    async def model_info() -> ModelInfo:
        return service.store.require().info()

    @app.post(
        "/predict",
        response_model=Prediction,
        tags=["predict"],
        responses={**NOT_READY, 422: {"description": "invalid flight"}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": FLIGHT_REF}},
            }
        },
    )
    async def predict(request: Request) -> Response:
        # Parsed by pydantic-core from the bytes and answered without re-validating the
        # answer: FastAPI's generic body and response handling costs as much as XGBoost here.
        with answering():  # counted, so that a batch elsewhere knows this core is taken
            flight = _parse(FlightFeatures, await request.body())
            answer = service.predict_one(flight)
        return Response(
            answer.__pydantic_serializer__.to_json(answer), media_type="application/json"
        )

    @app.post(
        "/predict/batch",
        response_model=BatchPrediction,
        tags=["predict"],
        responses={
            **NOT_READY,
            413: {"description": "more flights than the cap"},
            422: {"description": "invalid flight(s)"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"oneOf": [BATCH_SCHEMA, COLUMNS_SCHEMA]}}
                },
            }
        },
    )
    async def predict_batch(request: Request) -> Response:
        # counted from the moment its body starts arriving: requests queued behind this one
        # in the same worker count too, and under load nobody is ever alone
        with answering():
            body = await request.body()
            # alone: no other request is being answered, so a large batch may use every core
            parallel = settings.parallel_batches and busy() == 1
            # The columnar form ({"columns", "data"}): orjson, checked column by column with
            # NumPy and encoded straight into the model's matrix (week05_ml_api.columnar).
            columns = parse_columns(body, settings.max_batch) if MARKER in body else None
            if columns is not None:
                result = service.predict_columns(columns.values, columns.size, parallel)
                return Response(result.to_json(), media_type="application/json")
            # The row form is parsed by pydantic-core straight from the bytes: for 1,000
            # flights ~2.5x faster than FastAPI's json.loads + validation. Same 422s.
            flights = _parse(BATCH_ROWS, body)["flights"]
            check_batch_size(len(flights), settings.max_batch)
            result = service.predict_batch(flights, parallel)
            return Response(result.to_json(), media_type="application/json")

    @app.post(
        "/predict/schedule",
        response_model=SchedulePrediction,
        tags=["predict"],
        responses={
            **NOT_READY,
            404: {"description": "the feature store has no features as of that date"},
            503: {"description": "the feature store cannot be reached"},
            422: {"description": "invalid flight, or a route with no known distance"},
        },
    )
    async def predict_schedule(flight: ScheduledFlight) -> SchedulePrediction:
        import sqlalchemy.exc

        from week04_sql.online import StoreNotReady, UnknownRoute

        try:
            # database reads: off the event loop
            features = await asyncio.to_thread(store.features, flight)
        except StoreNotReady as exc:
            raise HTTPException(
                status_code=404,
                detail=[_detail("sched_dep", "store_reached", exc, flight.sched_dep.isoformat())],
            ) from exc
        except sqlalchemy.exc.OperationalError as exc:
            log.error("feature store unavailable: %s", exc)
            raise HTTPException(status_code=503, detail="the feature store is unavailable") from exc
        except UnknownRoute as exc:
            raise HTTPException(
                status_code=422,
                detail=[_detail("dest", "known_route", exc, f"{flight.origin}-{flight.dest}")],
            ) from exc
        answer = service.predict_one(features)
        return SchedulePrediction(**answer.model_dump(), features=features)

    @app.post(
        "/admin/reload",
        response_model=ReloadResult,
        tags=["admin"],
        responses={
            401: {"description": "missing or wrong token"},
            403: {"description": "admin disabled"},
        },
    )
    async def reload(
        authorization: Annotated[str | None, Header()] = None,
        body: ReloadRequest | None = None,
    ) -> ReloadResult:
        _check_token(settings, authorization)
        folder = Path(body.model_dir) if body and body.model_dir else settings.model_dir
        try:
            # loading takes a while: off the event loop, so requests keep flowing meanwhile
            result = await asyncio.to_thread(service.reload, folder)
        except (OSError, ValueError) as exc:
            raise HTTPException(
                status_code=422,
                detail=[
                    {
                        "field": "model_dir",
                        "rule": "loadable_model",
                        "message": f"{type(exc).__name__}: {exc}",
                        "input": str(folder),
                    }
                ],
            ) from exc
        announce_reload(str(folder))  # the other workers, if any, load it too
        return result

    @app.get("/metrics", response_class=PlainTextResponse, tags=["health"])
    async def metrics() -> str:
        cache = service.cache
        current = service.store.current
        lines = [
            "# TYPE week05_predictions_total counter",
            f"week05_predictions_total {service.predictions}",
            "# TYPE week05_parallel_batches_total counter",
            f"week05_parallel_batches_total {service.parallel_batches}",
            "# TYPE week05_cache_hits_total counter",
            f"week05_cache_hits_total {cache.hits}",
            "# TYPE week05_cache_misses_total counter",
            f"week05_cache_misses_total {cache.misses}",
            "# TYPE week05_cache_hit_rate gauge",
            f"week05_cache_hit_rate {cache.hit_rate:.6f}",
            "# TYPE week05_model_ready gauge",
            f"week05_model_ready {int(current is not None)}",
        ]
        if current is not None:
            lines += [
                "# TYPE week05_model_info gauge",
                f'week05_model_info{{version="{current.version}"}} 1',
            ]
        return "\n".join(lines) + "\n"

    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        # /predict and /predict/batch read raw bodies (see above), so FastAPI does not see
        # FlightFeatures: register it where their requestBody schemas point
        if app.openapi_schema is None:
            schema = generate_openapi()
            schema["components"]["schemas"]["FlightFeatures"] = FlightFeatures.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _freeze_startup_objects() -> None:
    """Move every object alive after start-up (libraries, the model: ~190,000 of them) out of
    the garbage collector's sight, once per process.

    A 1,000-row batch allocates ~40,000 short-lived objects, enough to start a full collection
    every few requests, and each full collection walked all those start-up objects too: ~2 ms
    per batch request on average here, and p99 spikes of 100 ms. They are never garbage (and
    reference counting still frees them if they ever are), so the collector can ignore them.
    """
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


def _check_token(settings: Settings, authorization: str | None) -> None:
    if settings.admin_token is None:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="admin endpoints are disabled: set WEEK05_ADMIN_TOKEN",
        )
    expected = f"Bearer {settings.admin_token.get_secret_value()}"
    # compare_digest: the time taken must not reveal how much of the token was right
    if authorization is None or not secrets.compare_digest(
        authorization.encode(), expected.encode()
    ):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or wrong bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
