"""A real ``mlflow server`` on 127.0.0.1, started and stopped from Python (tests, notebooks).

    with mlflow_server(tmp_path) as url:        # http://127.0.0.1:<free port>
        settings = get_settings(mlflow_tracking_uri=url)

It is the same command a team runs on a shared machine::

    mlflow server --host 127.0.0.1 --port 5000 \\
        --backend-store-uri sqlite:///server/mlflow.db --artifacts-destination server/artifacts

Runs and registry live in the SQLite file; artifacts are uploaded *through* the server
(``mlflow-artifacts:/`` URIs), so clients need no access to the server's disk. The server keeps
them in ``root/artifacts`` by default, or wherever ``artifacts`` says: ``s3://bucket/mlflow``
puts them in object storage (week 10), with the endpoint and credentials in ``env``. The process
runs in its own process group and is always terminated (then killed) on exit.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# the course's one process helper (free port, wait until it answers, stop its whole group)
from week05_ml_api.process import free_port, stop, wait_until_up

log = logging.getLogger(__name__)


@dataclass
class ServerProcess:
    """A started server: its URL, process and log file."""

    url: str
    process: subprocess.Popen[bytes]
    log_file: Path

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the server wrote (for error messages)."""
        if not self.log_file.exists():
            return ""
        text = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:])


def server_command(root: Path, port: int, artifacts: str | None = None) -> list[str]:
    """The ``mlflow server`` command line for a store under ``root`` (SQLite); artifacts in
    ``artifacts`` (a folder or a URI such as ``s3://bucket/mlflow``), default ``root/artifacts``."""
    return [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--backend-store-uri",
        f"sqlite:///{(root / 'mlflow.db').resolve()}",
        "--artifacts-destination",
        artifacts or str((root / "artifacts").resolve()),
        "--workers",
        "1",
    ]


def start_server(
    root: Path,
    port: int | None = None,
    artifacts: str | None = None,
    env: Mapping[str, str] | None = None,
) -> ServerProcess:
    """Start ``mlflow server`` for a store under ``root`` in the background; returns at once
    (see :func:`wait_until_healthy`). ``port`` defaults to a free one; ``artifacts`` as in
    :func:`server_command`; ``env`` adds variables to the server's environment (an object
    store's endpoint and credentials)."""
    from week06_mlflow.settings import new_local_store

    root = Path(root)
    if not (root / "mlflow.db").exists():
        # a migrated copy: the server starts ~5 s sooner; experiment 0 uploads via the server
        new_local_store(root, default_artifacts="mlflow-artifacts:/0")
    port = port or free_port()
    log_file = root / "server.log"
    environment = {**os.environ, **(env or {}), "MLFLOW_DISABLE_TELEMETRY": "true"}
    with log_file.open("wb") as sink:
        process = subprocess.Popen(
            server_command(root, port, artifacts),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,
        )  # own group: stop() reaches uvicorn
    log.info("starting mlflow server on port %d (pid %d)", port, process.pid)
    return ServerProcess(f"http://127.0.0.1:{port}", process, log_file)


def wait_until_healthy(server: ServerProcess, timeout: float = 120.0) -> str:
    """Poll ``<url>/health`` until it answers 200; returns the URL. Raises ``RuntimeError``
    with the server's log when it exits first or ``timeout`` seconds pass."""
    try:
        wait_until_up(f"{server.url}/health", server.process, timeout)
    except RuntimeError as exc:
        raise RuntimeError(f"mlflow server {exc}:\n{server.log_tail()}") from None
    return server.url


def stop_server(server: ServerProcess, grace: float = 2.0) -> None:
    """Stop the server's process group (week 5's :func:`~week05_ml_api.process.stop`: SIGTERM,
    then SIGKILL after ``grace`` s; ``mlflow server`` may outlive its uvicorn child)."""
    stop(server.process, grace)
    log.info("stopped mlflow server %s", server.url)


@contextmanager
def mlflow_server(
    root: Path,
    port: int | None = None,
    timeout: float = 120.0,
    artifacts: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """A healthy ``mlflow server`` for a store under ``root`` (artifacts and ``env`` as in
    :func:`start_server`); yields its URL, always stops."""
    server = start_server(root, port, artifacts, env)
    try:
        yield wait_until_healthy(server, timeout)
    finally:
        stop_server(server)
