"""``python -m week05_ml_api bench``: this server against ``mlflow models serve``, same model.

1. The model folder's Pipeline is saved as an MLflow sklearn model (explicit
   ``pip_requirements``, cloudpickle) into a temporary folder;
2. ``mlflow models serve --env-manager local`` and this API are started on 127.0.0.1 with the
   same number of workers, each on a free port, and awaited until they answer;
3. :func:`week05_ml_api.loadgen.run_load` drives each for a fixed time per scenario
   (single-row and 1,000-row bodies, concurrency 1 and 16), one server at a time, the two
   taking turns, and the whole round is repeated; both get their columnar batch body (mlflow
   ``dataframe_split``, this API ``{"columns", "data"}``);
4. one table: req/s, rows/s, p50, p99 per server and scenario (medians of the repetitions),
   and the ratios.

Why repeat and take turns: on a shared 2-core machine one 10-second run of one server, then
one of the other, gave rows/s ratios anywhere between 2.3x and 3.8x for the same code. Back to
back pairs see the same machine; the median of several pairs is what the table reports, with
the range beside it.

Real flights (22-28 January, never seen by the demo model) make the bodies; each single-row
request carries a different flight, and this server runs with its prediction cache off, so
neither side answers from memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
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

import numpy as np

from week05_ml_api.loadgen import LoadResult, build_request, run_load
from week05_ml_api.server import APP

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

    from week03_ml.artifact import load_model, pinned_requirement

    pipeline, _ = load_model(model_dir)
    requirements = [
        pinned_requirement(name)
        for name in ("mlflow", "scikit-learn", "xgboost", "pandas", "numpy", "cloudpickle")
    ]
    mlflow.sklearn.save_model(
        pipeline, str(out), serialization_format="cloudpickle", pip_requirements=requirements
    )
    return out


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Poll ``url`` until it answers 200; ``RuntimeError`` if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with code {process.returncode} before {url} answered"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def running(
    command: list[str],
    health_url: str,
    env: dict[str, str] | None = None,
    log_file: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command``, wait for ``health_url``, stop the process (and its workers) after."""
    sink = open(log_file, "wb") if log_file else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=sink,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
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


def bodies(
    rows: list[dict[str, Any]], features: list[str], size: int, count: int, kind: str
) -> list[bytes]:
    """``count`` JSON bodies of ``size`` consecutive rows each (wrapping around ``rows``).

    ``kind="api"``: this server's shapes, one flight or the columnar batch body
    (``{"columns", "data"}``); ``kind="api-rows"``: the row batch body (``{"flights": [...]}``);
    ``kind="mlflow"``: ``dataframe_split``.
    """
    from week05_ml_api.schemas import FEATURES

    if kind != "mlflow":  # this API's columnar body has the request schema's column order
        features = list(FEATURES)
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


def measure(
    port: int,
    path: str,
    payloads: list[bytes],
    scenario: Scenario,
    duration: float,
    warm_up: bool = True,
) -> LoadResult:
    requests = [build_request(HOST, port, path, body) for body in payloads]
    if warm_up:  # both servers load lazily imported code on their first requests
        asyncio.run(
            run_load(
                HOST,
                port,
                requests,
                rows_per_request=scenario.rows,
                concurrency=2,
                duration=min(1.0, duration),
            )
        )
    return asyncio.run(
        run_load(
            HOST,
            port,
            requests,
            rows_per_request=scenario.rows,
            concurrency=scenario.concurrency,
            duration=duration,
        )
    )


@dataclass(frozen=True)
class Measured:
    """The repeated runs of one server in one scenario."""

    runs: tuple[LoadResult, ...]

    @property
    def req_per_s(self) -> float:
        """Median over the runs: one run disturbed by another process does not move it."""
        return float(np.median([r.req_per_s for r in self.runs]))

    @property
    def rows_per_s(self) -> float:
        return float(np.median([r.rows_per_s for r in self.runs]))

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    def percentile(self, q: float) -> float:
        """Latency percentile in ms over the requests of all runs."""
        latencies = np.concatenate([r.latencies_ms for r in self.runs])
        return float(np.percentile(latencies, q)) if latencies.size else float("nan")


def paired_ratios(ours: Measured, theirs: Measured) -> list[float]:
    """rows/s ratio of each repetition: runs ``i`` of both servers ran back to back, so
    whatever else the machine did then weighs on both."""
    return [
        a.rows_per_s / b.rows_per_s
        for a, b in zip(ours.runs, theirs.runs, strict=True)
        if b.rows_per_s
    ]


@contextmanager
def _server(
    name: str, model_dir: Path, workers: int, tmp: Path, app: str = APP
) -> Iterator[tuple[int, str, str]]:
    """Start one server; yields ``(port, route or "" for ours, body kind)``."""
    port = free_port()
    if name == "mlflow":
        log.info("exporting the model as an MLflow model")
        model_uri = export_mlflow_model(model_dir, tmp / "mlflow-model")
        command = [
            sys.executable,
            "-m",
            "mlflow",
            "models",
            "serve",
            "-m",
            str(model_uri),
            "--env-manager",
            "local",
            "-h",
            HOST,
            "-p",
            str(port),
            "-w",
            str(workers),
        ]
        health, route, kind, env = f"http://{HOST}:{port}/ping", "/invocations", "mlflow", {}
    else:  # this API on one of the servers it can run on (week05_ml_api.server)
        command = [
            sys.executable,
            "-m",
            "week05_ml_api",
            "serve",
            "--model-dir",
            str(model_dir),
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--server",
            name,
            "--run-dir",
            str(tmp / f"run-{name}"),
            "--app",
            app,
        ]
        health, route, kind = f"http://{HOST}:{port}/health/ready", "", "api"
        env = {"WEEK05_CACHE_SIZE": "0"}  # answer every request from the model
    log.info("starting %s on port %d", name, port)
    with running(command, health, env, tmp / f"{name}.log"):
        yield port, route, kind


def run_benchmark(
    model_dir: Path,
    rows: list[dict[str, Any]],
    features: list[str],
    duration: float = 5.0,
    workers: int = 2,
    repeats: int = 3,
    scenarios: tuple[Scenario, ...] = SCENARIOS,
    servers: tuple[str, ...] = ("mlflow", "uvicorn"),
    app: str = APP,
) -> dict[tuple[str, str], Measured]:
    """Every scenario ``repeats`` times on each server; ``{(server, scenario name): runs}``.

    All servers are up at once (an idle one costs no CPU) and take turns: for each repetition
    and scenario each server runs once, right after the other, the order alternating between
    repetitions, so a slower minute of a shared machine falls on both sides.
    """
    runs: dict[tuple[str, str], list[LoadResult]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="week05-bench-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        started = {
            name: stack.enter_context(_server(name, model_dir, workers, Path(tmp), app))
            for name in servers
        }
        for rep in range(repeats):
            for scenario in scenarios:
                count = 64 if scenario.rows > 1 else 2000
                # rotate the order each round: every server runs first as often as the others
                shift = rep % len(servers)
                order = servers[shift:] + servers[:shift]
                for name in order:
                    port, route, kind = started[name]
                    payloads = bodies(rows, features, scenario.rows, count, kind)
                    path = route or ("/predict" if scenario.rows == 1 else "/predict/batch")
                    result = measure(port, path, payloads, scenario, duration, warm_up=rep == 0)
                    log.info(
                        "run %d/%d %s %s: %.0f req/s, p99 %.1f ms, %d errors",
                        rep + 1,
                        repeats,
                        name,
                        scenario.name,
                        result.req_per_s,
                        result.percentile(99),
                        result.errors,
                    )
                    runs.setdefault((name, scenario.name), []).append(result)
    return {key: Measured(tuple(value)) for key, value in runs.items()}


def model_limit(
    model_dir: Path, rows: list[dict[str, Any]], size: int = 1000, seconds: float = 2.0
) -> float:
    """Rows per second of the model itself on this machine: one thread per core, each making
    the one-thread booster predict a prepared ``size``-row matrix again and again (XGBoost
    releases the GIL), no HTTP, no parsing, no checks: what two workers' predictions could at
    best add up to. A served rows/s divided by this is the share of the machine the serving
    stack leaves to the model."""
    from concurrent.futures import ThreadPoolExecutor

    from week03_ml.artifact import load_model
    from week05_ml_api.fastpath import FastModel, encode_rows, usable_cores

    fast = FastModel.from_pipeline(load_model(model_dir)[0])
    chunk = [rows[i % len(rows)] for i in range(size)]
    matrix = encode_rows(chunk, fast.columns, fast.maps)
    fast.predict_matrix(matrix)  # warm-up

    def predict_for(deadline: float) -> int:
        done = 0
        while time.perf_counter() < deadline:
            fast.predict_matrix(matrix)
            done += size
        return done

    cores = usable_cores()
    began = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        done = sum(pool.map(predict_for, [began + seconds] * cores))
    return done / (time.perf_counter() - began)


def _lower(theirs: float, ours: float) -> str:
    return f"{theirs / ours:.1f}× lower" if ours > 0 and math.isfinite(theirs / ours) else "–"


def markdown_table(
    results: dict[tuple[str, str], Measured], scenarios: tuple[Scenario, ...] = SCENARIOS
) -> str:
    """The README's table: one row per scenario and server (medians of the repetitions, latency
    percentiles over all their requests) and, for each of this API's servers, the ratio to
    mlflow: the median of the repetitions' paired ratios, with their range."""
    servers = list(dict.fromkeys(server for server, _ in results))
    ours = [s for s in servers if s != "mlflow"]
    lines = [
        "| scenario | server | req/s | rows/s | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for scenario in scenarios:
        for server in ["mlflow", *ours]:
            r = results.get((server, scenario.name))
            if r is None:
                continue
            label = "mlflow models serve" if server == "mlflow" else f"week05_ml_api ({server})"
            lines.append(
                f"| {scenario.name} | {label} | {r.req_per_s:,.0f} | "
                f"{r.rows_per_s:,.0f} | {r.percentile(50):.1f} | "
                f"{r.percentile(99):.1f} | {r.errors} |"
            )
        theirs = results.get(("mlflow", scenario.name))
        for server in ours:
            mine = results.get((server, scenario.name))
            ratios = paired_ratios(mine, theirs) if mine and theirs else []
            if not (mine and theirs and ratios):
                continue
            # rows per request are the same on both sides: one ratio for req/s and rows/s
            ratio = float(np.median(ratios))
            spread = f" ({min(ratios):.1f}–{max(ratios):.1f})" if len(ratios) > 1 else ""
            name = "**ratio**" if len(ours) == 1 else f"**{server} ÷ mlflow**"
            lines.append(
                f"| {scenario.name} | {name} | **{ratio:.1f}×** | "
                f"**{ratio:.1f}×**{spread} | "
                f"{_lower(theirs.percentile(50), mine.percentile(50))} | "
                f"{_lower(theirs.percentile(99), mine.percentile(99))} | |"
            )
    return "\n".join(lines)
