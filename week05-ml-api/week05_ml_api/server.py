"""Run the REST app on uvicorn's own workers (uvicorn restarts a worker that dies, shares one
socket and stops cleanly on SIGTERM). The workers share one *run folder*: the deployment marker
(:mod:`week05_ml_api.deploy`) and ``PROMETHEUS_MULTIPROC_DIR`` (:mod:`week05_ml_api.metrics`).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from week05_ml_api.metrics import MULTIPROC_ENV

APP = "week05_ml_api.app:create_app"


def prepare_run_dir(run_dir: Path) -> dict[str, str]:
    """Empty ``run_dir`` (a previous run's marker and metrics must not leak into this one) and
    return the environment variables that point the workers at it."""
    if run_dir.exists():
        shutil.rmtree(run_dir)
    metrics_dir = run_dir / "metrics"
    metrics_dir.mkdir(parents=True)
    return {"WEEK05_RUN_DIR": str(run_dir), MULTIPROC_ENV: str(metrics_dir)}


def server_command(
    host: str, port: int, workers: int, access_log: bool = False, app: str = APP
) -> list[str]:
    """The command line that serves ``app`` (an app factory, ``module:function``) on uvicorn's
    workers. Later weeks serve their composed app the same way."""
    return [
        sys.executable, "-m", "uvicorn", app, "--factory",
        "--host", host, "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--access-log" if access_log else "--no-access-log",
    ]  # fmt: skip


def exec_server(
    *,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    run_dir: Path | None = None,
    model_dir: str | Path | None = None,
    access_log: bool = False,
    app: str = APP,
) -> None:
    """Replace this process with the server of ``app`` (``None``: the WEEK05_* settings), so
    that the server gets the signals directly: the run folder prepared first, the workers
    (separate processes, reading their settings from the environment) pointed at it."""
    from week05_ml_api.settings import Settings

    settings = Settings()
    folder = run_dir or settings.run_dir or Path(tempfile.gettempdir()) / f"week05-{os.getpid()}"
    env = prepare_run_dir(folder)
    if model_dir is not None:
        env["WEEK05_MODEL_DIR"] = str(model_dir)
    host, port = host or settings.host, port or settings.port
    command = server_command(host, port, workers or settings.workers, access_log, app)
    os.environ.update(env)
    os.execv(command[0], command)
