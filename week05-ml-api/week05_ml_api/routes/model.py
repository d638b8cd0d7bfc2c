"""``GET /model`` (what is being served) and ``POST /admin/reload`` (deploy another model
without a restart; every worker follows, :meth:`~week05_ml_api.predictor.ModelStore.follow`)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from week05_ml_api.dependencies import AdminDep, ServiceDep, SettingsDep
from week05_ml_api.exceptions import InvalidInput, ModelNotFound, ServiceError
from week05_ml_api.schemas import FieldProblem, ModelInfo, Problem, ReloadRequest, ReloadResult
from week05_ml_api.schemas import Status as StatusBody
from week05_ml_api.settings import Settings

router = APIRouter()

#: The answers of an admin route, and of one that loads a model its caller names (week 13's
#: split declares them too).
ADMIN: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "a body that is not JSON text at all"},
    401: {"model": Problem, "description": "missing or wrong bearer token"},
    403: {"model": Problem, "description": "admin disabled: no WEEK05_ADMIN_TOKEN"},
}
LOAD_REFUSED: dict[int | str, dict[str, Any]] = {
    404: {"model": FieldProblem, "description": "no model there (folder or registry)"},
    422: {"model": FieldProblem, "description": "an invalid body, or a model that does not load"},
}

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
    responses={**ADMIN, **LOAD_REFUSED},
)
async def reload(
    service: ServiceDep, settings: SettingsDep, body: ReloadRequest | None = None
) -> ReloadResult:
    """Load ``model_dir`` (default: the configured one), swap it in atomically and publish it
    to the other workers; the old model keeps serving if the new one does not load."""
    given = body.model_dir if body and body.model_dir else None
    source = allowed_source(given, "model_dir", settings) if given else str(settings.model_dir)
    try:
        # loading takes a while: off the event loop, so requests keep flowing meanwhile
        return await asyncio.to_thread(service.reload, source)
    except Exception as exc:  # any reason a model does not load: the caller is told which
        raise load_refused(exc, "model_dir", source) from exc


def allowed_source(given: str, field: str, settings: Settings) -> str:
    """What a caller may ask the service to load (``given``, in the body's ``field``): a URI
    as it is (the app's loader decides: week 5's refuses one by name, week 6's reads the
    registry), or a folder under the model root (``WEEK05_MODEL_ROOT``, default the folder
    that holds ``WEEK05_MODEL_DIR``), symbolic links resolved. Anything else is a 404 (no model
    there that the caller may load) decided before the disk is looked at: the token opens
    loading models, not reading the server's paths, and the answer says nothing about which
    of them exist."""
    if ":/" in given:
        return given
    root = Path(settings.model_root or Path(settings.model_dir).parent).resolve()
    try:
        folder = Path(given).resolve()
    except (OSError, ValueError):  # text no file system can name (a lone surrogate, a NUL)
        folder = None
    if folder is None or not folder.is_relative_to(root):
        message = f"{field} must be a model folder under the model root (WEEK05_MODEL_ROOT)"
        raise ModelNotFound.about(field, "under_model_root", message, given)
    return str(folder)


def load_refused(error: Exception, field: str, source: str) -> ServiceError:
    """Why ``source`` (given in ``field``) did not load, as the service's error: 404 when
    nothing is there (no folder; a loader's ``LookupError``: week 6's for no such model,
    version or alias), else 422 (it is there but does not load)."""
    message = f"{type(error).__name__}: {error}"
    if isinstance(error, FileNotFoundError | NotADirectoryError | LookupError):
        return ModelNotFound.about(field, "model_found", message, source)
    return InvalidInput.about(field, "loadable_model", message, source)
