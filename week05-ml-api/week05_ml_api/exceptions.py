"""What can go wrong in a prediction, in the service's own words.

The core raises these and knows nothing of HTTP or gRPC; each transport maps them to its codes
in one table at its edge (:data:`week05_ml_api.app.HTTP_STATUS`,
:data:`week05_ml_api.grpc_service.GRPC_STATUS`), read with :func:`status_of`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from week05_ml_api.errors import describe

T = TypeVar("T")


class ServiceError(Exception):
    """Base of the errors a caller can act on; ``str(error)`` is safe to show them, and
    ``details`` (when not ``None``) names the fields at fault in the shape of every 422:
    ``[{"field", "rule", "message", "input"}, ...]``."""

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.details = details

    @classmethod
    def about(cls, field: str, rule: str, message: str, value: Any) -> ServiceError:
        """The error with one detail: ``field`` broke ``rule``."""
        return cls(message, [{"field": field, "rule": rule, "message": message, "input": value}])


def status_of(error: ServiceError, table: Mapping[type[ServiceError], T], default: T) -> T:
    """``table``'s code for ``error``: its class's, else its nearest parent's, else ``default``."""
    return next((table[c] for c in type(error).__mro__ if c in table), default)


class InvalidInput(ServiceError):
    """A request the schema or the model refuses (422 / INVALID_ARGUMENT)."""

    def __init__(self, details: list[dict[str, Any]]) -> None:
        super().__init__(describe(details), details)

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
    """A reload names a model that does not exist (404 / NOT_FOUND)."""


class FeaturesNotFound(ServiceError):
    """The online store has no features as of the flight's date (404 / NOT_FOUND)."""


class UnknownRoute(ServiceError):
    """A route the store has never seen, with no distance in the request (404 / NOT_FOUND)."""


class StoreUnavailable(ServiceError):
    """The online store cannot be reached (503 / UNAVAILABLE)."""
