"""What can go wrong in a prediction, said in the service's own words.

The core (:mod:`~week05_ml_api.predictor`, :mod:`~week05_ml_api.batch`,
:mod:`~week05_ml_api.schedule`) raises these and knows nothing of HTTP or gRPC; each transport
maps them to its status codes in one table at its edge (:data:`week05_ml_api.app.HTTP_STATUS`,
:data:`week05_ml_api.grpc_service.GRPC_STATUS`). An error that names fields carries
``details`` in the shape of every 422: ``[{"field", "rule", "message", "input"}, ...]``.
"""

from __future__ import annotations

from typing import Any

from week05_ml_api.errors import describe


class ServiceError(Exception):
    """Base of the errors a caller can act on; ``str(error)`` is safe to show them, and
    ``details`` (when not ``None``) names the fields at fault."""

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.details = details

    @classmethod
    def about(cls, field: str, rule: str, message: str, value: Any) -> ServiceError:
        """The error with one detail: ``field`` broke ``rule``."""
        return cls(message, [{"field": field, "rule": rule, "message": message, "input": value}])


class InvalidInput(ServiceError):
    """A request the schema or the model refuses (422 / INVALID_ARGUMENT)."""

    def __init__(self, details: list[dict[str, Any]], message: str | None = None) -> None:
        super().__init__(message or describe(details), details)

    @classmethod
    def about(cls, field: str, rule: str, message: str, value: Any) -> InvalidInput:
        return cls([{"field": field, "rule": rule, "message": message, "input": value}])


class UnknownCategory(InvalidInput):
    """A category the model never saw, under the ``reject`` policy."""


class BatchTooLarge(ServiceError):
    """More flights in one request than the cap (413 / RESOURCE_EXHAUSTED)."""

    def __init__(self, size: int, cap: int) -> None:
        super().__init__(
            f"batch of {size} flights exceeds the cap of {cap}: "
            f"split it into requests of at most {cap}"
        )
        self.size, self.cap = size, cap


class ModelNotReady(ServiceError):
    """No model is loaded yet, or the first load failed (503 / UNAVAILABLE)."""


class ModelNotFound(ServiceError):
    """A reload names a model folder or registry entry that does not exist (404)."""


class FeaturesNotFound(ServiceError):
    """The online store has no features as of the flight's date (404 / NOT_FOUND)."""


class UnknownRoute(ServiceError):
    """A route the store has never seen, with no distance in the request (404 / NOT_FOUND)."""


class StoreUnavailable(ServiceError):
    """The online store cannot be reached (503 / UNAVAILABLE)."""
