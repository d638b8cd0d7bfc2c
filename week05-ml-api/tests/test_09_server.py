"""A real server with two worker processes on 127.0.0.1 (``python -m week05_ml_api serve
--workers 2``, a free port): answers, one set of metrics for both workers, a hot reload that
reaches every worker under load, the OpenAPI document checked by Schemathesis, and the
benchmark's load generator and table (``benchmarks/bench.py``)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from week05_ml_api.metrics import sample_value as metric
from week05_ml_api.process import free_port, wait_until_up

TOKEN = "server-token"


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    run_dir: Path
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def server(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``python -m week05_ml_api serve --workers 2`` in a subprocess."""
    port = free_port()
    folder = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "WEEK05_ADMIN_TOKEN": TOKEN,
        "WEEK05_MAX_BATCH": "100",
        # an empty feature store: /predict/schedule answers 404 (not reached) for every date
        "WEEK05_DATABASE_URL": f"sqlite:///{folder}/store.db",
        "WEEK05_PREDICTION_LOG": str(folder / "log"),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [
        sys.executable, "-m", "week05_ml_api", "serve", "--model-dir", str(model_dir),
        "--port", str(port), "--workers", "2", "--run-dir", str(folder / "run"),
    ]  # fmt: skip
    with (folder / "server.log").open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/health/ready", process, timeout=90)
            yield Server(f"http://127.0.0.1:{port}", port, folder / "run", process)
        finally:
            process.terminate()
            process.wait(timeout=30)


def _fresh(server: Server, method: str, path: str, **kwargs: object) -> httpx.Response:
    """One request on a new connection: the server's workers take new connections in turn,
    so a series of these reaches both."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        return http.request(method, path, **kwargs)  # type: ignore[arg-type]


@pytest.mark.slow
def test_real_server_answers(server, rows):
    with httpx.Client(base_url=server.url, timeout=10) as http:
        assert http.get("/health/live").status_code == 200
        response = http.post("/predict", json=rows[0])
        assert response.status_code == 200
        assert response.json()["model_version"]
        assert http.post("/predict", json={**rows[0], "dep_hour": 30}).status_code == 422
        assert http.get("/openapi.json").status_code == 200


@pytest.mark.slow
def test_metrics_count_both_workers_together(server, rows):
    before = _fresh(server, "GET", "/metrics").text
    for i in range(40):
        assert _fresh(server, "POST", "/predict", json=rows[i]).status_code == 200
    scrapes = [_fresh(server, "GET", "/metrics").text for _ in range(6)]
    pids = {re.sub(r"\D", "", f.stem) for f in (server.run_dir / "metrics").glob("counter_*.db")}
    assert len(pids) >= 2, f"both workers should have counted requests: {pids}"
    counted = {
        metric(text, "week05_requests_total", route="/predict", status="200")
        - metric(before, "week05_requests_total", route="/predict", status="200")
        for text in scrapes
    }
    assert counted == {40.0}, (
        f"every scrape, whichever worker answers it, must count all 40 requests: {counted}"
    )
    assert metric(scrapes[-1], "week05_model_ready") == 1
    from week05_ml_api.predlog import read_log

    log = read_log(server.run_dir.parent / "log")
    logged = log[log["route"] == "/predict"]
    assert len(logged) >= 40 and logged["request_id"].is_unique
    assert len(list((server.run_dir.parent / "log").glob("predictions-*.jsonl"))) == 2, (
        "each worker appends to a log file of its own"
    )


@pytest.mark.slow
def test_a_reload_reaches_every_worker_and_loses_nothing_under_load(
    server, rows, model_dir, other_model_dir
):
    def hammer(offset: int, seconds: float = 4.0) -> tuple[int, list[str]]:
        """Single flights over one keep-alive connection until ``seconds`` have passed."""
        done, failures, deadline = 0, [], time.monotonic() + seconds
        with httpx.Client(base_url=server.url, timeout=30) as http:
            while time.monotonic() < deadline:
                answer = http.post("/predict", json=rows[(offset + done) % 200])
                if answer.status_code != 200:
                    failures.append(f"{answer.status_code}: {answer.text[:200]}")
                done += 1
        return done, failures

    admin = {"Authorization": f"Bearer {TOKEN}"}
    with ThreadPoolExecutor(4) as pool:
        load = [pool.submit(hammer, 50 * i) for i in range(4)]
        with httpx.Client(base_url=server.url, timeout=60, headers=admin) as http:
            for folder in (other_model_dir, model_dir, other_model_dir):
                answer = http.post("/admin/reload", json={"model_dir": str(folder)})
                assert answer.status_code == 200, answer.text
        deployed = answer.json()["model_version"]
        # at once, over new connections: whichever worker answers, it answers with the new model
        served = {_fresh(server, "GET", "/model").json()["model_version"] for _ in range(20)}
        results = [future.result() for future in load]
    failures = [f for _, failed in results for f in failed]
    assert not failures, f"{len(failures)} requests failed during reloads, e.g. {failures[0]}"
    assert sum(done for done, _ in results) > 20
    assert served == {deployed}, f"after the reload returned, workers served {served}"


@pytest.mark.slow
def test_schemathesis_all_checks_pass(server, tmp_path):
    """Schemathesis generates requests from /openapi.json, valid and invalid, and runs all its
    checks against the real server (:func:`course.testing.schemathesis_run`)."""
    from course.testing import schemathesis_run

    done = schemathesis_run(server.url, token=TOKEN, folder=tmp_path)
    assert done.returncode == 0, f"schemathesis found a problem:\n{done.stdout[-6000:]}"
    assert "Tested: 8" in done.stdout and " passed" in done.stdout, done.stdout[-2000:]


def _bench() -> ModuleType:
    """``benchmarks/bench.py``, a script rather than a module of the package."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"
    spec = importlib.util.spec_from_file_location("week05_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_benchmarks_load_generator_against_the_real_server(server, rows):
    bench = _bench()
    for size, path in ((1, "/predict"), (20, "/predict/batch")):
        requests = bench.requests_for("api", server.port, rows, size)
        assert requests[0].startswith(f"POST {path} HTTP/1.1".encode())
        answered, errors, latencies = asyncio.run(bench.load(server.port, requests, 2, 0.5))
        assert answered > 0 and errors == 0 and len(latencies) == answered
    bad = bench.requests_for("api", server.port, [{**rows[0], "dep_hour": 99}], 1)
    assert asyncio.run(bench.load(server.port, bad, 1, 0.2))[1] > 0, "a 422 counts as an error"
    body = bench.requests_for("mlflow", server.port, rows, 3)[0].split(b"\r\n\r\n", 1)[1]
    split = json.loads(body)["dataframe_split"]
    assert len(split["data"]) == 3 and len(split["columns"]) == 30


def test_the_table_reports_medians_and_paired_ratios():
    bench = _bench()

    def runs(per_second: list[int], ms: float) -> list:
        return [(n, 0, [ms] * n) for n in per_second]

    # the second round ran while something else loaded the machine: both sides slowed down
    results = {}
    for scenario in bench.SCENARIOS:
        results["mlflow", scenario] = runs([30, 15, 31], 30.0)
        results["api", scenario] = runs([93, 48, 90], 10.0)
    lines = bench.table(results, duration=1.0).splitlines()
    assert len(lines) == 2 + 3 * len(bench.SCENARIOS)
    assert "| 1 row, c=1 | week05_ml_api | 90 | 90 | 10.0 | 10.0 | 0 |" in lines, "medians"
    assert "**3.1×** (2.9–3.2)" in lines[4], f"median of the rounds' ratios: {lines[4]}"
    assert "| 1000 rows, c=1 | week05_ml_api | 90 | 90,000 |" in lines[9]
