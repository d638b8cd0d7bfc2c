"""``POST /predict``, ``/predict/batch`` and ``/predict/schedule``, on the service and the
request log that :class:`~week05_ml_api.dependencies.Extensions` provides.

``/predict`` is plain FastAPI: a typed body and a typed answer; so is ``/predict/schedule``, in
a module of its own (:mod:`week05_ml_api.schedule_route`, exercise 6), included here.
``/predict/batch`` reads its body itself (its two forms still declared, in ``openapi_extra``)
and validates it with pydantic straight from the bytes
(:func:`~week05_ml_api.schemas.parse_batch`): FastAPI's ``json.loads`` first would cost more
than predicting 1,000 flights. Its answer is written by orjson, not validated again.
"""

# no `from __future__ import annotations`: FastAPI reads the routes' Annotated parameters,
# made in predict_router, at run time
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from week05_ml_api.batch import check_batch_size
from week05_ml_api.dependencies import Extensions, RequestLog
from week05_ml_api.errors import error_details
from week05_ml_api.exceptions import InvalidInput
from week05_ml_api.predictor import PredictionService
from week05_ml_api.schedule_route import schedule_router
from week05_ml_api.schemas import (
    FEATURES,
    BatchColumns,
    BatchPrediction,
    BatchRequest,
    FieldProblem,
    FlightFeatures,
    Prediction,
    Problem,
    Status,
    parse_batch,
)

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
    forms = []
    for form, rows in ((BatchRequest, "flights"), (BatchColumns, "data")):
        schema = form.model_json_schema(ref_template="#/components/schemas/{model}")
        schema.pop("$defs", None)  # FlightFeatures is a component already (the body of /predict)
        schema["properties"][rows]["maxItems"] = cap
        forms.append(schema)
    content = {"application/json": {"schema": {"oneOf": forms}}}
    return {"requestBody": {"required": True, "content": content}}


def _named(errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """pydantic's errors, with a columnar cell's position replaced by its feature's name
    (``data[17].distance``, like ``flights[17].distance`` in the row form)."""
    return [
        {**e, "loc": (*e["loc"][:2], FEATURES[e["loc"][2]], *e["loc"][3:])}
        if e["loc"][:1] == ("data",) and len(e["loc"]) > 2
        else e
        for e in errors
    ]


def predict_router(extensions: Extensions, max_batch: int) -> APIRouter:
    """The prediction routes; ``max_batch`` is the app's cap (413 beyond it)."""
    router = APIRouter(tags=["predict"])
    Service = Annotated[PredictionService, Depends(extensions.service)]
    Log = Annotated[RequestLog, Depends(extensions.request_log)]

    @router.post("/predict", response_model=Prediction, responses={**NOT_READY, **INVALID})
    async def predict(flight: FlightFeatures, service: Service, log: Log) -> Prediction:
        """One flight: the probability that it arrives more than 15 minutes late."""
        answer = service.predict_one(flight)
        log.record(answer.model_version, answer.threshold, [flight.__dict__], [answer.probability])
        return answer

    @router.post(
        "/predict/batch",
        response_model=BatchPrediction,
        responses={
            **NOT_READY,
            **INVALID,
            413: {"model": Problem, "description": "more flights than the cap"},
        },
        openapi_extra=batch_request_body(max_batch),
    )
    async def predict_batch(request: Request, service: Service, log: Log) -> Response:
        """Up to ``max_batch`` flights, as ``{"flights": [...]}`` or columnar ``{"columns",
        "data"}``; the answers in request order."""
        try:
            batch = parse_batch(await request.body())
        except ValidationError as exc:
            raise InvalidInput(error_details(_named(exc.errors(include_url=False)))) from exc
        if isinstance(batch, BatchColumns):
            check_batch_size(len(batch.data), max_batch)
            columns = dict(zip(FEATURES, zip(*batch.data, strict=True), strict=True))
            result = service.predict_columns(columns, len(batch.data))
            rows = batch.rows() if log.on else []  # rebuilt only when someone reads them
        else:
            check_batch_size(len(batch.flights), max_batch)
            rows = [flight.__dict__ for flight in batch.flights]
            result = service.predict_batch(rows)
        log.record(result.model_version, result.threshold, rows, result.probabilities)
        return Response(result.to_json(), media_type="application/json")

    # the name is read each time an app is built: `--mine` and the graded checks put the
    # learner's schedule_router in its place
    router.include_router(schedule_router(extensions))
    return router
