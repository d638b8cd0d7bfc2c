"""The gRPC transport: same :class:`PredictionService`, same validation, same answers as REST.

A ``Flight`` message is turned into a dict of the fields that were *sent* (every field is
``optional`` in ``delay.proto``) and validated by the REST schema, so a bad value is
``INVALID_ARGUMENT`` with the same field/rule text a REST 422 carries. The standard
``grpc.health.v1`` service reports ``SERVING`` once a model is loaded.

>>> server, port = start_server(service, "127.0.0.1:0")   # port 0: any free port
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent import futures
from typing import Any, TypeVar

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from pydantic import ValidationError

from week05_ml_api import delay_pb2, delay_pb2_grpc
from week05_ml_api.batch import check_batch_size
from week05_ml_api.errors import describe, error_details
from week05_ml_api.exceptions import (
    BatchTooLarge,
    FeaturesNotFound,
    InvalidInput,
    ModelNotFound,
    ModelNotReady,
    ServiceError,
    StoreUnavailable,
    UnknownRoute,
)
from week05_ml_api.health import readiness
from week05_ml_api.predictor import BatchResult, PredictionService
from week05_ml_api.schedule import FeatureStore
from week05_ml_api.schemas import FlightFeatures, Prediction, ScheduledFlight

log = logging.getLogger(__name__)

SERVICE_NAME = "week05.delay.v1.DelayModel"
T = TypeVar("T")

#: The gRPC status of each of the service's errors (the most specific class wins).
GRPC_STATUS: dict[type[ServiceError], grpc.StatusCode] = {
    InvalidInput: grpc.StatusCode.INVALID_ARGUMENT,
    BatchTooLarge: grpc.StatusCode.RESOURCE_EXHAUSTED,
    ModelNotReady: grpc.StatusCode.UNAVAILABLE,
    ModelNotFound: grpc.StatusCode.NOT_FOUND,
    FeaturesNotFound: grpc.StatusCode.NOT_FOUND,
    UnknownRoute: grpc.StatusCode.NOT_FOUND,
    StoreUnavailable: grpc.StatusCode.UNAVAILABLE,
}


def grpc_status(error: ServiceError) -> grpc.StatusCode:
    """:data:`GRPC_STATUS` of ``error``'s class or its nearest parent (INTERNAL if none)."""
    status = (GRPC_STATUS[c] for c in type(error).__mro__ if c in GRPC_STATUS)
    return next(status, grpc.StatusCode.INTERNAL)


def flight_to_dict(message: delay_pb2.Flight) -> dict[str, Any]:
    """The fields of ``message`` that were set, by name (unset ones are left out)."""
    return {
        f.name: getattr(message, f.name)
        for f in message.DESCRIPTOR.fields
        if message.HasField(f.name)
    }


def _validate(messages: list[Any], prefix: str = "", model: Any = FlightFeatures) -> list[Any]:
    """Each message validated by the REST schema; one :class:`InvalidInput` naming every bad
    field of every message."""
    flights, errors = [], []
    for i, message in enumerate(messages):
        try:
            flights.append(model.model_validate(flight_to_dict(message)))
        except ValidationError as exc:
            for error in exc.errors():
                loc = (prefix, i, *error["loc"]) if prefix else error["loc"]
                errors.append({**error, "loc": loc})
    if errors:
        raise InvalidInput(error_details(errors))
    return flights


def _answer(context: grpc.ServicerContext, work: Callable[[], T]) -> T:
    """``work()``; a :class:`ServiceError` ends the call with its status and its fields."""
    try:
        return work()
    except ServiceError as exc:
        context.abort(grpc_status(exc), describe(exc.details) if exc.details else str(exc))
        raise  # unreachable: abort raises


class DelayModelServicer(delay_pb2_grpc.DelayModelServicer):
    """Predict / BatchPredict / PredictSchedule / Health over a :class:`PredictionService`."""

    def __init__(
        self, service: PredictionService, max_batch: int = 1000, store: FeatureStore | None = None
    ) -> None:
        self.service, self.max_batch, self.store = service, max_batch, store or FeatureStore()

    def Health(
        self, request: delay_pb2.HealthRequest, context: grpc.ServicerContext
    ) -> delay_pb2.HealthReply:
        current = self.service.store.current
        _, status = readiness(current.version if current else None, self.service.store.error)
        return delay_pb2.HealthReply(status=status.status, model_version=status.model_version or "")

    def Predict(
        self, request: delay_pb2.PredictRequest, context: grpc.ServicerContext
    ) -> delay_pb2.PredictReply:
        def work() -> Prediction:
            if not request.HasField("flight"):
                raise InvalidInput.about("flight", "missing", "Field required", None)
            return self.service.predict_one(_validate([request.flight])[0])

        return delay_pb2.PredictReply(**_answer(context, work).model_dump())

    def PredictSchedule(
        self, request: delay_pb2.ScheduledFlight, context: grpc.ServicerContext
    ) -> delay_pb2.PredictReply:
        def work() -> Prediction:
            flight = _validate([request], model=ScheduledFlight)[0]
            return self.service.predict_one(self.store.features(flight))

        return delay_pb2.PredictReply(**_answer(context, work).model_dump())

    def BatchPredict(
        self, request: delay_pb2.BatchPredictRequest, context: grpc.ServicerContext
    ) -> delay_pb2.BatchPredictReply:
        def work() -> BatchResult:
            if not request.flights:
                raise InvalidInput.about("flights", "too_short", "at least 1 flight", [])
            check_batch_size(len(request.flights), self.max_batch)
            flights = _validate(list(request.flights), "flights")
            return self.service.predict_batch([f.__dict__ for f in flights])

        answer = _answer(context, work)
        head: dict[str, Any] = {"model_version": answer.model_version}
        head["threshold"] = answer.threshold
        replies = [delay_pb2.PredictReply(**head, **item) for item in answer.items()]
        return delay_pb2.BatchPredictReply(**head, predictions=replies)


def start_server(
    service: PredictionService,
    address: str = "127.0.0.1:0",
    max_batch: int = 1000,
    workers: int = 8,
    database_url: str | None = None,
) -> tuple[grpc.Server, int]:
    """Start a gRPC server on ``address``; returns it and the port it bound (port 0 = free).
    ``database_url``: the online store of ``PredictSchedule`` (default: week 4's setting)."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
    servicer = DelayModelServicer(service, max_batch, FeatureStore(database_url))
    delay_pb2_grpc.add_DelayModelServicer_to_server(servicer, server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise RuntimeError(f"could not bind gRPC server to {address}")

    def set_state(serving: bool) -> None:
        status = health_pb2.HealthCheckResponse
        for name in ("", SERVICE_NAME):
            health_servicer.set(name, status.SERVING if serving else status.NOT_SERVING)

    set_state(service.store.current is not None)
    service.store.on_swap.append(lambda _: set_state(True))  # a model loaded (or swapped) later
    server.start()
    log.info("gRPC listening on %s:%d", address.rsplit(":", 1)[0], port)
    return server, port
