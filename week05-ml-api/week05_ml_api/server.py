"""Run the REST app on a maintained multi-worker server: uvicorn (default), gunicorn with
uvicorn's worker class, or granian.

Each of them starts the worker processes, restarts or stops them, and shares one listening
socket between them; the app itself (:func:`week05_ml_api.app.create_app`) is the same under
all three. Two things need the workers to share state, and both live in one *run folder* that
:func:`prepare_run_dir` empties at each start:

* the deployment marker (:mod:`week05_ml_api.deploy`): a hot reload reaches every worker;
* ``PROMETHEUS_MULTIPROC_DIR`` (:mod:`week05_ml_api.metrics`): one set of metrics.

:func:`server_command` is the command line of each server; ``python -m week05_ml_api serve``
replaces itself with it (``exec``), so the server gets the signals directly (SIGTERM: finish
the requests in flight, then stop). The README's table says why uvicorn is the default.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Literal

from week05_ml_api.metrics import MULTIPROC_ENV

Server = Literal["uvicorn", "gunicorn", "granian"]
SERVERS: tuple[Server, ...] = ("uvicorn", "gunicorn", "granian")
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
    server: Server,
    host: str,
    port: int,
    workers: int,
    access_log: bool = False,
    app: str = APP,
) -> list[str]:
    """The command line that serves ``app`` (an app factory, ``module:function``; default
    this week's) with ``server``. Later weeks serve their composed app the same way."""
    python = sys.executable
    if server == "uvicorn":
        return [
            python, "-m", "uvicorn", app, "--factory",
            "--host", host, "--port", str(port), "--workers", str(workers),
            "--log-level", "warning", "--access-log" if access_log else "--no-access-log",
        ]  # fmt: skip
    if server == "gunicorn":
        command = [
            python, "-m", "gunicorn", f"{app}()",
            "--worker-class", "uvicorn_worker.UvicornWorker",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--log-level", "warning", "--graceful-timeout", "20",
        ]  # fmt: skip
        return [*command, "--access-logfile", "-"] if access_log else command
    if server == "granian":
        command = [
            python, "-m", "granian", app, "--factory", "--interface", "asgi",
            "--host", host, "--port", str(port), "--workers", str(workers),
            "--log-level", "warning", "--respawn-failed-workers",
        ]  # fmt: skip
        return [*command, "--access-log"] if access_log else command
    raise ValueError(f"server must be one of {', '.join(SERVERS)}, got {server!r}")


def exec_server(
    server: Server,
    *,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    run_dir: Path | None = None,
    model_dir: str | Path | None = None,
    access_log: bool = False,
    app: str = APP,
) -> None:
    """Replace this process with ``server`` serving ``app`` (``None``: the WEEK05_* settings):
    the run folder prepared first, the workers pointed at it through the environment."""
    from week05_ml_api.settings import Settings

    if server not in SERVERS:
        raise ValueError(f"server must be one of {', '.join(SERVERS)}, got {server!r}")
    settings = Settings()
    folder = run_dir or settings.run_dir or Path(tempfile.gettempdir()) / f"week05-{os.getpid()}"
    env = prepare_run_dir(folder)
    if model_dir is not None:
        # the workers are separate processes that read their Settings from the environment
        env["WEEK05_MODEL_DIR"] = str(model_dir)
    command = server_command(
        server,
        host or settings.host,
        port or settings.port,
        workers or settings.workers,
        access_log,
        app,
    )
    os.environ.update(env)
    os.execv(command[0], command)  # the server takes this process over, signals included
