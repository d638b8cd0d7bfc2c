"""A real uvicorn server on 127.0.0.1 (a free port): smoke check, schemathesis, load + reload."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from week05_ml_api.bench import free_port, wait_until_up
from week05_ml_api.loadgen import LoadResult

TOKEN = "server-token"


@pytest.fixture(scope="module")
def server(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m week05_ml_api serve`` in a subprocess; yields its base URL."""
    port = free_port()
    folder = tmp_path_factory.mktemp("server")
    log = folder / "uvicorn.log"
    env = {
        **os.environ,
        "WEEK05_ADMIN_TOKEN": TOKEN,
        "WEEK05_MAX_BATCH": "100",
        # an empty feature store: /predict/schedule answers 404 (not reached) for every date
        "WEEK05_DATABASE_URL": f"sqlite:///{folder}/store.db",
    }
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "week05_ml_api",
                "serve",
                "--model-dir",
                str(model_dir),
                "--port",
                str(port),
            ],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/health/ready", process, timeout=60)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.mark.slow
def test_real_server_answers(server, rows):
    with httpx.Client(base_url=server, timeout=10) as http:
        assert http.get("/health/live").status_code == 200
        response = http.post("/predict", json=rows[0])
        assert response.status_code == 200
        assert response.json()["model_version"]
        assert http.post("/predict", json={**rows[0], "dep_hour": 30}).status_code == 422
        assert http.get("/openapi.json").status_code == 200


@pytest.mark.slow
def test_reload_on_a_real_server_under_load_loses_nothing(server, rows, model_dir, other_model_dir):
    from week05_ml_api.loadgen import build_request, run_load

    port = int(server.rsplit(":", 1)[1])
    requests = [
        build_request("127.0.0.1", port, "/predict", json.dumps(r).encode()) for r in rows[:200]
    ]
    holder: dict[str, object] = {}

    def load() -> None:
        holder["result"] = asyncio.run(
            run_load("127.0.0.1", port, requests, rows_per_request=1, concurrency=8, duration=3.0)
        )

    thread = threading.Thread(target=load)
    thread.start()
    with httpx.Client(
        base_url=server, timeout=30, headers={"Authorization": f"Bearer {TOKEN}"}
    ) as http:
        for folder in (other_model_dir, model_dir, other_model_dir, model_dir):
            answer = http.post("/admin/reload", json={"model_dir": str(folder)})
            assert answer.status_code == 200, answer.text
    thread.join()
    result = holder["result"]
    assert result.errors == 0, f"{result.errors} requests failed during reloads"
    assert result.requests > 20


@pytest.mark.slow
def test_schemathesis_finds_no_server_error(server, tmp_path):
    """Schemathesis generates requests from /openapi.json (valid and invalid, few of each) and
    fails on any 5xx. Its CLI is used: its pytest plugin does not run under this pytest."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{server}/openapi.json",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        "10",
        "--seed",
        "5",
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "2",
        "--report-dir",
        str(tmp_path),
        "-H",
        f"Authorization: Bearer {TOKEN}",
    ]
    # cwd: schemathesis keeps a cache folder (.schemathesis/) where it runs; not in the repo
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
    )
    assert done.returncode == 0, f"schemathesis found a problem:\n{done.stdout[-3000:]}"
    assert "Tested: 8" in done.stdout and " passed" in done.stdout, done.stdout[-2000:]


@pytest.mark.slow
def test_load_generator_and_table_against_the_real_server(server, rows):
    from week05_ml_api.bench import Measured, Scenario, bodies, markdown_table, measure

    port = int(server.rsplit(":", 1)[1])
    features = list(rows[0])
    results = {}
    for scenario in (Scenario("1 row, c=1", 1, 1), Scenario("20 rows, c=2", 20, 2)):
        payloads = bodies(rows, features, scenario.rows, 8, "api")
        path = "/predict" if scenario.rows == 1 else "/predict/batch"
        result = measure(port, path, payloads, scenario, duration=0.5)
        assert result.errors == 0 and result.requests > 0
        assert result.rows == result.requests * scenario.rows
        results[("week05", scenario.name)] = Measured((result,))
        results[("mlflow", scenario.name)] = Measured((result,))  # the shape, not a comparison
    table = markdown_table(results, (Scenario("1 row, c=1", 1, 1),))
    assert table.count("\n") == 4 and "**1.0×**" in table
    split = json.loads(bodies(rows, features, 3, 1, "mlflow")[0])["dataframe_split"]
    assert split["columns"] == features and len(split["data"]) == 3


def _run(req_per_s: float, latencies: list[float], rows: int = 1000) -> LoadResult:
    return LoadResult(
        int(req_per_s), 0, int(req_per_s) * rows, 1.0, np.array(latencies, dtype=np.float64)
    )


def test_repeated_runs_report_medians_and_paired_ratios():
    from week05_ml_api.bench import Measured, Scenario, markdown_table, paired_ratios

    # the second round ran while something else loaded the machine: both sides slowed down
    theirs = Measured((_run(30, [30.0]), _run(15, [60.0]), _run(31, [29.0])))
    ours = Measured((_run(93, [10.0]), _run(48, [20.0]), _run(90, [11.0])))
    assert ours.req_per_s == 90 and theirs.req_per_s == 30, "medians, not means"
    assert paired_ratios(ours, theirs) == pytest.approx([3.1, 3.2, 90 / 31])
    assert ours.percentile(100) == 20.0, "percentiles pool the requests of every run"
    scenario = Scenario("1000 rows, c=1", 1000, 1)
    table = markdown_table(
        {("week05", scenario.name): ours, ("mlflow", scenario.name): theirs}, (scenario,)
    )
    ratio_row = table.splitlines()[-1]
    assert "**3.1×** (2.9–3.2)" in ratio_row, ratio_row


LINUX_ONLY = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="SO_REUSEPORT balancing is Linux's"
)


def _start_two_workers(model_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WEEK05_ADMIN_TOKEN": TOKEN}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "week05_ml_api",
            "serve",
            "--model-dir",
            str(model_dir),
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_up(f"http://127.0.0.1:{port}/health/ready", process, timeout=60)
    return process


def _listeners(port: int) -> set[int | None]:
    import psutil

    return {
        c.pid
        for c in psutil.net_connections("tcp")
        if c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN
    }


@pytest.mark.slow
@LINUX_ONLY
def test_two_workers_have_sockets_of_their_own_reload_together_and_stop_together(
    model_dir: Path, other_model_dir: Path
):
    import psutil

    from week05_ml_api.workers import check_port_free

    port = free_port()
    process = _start_two_workers(model_dir, port)
    try:
        for _ in range(100):  # the second worker may still be loading its model
            if len(_listeners(port)) == 2:
                break
            threading.Event().wait(0.1)
        workers = {child.pid for child in psutil.Process(process.pid).children(recursive=True)}
        assert _listeners(port) <= workers and len(_listeners(port)) == 2, (
            "each worker should listen on a SO_REUSEPORT socket of its own"
        )
        with pytest.raises(OSError):
            check_port_free("127.0.0.1", port)  # a second server must not join this port

        url = f"http://127.0.0.1:{port}"
        old = httpx.get(f"{url}/model").json()["model_version"]
        answer = httpx.post(
            f"{url}/admin/reload",
            json={"model_dir": str(other_model_dir)},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        new = answer.json()["model_version"]
        assert new != old
        seen: list[str] = []
        for _ in range(50):  # the other worker loads the model on its own thread
            # a new connection each time: the kernel picks a worker per connection, so 20
            # answers come from both workers (all from one: 1 chance in 2**19)
            seen = [httpx.get(f"{url}/model").json()["model_version"] for _ in range(20)]
            if set(seen) == {new}:
                break
            threading.Event().wait(0.2)
        assert set(seen) == {new}, f"a worker still serves the old model: {sorted(set(seen))}"
    finally:
        process.terminate()
        code = process.wait(timeout=30)
    assert code == 0, "SIGTERM to the parent is a clean stop"
    left = [pid for pid in workers if psutil.pid_exists(pid)]
    # multiprocessing's resource tracker, a helper of the parent, leaves a moment after it
    _, alive = psutil.wait_procs([psutil.Process(pid) for pid in left], timeout=10)
    assert not alive, f"processes outlived their parent: {[p.cmdline() for p in alive]}"


@pytest.mark.slow
@LINUX_ONLY
def test_a_crashed_worker_stops_the_server_instead_of_serving_at_half_strength(model_dir: Path):
    import psutil

    process = _start_two_workers(model_dir, free_port())
    try:
        victim = next(
            c
            for c in psutil.Process(process.pid).children()
            if any(conn.status == psutil.CONN_LISTEN for conn in c.net_connections())
        )
        victim.kill()
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 1, "a worker that dies must take the server down (its supervisor restarts it)"


@pytest.mark.slow
@LINUX_ONLY
def test_port_0_is_one_port_for_all_workers_and_they_die_with_their_supervisor(model_dir: Path):
    import psutil

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "week05_ml_api",
            "serve",
            "--model-dir",
            str(model_dir),
            "--port",
            "0",
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        sockets: list[tuple[int | None, int]] = []
        for _ in range(300):  # the workers listen as soon as they start
            children = psutil.Process(process.pid).children()
            sockets = [
                (c.pid, conn.laddr.port)
                for c in children
                for conn in c.net_connections("tcp")
                if conn.status == psutil.CONN_LISTEN
            ]
            if len(sockets) == 2:
                break
            threading.Event().wait(0.1)
        assert len(sockets) == 2 and len({port for _, port in sockets}) == 1, (
            f"port 0 must become one free port shared by the workers, got {sockets}"
        )
        workers = [psutil.Process(pid) for pid, _ in sockets]
        process.kill()  # the supervisor dies without a word to its workers
        process.wait(timeout=10)
        _, alive = psutil.wait_procs(workers, timeout=30)
        assert not alive, "workers must not serve on as orphans of a killed supervisor"
    finally:
        if process.poll() is None:
            process.kill()


def test_the_table_survives_a_server_that_answered_almost_nothing():
    from week05_ml_api.bench import Measured, Scenario, markdown_table

    theirs = Measured((_run(0, []), _run(0, []), _run(10, [5.0])))  # median 0 req/s
    ours = Measured((_run(90, [10.0]), _run(80, [11.0]), _run(95, [9.0])))
    scenario = Scenario("1000 rows, c=1", 1000, 1)
    table = markdown_table(
        {("week05", scenario.name): ours, ("mlflow", scenario.name): theirs}, (scenario,)
    )
    assert "**9.5×**" in table.splitlines()[-1], table  # the one round both answered
