"""``POST /predict/schedule``: a flight known only by its schedule (exercise 6).

A passenger knows the carrier, the flight number, the airports and the scheduled departure, not
``past_rate_origin_1d``. The route takes that schedule as a typed body (``ScheduledFlight``),
asks week 4's online store for the rest of the model's features as of the flight's date
(:class:`~week05_ml_api.schedule.FeatureStore`, through the ``FeatureStoreDep`` dependency),
scores them like any other flight and answers with the features it used.

What the store cannot answer it says with the service's own errors (``FeaturesNotFound``,
``UnknownRoute``, ``StoreUnavailable``); the route lets them through, and the app's exception
handlers turn them into a 404 or a 503 with the API's usual bodies. :func:`schedule_router` is
included by :func:`~week05_ml_api.routes.predict.predict_router`, beside ``/predict`` and
``/predict/batch``.
"""

# no `from __future__ import annotations`: FastAPI reads the route's Annotated parameters, made
# in schedule_router, at run time
import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from week05_ml_api.dependencies import Extensions, FeatureStoreDep, RequestLog
from week05_ml_api.predictor import PredictionService
from week05_ml_api.schemas import (
    FieldProblem,
    Problem,
    ScheduledFlight,
    SchedulePrediction,
    Status,
)

#: Every status the route answers besides 200, with its body, for the OpenAPI document.
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "a body that is not JSON text at all"},
    404: {
        "model": FieldProblem,
        "description": "the online store has no features as of that date, or has never "
        "seen the route (and the request gives no distance)",
    },
    422: {"model": FieldProblem, "description": "an invalid schedule: each field and rule"},
    503: {
        "model": Status,
        "description": "no model loaded yet, or the online store cannot be reached",
    },
}


def schedule_router(extensions: Extensions) -> APIRouter:
    """The router of ``POST /predict/schedule``, on the service and the request log that
    ``extensions`` provides (week 13 gives its own); the including router adds the tag."""
    router = APIRouter()
    Service = Annotated[PredictionService, Depends(extensions.service)]
    Log = Annotated[RequestLog, Depends(extensions.request_log)]

    @router.post("/predict/schedule", response_model=SchedulePrediction, responses=RESPONSES)
    async def predict_schedule(
        flight: ScheduledFlight, service: Service, store: FeatureStoreDep, log: Log
    ) -> SchedulePrediction:
        """The schedule only: the online store (week 4) supplies the other features, as of the
        flight's date; the answer shows them."""
        features = await asyncio.to_thread(store.features, flight)  # database reads: off the loop
        answer = service.predict_one(features)
        log.record(
            answer.model_version, answer.threshold, [features.__dict__], [answer.probability]
        )
        return SchedulePrediction(**answer.model_dump(), features=features)

    return router
