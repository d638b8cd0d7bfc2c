"""``python -m week05_ml_api bench``: this server against ``mlflow models serve``, same model.

1. The model folder's Pipeline is saved as an MLflow sklearn model (explicit
   ``pip_requirements``, cloudpickle) into a temporary folder;
2. ``mlflow models serve --env-manager local`` and this API are started on 127.0.0.1 with the
   same number of workers, each on a free port, and awaited until they answer;
3. :func:`week05_ml_api.loadgen.run_load` drives each for a fixed time per scenario
   (single-row and 1,000-row bodies, concurrency 1 and 16), one server at a time; both get
   their columnar batch body (mlflow ``dataframe_split``, this API ``{"columns", "data"}``);
4. one table: req/s, rows/s, p50, p99 per server and scenario, and the ratios.

Real flights (22-28 January, never seen by the demo model) make the bodies; each single-row
request carries a different flight, and this server runs with its prediction cache off, so
neither side answers from memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from week05_ml_api.loadgen import LoadResult, build_request, run_load

log = logging.getLogger(__name__)

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Scenario:
    name: str
    rows: int
    concurrency: int


SCENARIOS = (
    Scenario("1 row, c=1", 1, 1),
    Scenario("1 row, c=16", 1, 16),
    Scenario("1000 rows, c=1", 1000, 1),
    Scenario("1000 rows, c=16", 1000, 16),
)


def free_port() -> int:
    """A TCP port nobody listens on right now (bind to 0, read it, release it)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def export_mlflow_model(model_dir: Path, out: Path) -> Path:
    """Save the folder's Pipeline as an MLflow sklearn model in ``out`` (must not exist)."""
    import mlflow.sklearn  # ~6 s to import: only here

    from week03_ml.artifact import load_model

    pipeline, _ = load_model(model_dir)
    from importlib.metadata import version

    requirements = [f"{name}=={version(name)}" for name in
                    ("mlflow", "scikit-learn", "xgboost", "pandas", "numpy", "cloudpickle")]
    mlflow.sklearn.save_model(pipeline, str(out), serialization_format="cloudpickle",
                              pip_requirements=requirements)
    return out


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Poll ``url`` until it answers 200; ``RuntimeError`` if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before {url} "
                               "answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def running(command: list[str], health_url: str, env: dict[str, str] | None = None,
            log_file: Path | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command``, wait for ``health_url``, stop the process (and its workers) after."""
    sink = open(log_file, "wb") if log_file else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=sink,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(health_url, process)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)  # its own session: only this server and its workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        if log_file:
            sink.close()  # type: ignore[union-attr]


def bodies(rows: list[dict[str, Any]], features: list[str], size: int, count: int,
           kind: str) -> list[bytes]:
    """``count`` JSON bodies of ``size`` consecutive rows each (wrapping around ``rows``).

    ``kind="api"``: this server's shapes, one flight or the columnar batch body
    (``{"columns", "data"}``); ``kind="api-rows"``: the row batch body (``{"flights": [...]}``);
    ``kind="mlflow"``: ``dataframe_split``.
    """
    out = []
    for i in range(count):
        start = (i * size) % len(rows)
        chunk = [rows[(start + j) % len(rows)] for j in range(size)]
        split = {"columns": features, "data": [[r[f] for f in features] for r in chunk]}
        if kind == "mlflow":
            payload: Any = {"dataframe_split": split}
        elif size == 1:
            payload = chunk[0]
        else:
            payload = {"flights": chunk} if kind == "api-rows" else split
        out.append(json.dumps(payload).encode())
    return out


def measure(port: int, path: str, payloads: list[bytes], scenario: Scenario,
            duration: float) -> LoadResult:
    requests = [build_request(HOST, port, path, body) for body in payloads]
    # a short warm-up so both servers have loaded lazily imported code before the clock runs
    asyncio.run(run_load(HOST, port, requests, rows_per_request=scenario.rows, concurrency=2,
                         duration=min(1.0, duration)))
    return asyncio.run(run_load(HOST, port, requests, rows_per_request=scenario.rows,
                                concurrency=scenario.concurrency, duration=duration))


def run_benchmark(model_dir: Path, rows: list[dict[str, Any]], features: list[str],
                  duration: float = 10.0, workers: int = 2,
                  scenarios: tuple[Scenario, ...] = SCENARIOS,
                  servers: tuple[str, ...] = ("mlflow", "week05")
                  ) -> dict[tuple[str, str], LoadResult]:
    """Run every scenario against each server; ``{(server, scenario name): result}``."""
    results: dict[tuple[str, str], LoadResult] = {}
    with tempfile.TemporaryDirectory(prefix="week05-bench-") as tmp:
        for server in servers:
            port = free_port()
            if server == "mlflow":
                log.info("exporting the model as an MLflow model")
                model_uri = export_mlflow_model(model_dir, Path(tmp) / "mlflow-model")
                command = [sys.executable, "-m", "mlflow", "models", "serve", "-m",
                           str(model_uri), "--env-manager", "local", "-h", HOST, "-p",
                           str(port), "-w", str(workers)]
                health, path, kind, env = f"http://{HOST}:{port}/ping", "/invocations", \
                    "mlflow", {}
            else:
                command = [sys.executable, "-m", "week05_ml_api", "serve", "--model-dir",
                           str(model_dir), "--port", str(port), "--workers", str(workers)]
                health, path, kind = f"http://{HOST}:{port}/health/ready", "", "api"
                env = {"WEEK05_CACHE_SIZE": "0"}
            log.info("starting %s on port %d", server, port)
            with running(command, health, env, Path(tmp) / f"{server}.log"):
                for scenario in scenarios:
                    count = 64 if scenario.rows > 1 else 2000
                    payloads = bodies(rows, features, scenario.rows, count, kind)
                    route = path or ("/predict" if scenario.rows == 1 else "/predict/batch")
                    result = measure(port, route, payloads, scenario, duration)
                    log.info("%s %s: %.0f req/s, p99 %.1f ms, %d errors", server,
                             scenario.name, result.req_per_s, result.percentile(99),
                             result.errors)
                    results[(server, scenario.name)] = result
    return results


def markdown_table(results: dict[tuple[str, str], LoadResult],
                   scenarios: tuple[Scenario, ...] = SCENARIOS) -> str:
    """The README's table: one row per scenario, both servers side by side, and the ratios."""
    lines = [
        "| scenario | server | req/s | rows/s | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for scenario in scenarios:
        for server in ("mlflow", "week05"):
            r = results.get((server, scenario.name))
            if r is None:
                continue
            label = "mlflow models serve" if server == "mlflow" else "week05_ml_api"
            lines.append(f"| {scenario.name} | {label} | {r.req_per_s:,.0f} | "
                         f"{r.rows_per_s:,.0f} | {r.percentile(50):.1f} | "
                         f"{r.percentile(99):.1f} | {r.errors} |")
        ours, theirs = (results.get((s, scenario.name)) for s in ("week05", "mlflow"))
        if ours and theirs and theirs.req_per_s and ours.percentile(99):
            lines.append(f"| {scenario.name} | **ratio** | "
                         f"**{ours.req_per_s / theirs.req_per_s:.1f}×** | "
                         f"**{ours.rows_per_s / theirs.rows_per_s:.1f}×** | "
                         f"{theirs.percentile(50) / ours.percentile(50):.1f}× lower | "
                         f"{theirs.percentile(99) / ours.percentile(99):.1f}× lower | |")
    return "\n".join(lines)
