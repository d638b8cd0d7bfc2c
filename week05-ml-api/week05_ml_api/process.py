"""Run a server as a child process: start it, wait until its health URL answers, stop it and
every process it started (the course's one process helper).

>>> port = free_port()
>>> command = [sys.executable, "-m", "week05_ml_api", "serve", "--port", str(port)]
>>> with running(command, f"http://127.0.0.1:{port}/health/ready", {"WEEK05_WORKERS": "2"}):
...     httpx.post(f"http://127.0.0.1:{port}/predict", json=flight)
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on right now (bind to 0, read it, release it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 120.0
) -> None:
    """Poll ``url`` until it answers 200. ``RuntimeError`` when ``process`` exits first (its
    exit code in the message) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"exited with code {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes], grace: float = 20.0) -> None:
    """SIGTERM to ``process`` and its children (its own session: nothing else), SIGKILL to
    what is still there after ``grace`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _die_with_parent(parent: int) -> None:
    """Run in the child before the command (``preexec_fn``): on Linux, ask the kernel for a
    SIGTERM when the parent dies, however it dies (``PR_SET_PDEATHSIG``; a SIGKILLed run
    cannot run its ``finally``), and exit at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() != parent:  # it died before the request was made
            os._exit(1)


@contextlib.contextmanager
def running(
    command: list[str],
    health_url: str,
    env: Mapping[str, str] | None = None,
    log_file: Path | None = None,
    *,
    timeout: float = 120.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` running (this environment plus ``env``; its output to ``log_file`` or
    nowhere) from the moment ``health_url`` answers 200 to the end of the block, then
    stopped with its children (:func:`stop`), also when the block raises. If this process is
    killed outright, the server gets a SIGTERM from the kernel (:func:`_die_with_parent`) and
    stops its own workers, as uvicorn and ``mlflow server`` do."""
    with open(log_file or os.devnull, "wb") as sink:
        process = subprocess.Popen(
            command,
            env={**os.environ, **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own: stop() reaches its workers
            preexec_fn=functools.partial(_die_with_parent, os.getpid()),
        )
        try:
            wait_until_up(health_url, process, timeout)
            yield process
        finally:
            stop(process)
