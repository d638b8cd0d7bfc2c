"""The commands a user types: ``capstone serve`` answers a schedule-only request with its arm
and version and counts both arms in ``/metrics``; ``check-stack`` passes on the shipped files;
``report`` writes the outputs again from a results.json."""

from __future__ import annotations

import json
import shutil
import sys

import pytest
from typer.testing import CliRunner


def test_the_commands_explain_themselves():
    from capstone.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("simulate", "serve", "check-stack", "report"):
        assert command in result.output, f"capstone --help does not list {command}"


def test_check_stack_passes_on_the_shipped_files(monkeypatch):
    from capstone.cli import app
    from course.paths import REPO_ROOT

    monkeypatch.chdir(REPO_ROOT)
    result = CliRunner().invoke(app, ["check-stack"])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_report_writes_the_outputs_again(tmp_path):
    from capstone.cli import app
    from course.paths import REPO_ROOT

    shutil.copy(REPO_ROOT / "final-project" / "results" / "results.json", tmp_path)
    result = CliRunner().invoke(app, ["report", str(tmp_path / "results.json")])
    assert result.exit_code == 0, result.output
    committed = (REPO_ROOT / "final-project" / "results" / "results.md").read_text()
    assert (tmp_path / "results.md").read_text() == committed
    assert len(list((tmp_path / "plots").glob("*.png"))) == 5


@pytest.mark.slow
def test_capstone_serve_answers_with_arm_and_version(production, tmp_path):
    """``capstone serve`` on the short run's registry and store: a 50/50 split, schedule-only
    requests, and /metrics counting both arms."""
    import httpx

    from week05_ml_api.bench import free_port, running

    run, name = production.run, production.settings.model_name
    champion = run.policy.champion.version
    challenger = next(v for v in ("1", "2", "3") if v != champion)
    port = free_port()
    env = {
        "MLFLOW_TRACKING_URI": run.tracking_uri,
        "DATABASE_URL": run.database_url,
        "WEEK05_MODEL_DIR": f"models:/{name}@champion",
        "WEEK05_ADMIN_TOKEN": "check-token",
        "WEEK05_PORT": str(port),
        "WEEK05_RUN_DIR": str(tmp_path / "run"),
    }
    command = [sys.executable, "-m", "capstone", "serve", "--workers", "2"]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/health/ready", env, tmp_path / "serve.log"):
        http = httpx.Client(base_url=url, timeout=30)
        split = http.post(
            "/admin/split",
            json={"share": 0.5, "challenger": f"models:/{name}/{challenger}", "salt": "check"},
            headers={"Authorization": "Bearer check-token"},
        )
        assert split.status_code == 200, split.text
        arms = {}
        for number in range(1, 41):
            answer = http.post(
                "/predict/schedule",
                headers={"X-Flight-ID": f"2013-04-10/UA/{number}/EWR"},
                json={"carrier": "UA", "flight": number, "origin": "EWR", "dest": "ORD",
                      "sched_dep": "2013-04-10T08:00:00-04:00", "tailnum": None},
            )  # fmt: skip
            assert answer.status_code == 200, answer.text
            arm = answer.headers["X-AB-Arm"]
            version = answer.json()["model_version"]
            expected = champion if arm == "champion" else challenger
            assert version == f"{name}/v{expected}", f"{arm} answered with {version}"
            arms[arm] = arms.get(arm, 0) + 1
        assert set(arms) == {"champion", "challenger"}, f"40 flights at 50/50 went to {arms}"
        metrics = http.get("/metrics").text
        for arm, count in arms.items():
            assert f'week13_ab_requests_total{{arm="{arm}"}} {float(count)}' in metrics, (
                f"/metrics should count {count} {arm} requests"
            )
        assert json.loads(http.get("/ab").text)["share"] == 0.5
