"""``POST /predict``, ``/predict/batch`` and ``/predict/schedule``.

``/predict`` and ``/predict/schedule`` are plain FastAPI: a typed body, validated by pydantic,
and a typed answer. ``/predict/batch`` reads its body itself, as FastAPI's docs show for a body
the route parses in its own code (the schema is still declared, in ``openapi_extra``): 1,000
flights parsed the generic way cost more than predicting them (see the README's measurements).
The row form is validated by pydantic-core straight from the bytes; the columnar form by
:mod:`week05_ml_api.columnar`, the week's one bytes-level parser. The answer is written by
orjson and returned as a ``Response``: FastAPI does not re-validate 1,000 answers.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from week05_ml_api import columnar, metrics
from week05_ml_api.batch import check_batch_size
from week05_ml_api.dependencies import FeatureStoreDep, RequestLogDep, ServiceDep, SettingsDep
from week05_ml_api.errors import error_details
from week05_ml_api.exceptions import InvalidInput
from week05_ml_api.predictor import rows_of
from week05_ml_api.schemas import (
    BATCH_ROWS,
    BatchPrediction,
    BatchRequest,
    FieldProblem,
    FlightFeatures,
    Prediction,
    Problem,
    ScheduledFlight,
    SchedulePrediction,
    Status,
)

router = APIRouter(prefix="/predict", tags=["predict"])

NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {"model": Status, "description": "no model loaded yet"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "a body that is not JSON text at all"},
    422: {"model": FieldProblem, "description": "invalid flight(s): each field and rule"},
}


def batch_request_body(cap: int) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of ``/predict/batch``: the row form or the columnar form,
    at most ``cap`` flights (the app's ``max_batch``)."""
    rows = BatchRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    rows.pop("$defs", None)  # FlightFeatures is a component already (the body of /predict)
    rows["properties"]["flights"]["maxItems"] = cap
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"oneOf": [rows, columnar.body_schema(cap)]}}
            },
        }
    }


@router.post("", response_model=Prediction, responses={**NOT_READY, **INVALID})
async def predict(flight: FlightFeatures, service: ServiceDep, log: RequestLogDep) -> Prediction:
    """One flight: the probability that it arrives more than 15 minutes late."""
    answer = service.predict_one(flight)
    log.record(answer.model_version, answer.threshold, [flight.__dict__], [answer.probability])
    return answer


@router.post(
    "/batch",
    response_model=BatchPrediction,
    responses={
        **NOT_READY,
        **INVALID,
        413: {"model": Problem, "description": "more flights than the cap"},
    },
    openapi_extra=batch_request_body(1000),  # the app writes its own cap in (create_app)
)
async def predict_batch(
    request: Request, service: ServiceDep, settings: SettingsDep, log: RequestLogDep
) -> Response:
    """Up to ``max_batch`` flights, as ``{"flights": [...]}`` or columnar ``{"columns",
    "data"}``; the answers in request order."""
    body = await request.body()
    # alone in its worker: a large batch may use every core (under load, each keeps to one)
    parallel = settings.parallel_batches and metrics.in_flight() == 1
    if columnar.MARKER in body:
        columns = columnar.parse_columns(body, settings.max_batch)
        if columns is not None:
            result = service.predict_columns(columns.values, columns.size, parallel)
            if log.on:  # rows rebuilt from the columns only when someone reads them
                rows = rows_of(columns.values, columns.size)
                log.record(result.model_version, result.threshold, rows, result.probabilities)
            return Response(result.to_json(), media_type="application/json")
    try:
        flights = BATCH_ROWS.validate_json(body)["flights"]
    except ValidationError as exc:
        raise InvalidInput(error_details(exc.errors(include_url=False))) from exc
    check_batch_size(len(flights), settings.max_batch)
    result = service.predict_batch(flights, parallel)
    log.record(result.model_version, result.threshold, flights, result.probabilities)
    return Response(result.to_json(), media_type="application/json")


@router.post(
    "/schedule",
    response_model=SchedulePrediction,
    responses={
        **NOT_READY,
        **INVALID,
        404: {
            "model": FieldProblem,
            "description": "the online store has no features as of that date, or has never "
            "seen the route (and the request gives no distance)",
        },
    },
)
async def predict_schedule(
    flight: ScheduledFlight, service: ServiceDep, store: FeatureStoreDep, log: RequestLogDep
) -> SchedulePrediction:
    """The schedule only: the online store (week 4) supplies the other features, as of the
    flight's date; the answer shows them."""
    features = await asyncio.to_thread(store.features, flight)  # database reads: off the loop
    answer = service.predict_one(features)
    log.record(answer.model_version, answer.threshold, [features.__dict__], [answer.probability])
    return SchedulePrediction(**answer.model_dump(), features=features)
