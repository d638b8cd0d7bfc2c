"""What the routes ask FastAPI for, each an ``Annotated`` alias (``service: ServiceDep``), and
:class:`Extensions`, what a later week adds to the app.

The objects live on ``app.state`` (made once per process by ``create_app``). The getters are
``async def`` on purpose: FastAPI runs a plain ``def`` dependency in a thread pool, a hop that
costs more than these one-line lookups.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from week05_ml_api.predictor import Loader, PredictionService, load_folder
from week05_ml_api.predlog import PredictionLog
from week05_ml_api.schedule import FeatureStore
from week05_ml_api.settings import Settings


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_service(request: Request) -> PredictionService:
    """The service, on the model every worker serves: if another worker deployed a new model,
    this worker loads it before answering (:meth:`~week05_ml_api.predictor.ModelStore.follow`)."""
    service: PredictionService = request.app.state.service
    await service.store.follow()
    return service


async def get_feature_store(request: Request) -> FeatureStore:
    store: FeatureStore = request.app.state.feature_store
    return store


@dataclass
class RequestLog:
    """This request's part of the prediction log (a no-op when the log is off)."""

    log: PredictionLog | None
    request_id: str
    route: str

    @property
    def on(self) -> bool:
        return self.log is not None

    def record(
        self,
        model_version: str,
        threshold: float,
        rows: Sequence[Mapping[str, Any]],
        probabilities: Sequence[float],
    ) -> None:
        if self.log is not None:
            self.log.write(
                self.request_id, self.route, model_version, threshold, rows, probabilities
            )


async def get_request_log(request: Request) -> RequestLog:
    """The caller's ``X-Request-ID`` (or a new id) and the route, for the prediction log."""
    log: PredictionLog | None = request.app.state.prediction_log
    request_id = (request.headers.get("x-request-id") or uuid.uuid4().hex) if log else ""
    return RequestLog(log, request_id[:128], request.url.path)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[PredictionService, Depends(get_service)]
FeatureStoreDep = Annotated[FeatureStore, Depends(get_feature_store)]

#: the Authorization: Bearer scheme; auto_error off so that a missing token is our 401
bearer = HTTPBearer(auto_error=False, description="WEEK05_ADMIN_TOKEN")


async def require_admin(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """403 while no admin token is configured (the admin routes are off, not open), 401 for a
    missing or wrong token."""
    if settings.admin_token is None:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="admin endpoints are disabled: set WEEK05_ADMIN_TOKEN",
        )
    expected = settings.admin_token.get_secret_value().encode()
    given = credentials.credentials.encode() if credentials else b""
    # compare_digest: the time taken must not reveal how much of the token was right
    if not secrets.compare_digest(given, expected):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or wrong bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )


AdminDep = Depends(require_admin)


@dataclass(frozen=True)
class Extensions:
    """What a later week adds to :func:`~week05_ml_api.app.create_app`'s app: ``routers`` to
    include; the FastAPI dependencies the prediction routes get their ``service`` and
    ``request_log`` from (a provider usually starts from :func:`get_service` /
    :func:`get_request_log`; health, model and admin routes keep week05's own service, the
    deployed model's); ``load_model``, what turns ``WEEK05_MODEL_DIR`` and a reload's source
    into a model (week 6 passes the registry's)."""

    routers: Sequence[APIRouter] = ()
    service: Callable[..., Awaitable[PredictionService]] = get_service
    request_log: Callable[..., Awaitable[RequestLog]] = get_request_log
    load_model: Loader = load_folder
