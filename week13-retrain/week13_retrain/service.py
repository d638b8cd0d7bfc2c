"""The A/B split, composed into week05's service (not a second service).

``create_ab_app`` is week05's ``create_app`` with week05's extension point
(:class:`~week05_ml_api.app.Extensions`) filled in:

* the prediction routes' service, :func:`get_ab_service`: each request's flight id (header
  ``X-Flight-ID``, e.g. ``2013-09-14/UA/1545/EWR``) picks the arm with
  :func:`~week13_retrain.assign.assign_arm`, and the route predicts with that arm's service.
  The answer's ``model_version`` (week05's body) names the version, the ``X-AB-Arm`` header
  the arm. A request without a flight id goes to the champion (no id, no experiment);
* their request log, :func:`get_ab_request_log`: week05's prediction log line is written as
  before (its ``model_version`` is the arm's), and a line ``{request_id, flight_id, arm,
  model_version}`` goes to ``arms-<pid>.jsonl`` beside it (:func:`read_assignments`);
* a router: ``POST /admin/split`` (week05's bearer token, set from ``WEEK13_ADMIN_TOKEN``):
  the share, and optionally the challenger to load (``models:/<name>@challenger``);
  ``GET /ab`` shows the split.

The champion follows week05's deployment marker as always: after a promotion or a rollback,
``POST /admin/reload`` (no restart). The split follows the same way: the worker that takes
``/admin/split`` publishes ``{share, salt, challenger}`` as week05's
:class:`~week05_ml_api.deploy.SharedState` ``ab-split`` in the server's run folder, and every
worker checks it (one ``stat``) before choosing an arm, loading the published challenger
(its exact registry version) when it is not the one it holds. Requests that a worker answers
while it loads a new challenger go to the champion.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import orjson
import pandas as pd
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from prometheus_client import Counter
from pydantic import BaseModel, Field

from week05_ml_api import dependencies
from week05_ml_api.app import Extensions, create_app
from week05_ml_api.dependencies import AdminDep, RequestLog
from week05_ml_api.deploy import SharedState
from week05_ml_api.predictor import PredictionService
from week05_ml_api.routes.model import ADMIN, LOAD_REFUSED, allowed_source, load_refused
from week05_ml_api.settings import Settings as ServiceSettings
from week06_mlflow.serving import load_source
from week13_retrain.assign import Arm, assign_arm
from week13_retrain.settings import Settings

log = logging.getLogger(__name__)

ARM_HEADER = "X-AB-Arm"
FLIGHT_HEADER = "X-Flight-ID"
#: prediction requests per arm, beside week05's metrics on the same /metrics (the versions
#: are week05's ``week05_predictions_total{model_version}``); summed over the workers in
#: multiprocess mode like every other metric
ARM_REQUESTS = Counter("week13_ab_requests", "prediction requests answered, by A/B arm", ["arm"])


@dataclass
class ABState:
    """The split: the challenger's share, the salt, the challenger's service (or None)."""

    share: float
    salt: str
    challenger: PredictionService | None = None
    shared: SharedState | None = None  # the split every worker follows (a server's run folder)


async def follow_split(ab: ABState) -> None:
    """Take up the split another worker published, loading its challenger if it is new."""
    content = ab.shared.changed() if ab.shared is not None else None
    if content is None:
        return
    ab.share, ab.salt = float(content["share"]), str(content["salt"])
    source = content.get("challenger")
    held = ab.challenger.store.source if ab.challenger is not None else None
    if source and source != held:
        service = PredictionService(cache_size=0, load=load_source)
        try:
            await asyncio.to_thread(service.reload, source)
        except Exception:  # the old challenger (or none) keeps its traffic; the log says why
            log.exception("could not load the published challenger %s", source)
            return
        ab.challenger = service


def publish_split(ab: ABState) -> None:
    """Publish this worker's split for the others (a no-op in a server of one process)."""
    if ab.shared is not None:
        source = ab.challenger.store.source if ab.challenger is not None else None
        ab.shared.publish({"share": ab.share, "salt": ab.salt, "challenger": source})


@dataclass(frozen=True)
class Choice:
    """This request's flight id and arm."""

    flight_id: str
    arm: Arm


async def get_choice(request: Request, response: Response) -> Choice:
    """The request's arm (computed once per request: FastAPI caches a dependency's value)."""
    ab: ABState = request.app.state.ab
    await follow_split(ab)
    flight = request.headers.get(FLIGHT_HEADER, "")
    arm: Arm = "champion"
    if flight and ab.challenger is not None and ab.challenger.store.current is not None:
        arm = assign_arm(flight, ab.share, ab.salt)
    response.headers[ARM_HEADER] = arm
    return Choice(flight, arm)


ChoiceDep = Annotated[Choice, Depends(get_choice)]


async def get_ab_service(request: Request, choice: ChoiceDep) -> PredictionService:
    """Week05's ``get_service``, then the chosen arm's service."""
    champion = await dependencies.get_service(request)
    ab: ABState = request.app.state.ab
    if choice.arm == "challenger" and ab.challenger is not None:
        return ab.challenger
    return champion


class ArmRequestLog(RequestLog):
    """Week05's request log, plus one assignment line per flight answered."""

    def __init__(self, base: RequestLog, choice: Choice) -> None:
        super().__init__(base.log, base.request_id, base.route)
        self.choice = choice

    def record(self, model_version: str, threshold: float, rows: Any, probabilities: Any) -> None:
        super().record(model_version, threshold, rows, probabilities)
        if self.log is not None:
            line = {
                "request_id": self.request_id,
                "flight_id": self.choice.flight_id,
                "arm": self.choice.arm,
                "model_version": model_version,
            }
            path = self.log.folder / f"arms-{os.getpid()}.jsonl"
            with path.open("ab") as file:
                file.write(orjson.dumps(line) + b"\n")


async def get_ab_request_log(request: Request, choice: ChoiceDep) -> RequestLog:
    """Week05's request log with the arm; only the prediction routes ask for it, so the arm
    of every prediction request is counted here."""
    ARM_REQUESTS.labels(choice.arm).inc()
    return ArmRequestLog(await dependencies.get_request_log(request), choice)


def read_assignments(folder: Path) -> pd.DataFrame:
    """Every worker's assignment lines in ``folder``: request_id, flight_id, arm,
    model_version (join with week05's ``read_log`` on ``request_id``)."""
    records = [
        orjson.loads(line)
        for path in sorted(Path(folder).glob("arms-*.jsonl"))
        for line in path.read_bytes().splitlines()
        if line.strip()
    ]
    return pd.DataFrame(records, columns=["request_id", "flight_id", "arm", "model_version"])


class SplitRequest(BaseModel):
    """The challenger's share (0: the test is paused) and, optionally, the model to load and
    a new salt (a test of its own: the flights of the last test's arms are reshuffled)."""

    share: float = Field(ge=0.0, le=1.0)
    challenger: str | None = Field(default=None, examples=["models:/flight-delay@challenger"])
    salt: str | None = Field(default=None, min_length=1, examples=["ab-flight-delay-v2"])


class SplitInfo(BaseModel):
    share: float
    salt: str
    champion_version: str | None
    challenger_version: str | None


router = APIRouter(tags=["ab"])


def _info(request: Request) -> SplitInfo:
    ab: ABState = request.app.state.ab
    champion = request.app.state.service.store.current
    challenger = ab.challenger.store.current if ab.challenger else None
    return SplitInfo(
        share=ab.share,
        salt=ab.salt,
        champion_version=champion.version if champion else None,
        challenger_version=challenger.version if challenger else None,
    )


@router.get("/ab", response_model=SplitInfo)
async def split_info(request: Request) -> SplitInfo:
    """The split and both arms' versions."""
    await follow_split(request.app.state.ab)
    return _info(request)


@router.post(
    "/admin/split",
    response_model=SplitInfo,
    dependencies=[AdminDep],
    responses={**ADMIN, **LOAD_REFUSED},
)
async def set_split(request: Request, body: SplitRequest) -> SplitInfo:
    """Set the challenger's share; load ``challenger`` first when given (off the loop). A
    challenger that does not load is refused as week 5's reload refuses one (404 / 422), and
    the split stays as it was."""
    ab: ABState = request.app.state.ab
    if body.challenger:
        service = ab.challenger or PredictionService(cache_size=0, load=load_source)
        source = allowed_source(body.challenger, "challenger", request.app.state.settings)
        try:
            await asyncio.to_thread(service.reload, source)
        except Exception as exc:
            raise load_refused(exc, "challenger", body.challenger) from exc
        ab.challenger = service
    ab.share = body.share
    if body.salt:
        ab.salt = body.salt
    publish_split(ab)
    return _info(request)


def create_ab_app(service: ServiceSettings, settings: Settings | None = None) -> FastAPI:
    """Week05's app with the A/B split (see the module docstring); the admin token of both
    week05's and week13's admin calls is ``settings.admin_token``."""
    settings = settings or Settings()
    token = settings.admin_token or service.admin_token
    extensions = Extensions(
        routers=[router],
        service=get_ab_service,
        request_log=get_ab_request_log,
        load_model=load_source,
    )
    app = create_app(service.model_copy(update={"admin_token": token}), extensions=extensions)
    shared = SharedState(service.run_dir, "ab-split") if service.run_dir else None
    app.state.ab = ABState(settings.share, settings.salt, shared=shared)
    return app
