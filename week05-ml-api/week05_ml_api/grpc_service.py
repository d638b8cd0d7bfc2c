"""The gRPC transport: the same :class:`PredictionService`, validation and answers as REST.

A ``Flight`` message becomes a dict of the fields that were *sent* (every field is ``optional``
in ``delay.proto``), validated by the REST schema: a bad value is ``INVALID_ARGUMENT`` with the
field/rule text of a REST 422.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent import futures
from typing import Any, TypeVar

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from pydantic import BaseModel, ValidationError

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
    status_of,
)
from week05_ml_api.health import readiness
from week05_ml_api.predictor import PredictionService
from week05_ml_api.schedule import FeatureStore
from week05_ml_api.schemas import FlightFeatures, ScheduledFlight

log = logging.getLogger(__name__)

SERVICE_NAME = "week05.delay.v1.DelayModel"
Model = TypeVar("Model", bound=BaseModel)
Reply = TypeVar("Reply")

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


def flight_to_dict(message: Any) -> dict[str, Any]:
    """The fields of ``message`` that were set, by name (unset ones are left out)."""
    return {
        f.name: getattr(message, f.name)
        for f in message.DESCRIPTOR.fields
        if message.HasField(f.name)
    }


def _validate(messages: list[Any], model: type[Model], prefix: str = "") -> list[Model]:
    """Each message validated by the REST schema ``model``; one :class:`InvalidInput` naming
    every bad field of every message."""
    valid, errors = [], []
    for i, message in enumerate(messages):
        try:
            valid.append(model.model_validate(flight_to_dict(message)))
        except ValidationError as exc:
            for error in exc.errors():
                loc = (prefix, i, *error["loc"]) if prefix else error["loc"]
                errors.append({**error, "loc": loc})
    if errors:
        raise InvalidInput(error_details(errors))
    return valid


def _aborts(method: Callable[..., Reply]) -> Callable[..., Reply]:
    """The RPC ``method``, where a :class:`ServiceError` ends the call with its status and the
    fields at fault."""

    @functools.wraps(method)
    def call(self: Any, request: Any, context: grpc.ServicerContext) -> Reply:
        try:
            return method(self, request, context)
        except ServiceError as exc:
            status = status_of(exc, GRPC_STATUS, grpc.StatusCode.INTERNAL)
            context.abort(status, describe(exc.details) if exc.details else str(exc))
            raise  # unreachable: abort raises

    return call


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

    @_aborts
    def Predict(
        self, request: delay_pb2.PredictRequest, context: grpc.ServicerContext
    ) -> delay_pb2.PredictReply:
        if not request.HasField("flight"):
            raise InvalidInput.about("flight", "missing", "Field required", None)
        answer = self.service.predict_one(_validate([request.flight], FlightFeatures)[0])
        return delay_pb2.PredictReply(**answer.model_dump())

    @_aborts
    def PredictSchedule(
        self, request: delay_pb2.ScheduledFlight, context: grpc.ServicerContext
    ) -> delay_pb2.PredictReply:
        flight = _validate([request], ScheduledFlight)[0]
        answer = self.service.predict_one(self.store.features(flight))
        return delay_pb2.PredictReply(**answer.model_dump())

    @_aborts
    def BatchPredict(
        self, request: delay_pb2.BatchPredictRequest, context: grpc.ServicerContext
    ) -> delay_pb2.BatchPredictReply:
        if not request.flights:
            raise InvalidInput.about("flights", "too_short", "at least 1 flight", [])
        check_batch_size(len(request.flights), self.max_batch)
        flights = _validate(list(request.flights), FlightFeatures, "flights")
        batch = self.service.predict_batch([f.__dict__ for f in flights])
        head: dict[str, Any] = {"model_version": batch.model_version, "threshold": batch.threshold}
        replies = [delay_pb2.PredictReply(**head, **item) for item in batch.items()]
        return delay_pb2.BatchPredictReply(**head, predictions=replies)


def start_server(
    service: PredictionService,
    address: str = "127.0.0.1:0",
    max_batch: int = 1000,
    workers: int = 8,
    database_url: str | None = None,
) -> tuple[grpc.Server, int]:
    """Start a gRPC server on ``address``; returns it and the port it bound (port 0 = free).
    ``database_url``: the online store of ``PredictSchedule`` (default: week 4's setting).
    The standard ``grpc.health.v1`` service says ``SERVING`` once a model is loaded."""
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
    service.store.on_swap.append(lambda *_: set_state(True))  # a model loaded later
    server.start()
    log.info("gRPC listening on %s:%d", address.rsplit(":", 1)[0], port)
    return server, port
