"""Week 5's API against ``mlflow models serve``: same model, same machine, same worker count.

    uv run python week05-ml-api/benchmarks/bench.py --model-dir artifacts/week03
    uv run python week05-ml-api/benchmarks/bench.py --app capstone.service:create_app

1. The model folder's Pipeline is saved as an MLflow sklearn model in a temporary folder;
2. ``mlflow models serve --env-manager local`` and this API (uvicorn's workers, prediction
   cache off) start on 127.0.0.1 with ``--workers`` each, and stay up side by side;
3. for each scenario (one flight or 1,000, concurrency 1 or 16) the servers take turns, one
   run each, and the whole round is repeated, the order rotating: a shared machine's slower
   minute falls on both sides of a pair;
4. one markdown table: medians over the rounds, latency percentiles over all their requests,
   and the ratio to mlflow: the median of the rounds' paired ratios, with their range.

Each request carries different real flights (22-28 January); both servers get the columnar
batch body (mlflow's ``dataframe_split``, this API's ``{"columns", "data"}``). The load
generator is closed-loop: each connection sends a pre-built request and waits for the whole
answer. It writes the request bytes itself and parses the answers with httptools (uvicorn's
own HTTP parser): on two cores the client shares the CPU with the servers, and httpx costs
several times more CPU per request than the server does (README, appendix).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httptools
import numpy as np

from week03_ml.artifact import MODEL_FILE, load_model, pinned_requirement
from week05_ml_api.fastpath import FastModel, encode_rows
from week05_ml_api.process import HOST, free_port, running
from week05_ml_api.sample import demo_flights, demo_model, request_rows, scoring_flights
from week05_ml_api.schemas import FEATURES

SCENARIOS = {"1 row, c=1": (1, 1), "1 row, c=16": (1, 16), "1000 rows, c=1": (1000, 1)}
SCENARIOS["1000 rows, c=16"] = (1000, 16)
Run = tuple[int, int, list[float]]  # requests answered 200, errors, latencies in ms


class _Connection(asyncio.Protocol):
    """One keep-alive connection: :meth:`send` a request, get the answer's status code."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.answer: asyncio.Future[int] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: Any = transport

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_message_complete(self) -> None:  # called by the parser
        assert self.answer is not None
        self.answer.set_result(self.parser.get_status_code())

    async def send(self, request: bytes) -> int:
        self.answer = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.answer


async def load(port: int, requests: list[bytes], concurrency: int, seconds: float) -> Run:
    """``concurrency`` connections sending ``requests`` (cycled) for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(start: int) -> None:
        nonlocal errors
        _, connection = await asyncio.get_running_loop().create_connection(_Connection, HOST, port)
        i = start
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            if await connection.send(requests[i % len(requests)]) == 200:
                latencies.append((time.perf_counter() - began) * 1000)
            else:
                errors += 1
            i += 1
        connection.transport.close()

    await asyncio.gather(*(client(97 * c) for c in range(concurrency)))
    return len(latencies), errors, latencies


def requests_for(server: str, port: int, rows: list[dict[str, Any]], size: int) -> list[bytes]:
    """Pre-built HTTP requests of ``size`` consecutive flights each, in ``server``'s shape."""
    path = "/invocations" if server == "mlflow" else "/predict/batch" if size > 1 else "/predict"
    out = []
    for start in range(0, 64 * size if size > 1 else 2000, size):
        chunk = [rows[(start + j) % len(rows)] for j in range(size)]
        split = {"columns": list(FEATURES), "data": [[r[f] for f in FEATURES] for r in chunk]}
        payload = {"dataframe_split": split} if server == "mlflow" else split
        body = json.dumps(payload if size > 1 or server == "mlflow" else chunk[0]).encode()
        head = f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        out.append(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return out


def start(stack: contextlib.ExitStack, server: str, model_dir: Path, args: Any) -> int:
    """Start ``server`` (``mlflow`` or ``api``) in ``stack``; its port."""
    port, tmp = free_port(), Path(stack.enter_context(tempfile.TemporaryDirectory()))
    if server == "mlflow":
        import mlflow.sklearn  # ~6 s to import: only here

        packages = ("mlflow", "scikit-learn", "xgboost", "pandas", "numpy", "cloudpickle")
        mlflow.sklearn.save_model(
            load_model(model_dir)[0],
            str(tmp / "model"),
            serialization_format="cloudpickle",
            pip_requirements=[pinned_requirement(name) for name in packages],
        )
        command = ["mlflow", "models", "serve", "-m", str(tmp / "model"), "--env-manager"]
        command += ["local", "-h", HOST, "-p", str(port), "-w", str(args.workers)]
        health, env = f"http://{HOST}:{port}/ping", {}
    else:
        command = ["week05_ml_api", "serve", "--model-dir", str(model_dir), "--app", args.app]
        command += ["--port", str(port), "--workers", str(args.workers), "--run-dir", f"{tmp}/run"]
        health, env = f"http://{HOST}:{port}/health/ready", {"WEEK05_CACHE_SIZE": "0"}
    stack.enter_context(running([sys.executable, "-m", *command], health, env, tmp / "log"))
    return port


def model_limit(model_dir: Path, rows: list[dict[str, Any]], seconds: float = 2.0) -> float:
    """Rows/s of the booster alone on prepared 1,000-row matrices, one thread per core (it
    releases the GIL): what the workers' predictions could add up to at best."""
    fast = FastModel.from_pipeline(load_model(model_dir)[0])
    matrix = encode_rows([rows[i % len(rows)] for i in range(1000)], fast.columns, fast.maps)

    def predict(deadline: float) -> int:
        done = 0
        while time.perf_counter() < deadline:
            done += len(fast.predict_matrix(matrix))
        return done

    cores, began = len(os.sched_getaffinity(0)), time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        done = sum(pool.map(predict, [began + seconds] * cores))
    return done / (time.perf_counter() - began)


def table(runs: dict[tuple[str, str], list[Run]], duration: float) -> str:
    """The markdown table: a row per scenario and server, then the paired ratio."""
    lines = ["| scenario | server | req/s | rows/s | p50 ms | p99 ms | errors |"]
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    for scenario, (size, _) in SCENARIOS.items():
        rates = {}
        for server in ("mlflow", "api"):
            done = runs[server, scenario]
            rates[server] = [answered / duration for answered, _, _ in done]
            ms = np.concatenate([np.asarray(r[2]) for r in done])
            p50, p99 = np.percentile(ms, [50, 99]) if ms.size else (np.nan, np.nan)
            name = "mlflow models serve" if server == "mlflow" else "week05_ml_api"
            rate = float(np.median(rates[server]))
            errors = sum(r[1] for r in done)
            lines.append(
                f"| {scenario} | {name} | {rate:,.0f} | {rate * size:,.0f} | {p50:.1f} | "
                f"{p99:.1f} | {errors} |"
            )
        # rounds i of both servers ran back to back: one ratio per round, the median reported
        ratios = [a / b for a, b in zip(rates["api"], rates["mlflow"], strict=True) if b]
        if ratios:
            ratio, low, high = np.median(ratios), min(ratios), max(ratios)
            lines.append(
                f"| {scenario} | **ratio** | **{ratio:.1f}×** | **{ratio:.1f}×** "
                f"({low:.1f}–{high:.1f}) | | | |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model-dir", type=Path, default=Path("artifacts/week03"))
    parser.add_argument("--app", default="week05_ml_api.app:create_app", help="module:factory")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of each server")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--repeats", type=int, default=3, help="rounds (the table: medians)")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args()
    model_dir = args.model_dir
    if not (model_dir / MODEL_FILE).exists():
        print(f"no model in {model_dir}: the demo model (40 trees, 1-21 January)")
        model_dir = demo_model()
    rows = request_rows(scoring_flights(demo_flights()))
    runs: dict[tuple[str, str], list[Run]] = {}
    began = time.perf_counter()
    with contextlib.ExitStack() as stack:
        ports = {server: start(stack, server, model_dir, args) for server in ("mlflow", "api")}
        for rep in range(args.repeats):
            for scenario, (size, concurrency) in SCENARIOS.items():
                for server in ("mlflow", "api")[:: 1 if rep % 2 == 0 else -1]:
                    requests = requests_for(server, ports[server], rows, size)
                    if rep == 0:  # both servers import code lazily on their first requests
                        asyncio.run(load(ports[server], requests, 2, 1.0))
                    run = asyncio.run(load(ports[server], requests, concurrency, args.duration))
                    runs.setdefault((server, scenario), []).append(run)
                    rate = run[0] / args.duration
                    print(f"round {rep + 1}, {scenario}, {server}: {rate:,.0f} req/s", flush=True)
    limit = model_limit(model_dir, rows)
    best = max(np.median([r[0] for r in runs["api", s]]) for s in SCENARIOS if "1000" in s)
    best *= 1000 / args.duration
    text = table(runs, args.duration) + (
        f"\n\nThe booster alone on prepared 1,000-row matrices, one thread per core, no HTTP:"
        f" {limit:,.0f} rows/s; the best served batch rate above is {best / limit:.0%} of it.\n"
        f"{args.workers} workers each; {args.repeats} rounds of {args.duration:g} s per scenario"
        f" and server; {time.perf_counter() - began:.0f} s in all; app {args.app}."
    )
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
