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
import pytest

from week05_ml_api.bench import free_port, wait_until_up

TOKEN = "server-token"


@pytest.fixture(scope="module")
def server(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m week05_ml_api serve`` in a subprocess; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "uvicorn.log"
    env = {**os.environ, "WEEK05_ADMIN_TOKEN": TOKEN, "WEEK05_MAX_BATCH": "100"}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "week05_ml_api", "serve", "--model-dir", str(model_dir),
             "--port", str(port)], env=env, stdout=sink, stderr=subprocess.STDOUT)
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
def test_reload_on_a_real_server_under_load_loses_nothing(server, rows, model_dir,
                                                          other_model_dir):
    from week05_ml_api.loadgen import build_request, run_load

    port = int(server.rsplit(":", 1)[1])
    requests = [build_request("127.0.0.1", port, "/predict", json.dumps(r).encode())
                for r in rows[:200]]
    holder: dict[str, object] = {}

    def load() -> None:
        holder["result"] = asyncio.run(run_load("127.0.0.1", port, requests,
                                                rows_per_request=1, concurrency=8,
                                                duration=3.0))

    thread = threading.Thread(target=load)
    thread.start()
    with httpx.Client(base_url=server, timeout=30,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as http:
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
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{server}/openapi.json",
               "--checks", "not_a_server_error", "--max-examples", "10", "--seed", "5",
               "--phases", "examples,coverage,fuzzing", "--workers", "2",
               "--report-dir", str(tmp_path), "-H", f"Authorization: Bearer {TOKEN}"]
    # cwd: schemathesis keeps a cache folder (.schemathesis/) where it runs; not in the repo
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          cwd=tmp_path)
    assert done.returncode == 0, f"schemathesis found a problem:\n{done.stdout[-3000:]}"
    assert "Tested: 7" in done.stdout and " passed" in done.stdout, done.stdout[-2000:]


@pytest.mark.slow
def test_load_generator_and_table_against_the_real_server(server, rows):
    from week05_ml_api.bench import Scenario, bodies, markdown_table, measure

    port = int(server.rsplit(":", 1)[1])
    features = list(rows[0])
    results = {}
    for scenario in (Scenario("1 row, c=1", 1, 1), Scenario("20 rows, c=2", 20, 2)):
        payloads = bodies(rows, features, scenario.rows, 8, "api")
        path = "/predict" if scenario.rows == 1 else "/predict/batch"
        result = measure(port, path, payloads, scenario, duration=0.5)
        assert result.errors == 0 and result.requests > 0
        assert result.rows == result.requests * scenario.rows
        results[("week05", scenario.name)] = result
        results[("mlflow", scenario.name)] = result  # the table's shape, not a comparison
    table = markdown_table(results, (Scenario("1 row, c=1", 1, 1),))
    assert table.count("\n") == 4 and "**1.0×**" in table
    split = json.loads(bodies(rows, features, 3, 1, "mlflow")[0])["dataframe_split"]
    assert split["columns"] == features and len(split["data"]) == 3
