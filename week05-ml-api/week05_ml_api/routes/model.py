"""``GET /model`` (what is being served) and ``POST /admin/reload`` (deploy another model
without a restart; every worker follows, :meth:`~week05_ml_api.predictor.ModelStore.follow`)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter

from week05_ml_api.dependencies import AdminDep, ServiceDep, SettingsDep
from week05_ml_api.exceptions import InvalidInput, ModelNotFound
from week05_ml_api.schemas import FieldProblem, ModelInfo, Problem, ReloadRequest, ReloadResult
from week05_ml_api.schemas import Status as StatusBody

router = APIRouter()

NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {"model": StatusBody, "description": "no model loaded yet"}
}


@router.get("/model", response_model=ModelInfo, tags=["model"], responses=NOT_READY)
async def model_info(service: ServiceDep) -> ModelInfo:
    """Version, features, threshold, training window and metrics of the served model."""
    return service.store.require().info()


@router.post(
    "/admin/reload",
    response_model=ReloadResult,
    tags=["admin"],
    dependencies=[AdminDep],
    responses={
        400: {"model": Problem, "description": "a body that is not JSON text at all"},
        401: {"model": Problem, "description": "missing or wrong bearer token"},
        403: {"model": Problem, "description": "admin disabled: no WEEK05_ADMIN_TOKEN"},
        404: {"model": FieldProblem, "description": "no model there (folder or registry)"},
        422: {"model": FieldProblem, "description": "the model is there but does not load"},
    },
)
async def reload(
    service: ServiceDep, settings: SettingsDep, body: ReloadRequest | None = None
) -> ReloadResult:
    """Load ``model_dir`` (default: the configured one), swap it in atomically and publish it
    to the other workers; the old model keeps serving if the new one does not load."""
    source = body.model_dir if body and body.model_dir else str(settings.model_dir)
    try:
        # loading takes a while: off the event loop, so requests keep flowing meanwhile
        return await asyncio.to_thread(service.reload, source)
    except Exception as exc:  # any reason a model does not load: the caller is told which
        message = f"{type(exc).__name__}: {exc}"
        # no folder there, or a loader's LookupError (week 6's: no such model, version or alias)
        if isinstance(exc, FileNotFoundError | NotADirectoryError | LookupError):
            raise ModelNotFound.about("model_dir", "model_found", message, source) from exc
        raise InvalidInput.about("model_dir", "loadable_model", message, source) from exc
