"""The commands a user types: ``capstone serve`` answers a schedule-only request with its arm
and version and counts both arms in ``/metrics``; ``check-stack`` passes on the shipped files;
``report`` writes the outputs again from a results.json."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from course.testing import expected_error


def test_the_commands_explain_themselves():
    from capstone.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("simulate", "serve", "check-stack", "report"):
        assert command in result.output, f"capstone --help does not list {command}"


def _one_line_error(command: list[str], cwd) -> str:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    out = (done.stdout + done.stderr).strip()
    assert done.returncode == 2, f"exit code {done.returncode}, expected 2:\n{out}"
    assert "Traceback" not in out, out
    assert len(out.splitlines()) == 1, f"an expected error is one line:\n{out}"
    return out


# `python -m capstone`, and what `uv run capstone` runs (the script entry point calls the app)
ENTRY_POINTS = {
    "module": [sys.executable, "-m", "capstone"],
    # the console script uv installs beside the interpreter: what `uv run capstone` runs
    "script": [str(Path(sys.executable).with_name("capstone"))],
}


@pytest.mark.budget(120)
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_a_missing_results_file_is_one_line(tmp_path, entry):
    missing = tmp_path / "run" / "results.json"
    out = _one_line_error([*ENTRY_POINTS[entry], "report", str(missing)], tmp_path)
    assert f"no results at {missing}" in out and "capstone simulate" in out, out
    assert not (tmp_path / "run").exists(), "a refused report writes nothing"


@pytest.mark.budget(120)
@pytest.mark.parametrize(
    "days",
    [
        ["--from", "2013-02-01"],
        ["--to", "2014-01-02"],
        ["--from", "2013-10-01", "--to", "2013-09-01"],
    ],
    ids=["before-the-first-champion", "after-2013", "backwards"],
)
def test_days_without_data_are_one_line(tmp_path, days):
    from capstone.cli import app

    # in-process: the same CourseError as `python -m capstone`, whose one-line printing the
    # missing-results checks above go through, without a Python start-up per case
    out = expected_error("capstone", ["simulate", *days], cwd=tmp_path, app=app)
    assert "fix:" in out, out
    assert not list(tmp_path.iterdir()), "a refused run writes nothing"


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

    from course.testing import schemathesis_run
    from week05_ml_api.process import free_port, running

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
        # last, since it reloads and splits at random: the composed app's contract holds too
        checked = tmp_path / "schemathesis"
        checked.mkdir()
        done = schemathesis_run(url, token="check-token", folder=checked)
        assert done.returncode == 0, f"schemathesis found a problem:\n{done.stdout[-6000:]}"
        assert "Tested: 10" in done.stdout, done.stdout[-2000:]
