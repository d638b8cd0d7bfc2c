"""The live service during a simulation: the composed app on week05's server (uvicorn, real
worker processes, a real socket), driven through its own admin API the way an operator or a
deployment job would drive it, and asked by the day's sampled flights.

The simulation never reaches into the server: a promotion or a rollback is an alias move in
the registry followed by ``POST /admin/reload`` of that exact version (week05's deployment
marker takes every worker to it), an A/B test is ``POST /admin/split`` (week13 publishes the
split to every worker).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from capstone.service import APP
from capstone.traffic import ScheduleCall

HOST = "127.0.0.1"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """One live request: what was asked, what came back, how long it took."""

    flight_id: str
    status: int
    arm: str
    model_version: str
    probability: float
    seconds: float


class LiveService:
    """A running composed service (use :func:`start`); every method is one HTTP call."""

    def __init__(self, base_url: str, token: str, folder: Path) -> None:
        self.base_url, self.folder = base_url, folder
        self.http = httpx.Client(base_url=base_url, timeout=60.0)
        self._admin = {"Authorization": f"Bearer {token}"}

    def reload(self, source: str) -> dict[str, Any]:
        """Every worker to ``source`` (a registry URI of an exact version)."""
        answer = self.http.post("/admin/reload", json={"model_dir": source}, headers=self._admin)
        answer.raise_for_status()
        return dict(answer.json())

    def split(self, share: float, challenger: str | None = None, salt: str | None = None) -> None:
        """The A/B split: ``share`` of the flights to ``challenger`` (0: no test)."""
        body: dict[str, Any] = {"share": share}
        if challenger:
            body["challenger"] = challenger
        if salt:
            body["salt"] = salt
        answer = self.http.post("/admin/split", json=body, headers=self._admin)
        answer.raise_for_status()

    def ask(self, call: ScheduleCall) -> Answer:
        """``POST /predict/schedule`` with the flight's id for the A/B split."""
        began = time.perf_counter()
        try:
            answer = self.http.post(
                "/predict/schedule", json=call.body, headers={"X-Flight-ID": call.flight_id}
            )
        except httpx.TransportError as error:  # counted as not answered; the run goes on
            log.warning("%s: no answer (%s)", call.flight_id, error)
            return Answer(call.flight_id, 0, "", "", float("nan"), time.perf_counter() - began)
        seconds = time.perf_counter() - began
        if answer.status_code != 200:
            log.warning("%s: %s %s", call.flight_id, answer.status_code, answer.text[:200])
        body = answer.json() if answer.status_code == 200 else {}
        return Answer(
            call.flight_id,
            answer.status_code,
            answer.headers.get("X-AB-Arm", ""),
            str(body.get("model_version", "")),
            float(body.get("probability", float("nan"))),
            seconds,
        )

    def metrics(self) -> str:
        """The ``/metrics`` text (every worker's, summed by prometheus_client)."""
        answer = self.http.get("/metrics")
        answer.raise_for_status()
        return answer.text


@contextlib.contextmanager
def start(
    folder: Path,
    *,
    model_uri: str,
    tracking_uri: str,
    database_url: str,
    workers: int = 2,
) -> Iterator[LiveService]:
    """Serve the composed app from ``folder`` (run folder, prediction log, server log) on a
    free port until the block ends; a fresh admin token for this run only."""
    from week05_ml_api.process import free_port, running
    from week05_ml_api.server import prepare_run_dir, server_command

    token = secrets.token_urlsafe(24)
    port = free_port()
    env = prepare_run_dir(folder / "run")
    env.update(
        WEEK05_MODEL_DIR=model_uri,
        WEEK05_ADMIN_TOKEN=token,
        WEEK05_DATABASE_URL=database_url,
        WEEK05_PREDICTION_LOG=str(folder / "predictions"),
        MLFLOW_TRACKING_URI=tracking_uri,
        WEEK13_SHARE="0",
    )
    (folder / "predictions").mkdir(parents=True, exist_ok=True)
    command = server_command(HOST, port, workers, app=APP)
    url = f"http://{HOST}:{port}"
    with running(command, f"{url}/health/ready", env, folder / "server.log"):
        service = LiveService(url, token, folder)
        try:
            yield service
        finally:
            service.http.close()
