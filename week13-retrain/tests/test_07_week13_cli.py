"""The command line (not graded): an expected error is one line naming its cause and the
command that fixes it, exit code 2, no traceback, nothing written; the tables fit 80 columns."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from course.testing import expected_error


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEEK13_", "MLFLOW_"))}
    return subprocess.run(
        [sys.executable, "-m", "week13_retrain", *args],
        cwd=cwd,
        env={**env, "COLUMNS": "80"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    out = (done.stdout + done.stderr).strip()
    assert done.returncode == 2, f"exit code {done.returncode}, expected 2:\n{out}"
    assert "Traceback" not in out, out
    assert len(out.splitlines()) == 1, f"an expected error is one line:\n{out}"
    return out


@pytest.mark.budget(120)
def test_rollback_without_a_registry_says_so_in_one_line(tmp_path):
    out = _one_line_error(_run("rollback", cwd=tmp_path))
    assert "no registry at artifacts/week13/simulation-rolling/mlflow.db" in out, out
    assert "python -m week13_retrain simulate" in out, "the line names the command that fixes it"
    assert not list(tmp_path.iterdir()), "a refused rollback writes nothing (no mlflow.db here)"


@pytest.mark.slow
@pytest.mark.budget(240)
def test_rollback_with_nothing_to_roll_back_says_so_in_one_line(tmp_path):
    from mlflow import MlflowClient

    from week06_mlflow.settings import new_local_store

    uri = new_local_store(tmp_path / "registry")
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    empty = _one_line_error(_run("rollback", "--tracking-uri", uri, cwd=tmp_path))
    assert "no model 'flight-delay'" in empty, empty
    client.create_registered_model("flight-delay")
    (tmp_path / "model").mkdir()
    version = client.create_model_version("flight-delay", source=str(tmp_path / "model"))
    client.set_registered_model_alias("flight-delay", "champion", version.version)
    from week13_retrain.cli import app

    # the same command in-process: the first call above went through a real process already
    args = ["rollback", "--tracking-uri", uri]
    alone = expected_error("week13_retrain", args, cwd=tmp_path, app=app)
    assert "'previous'" in alone and "promotion" in alone, alone


@pytest.mark.budget(120)
@pytest.mark.parametrize(
    "days",
    [
        ["--from", "2014-01-01"],
        ["--from", "2013-03-01"],
        ["--from", "2013-10-01", "--to", "2013-09-01"],
    ],
    ids=["after-2013", "before-the-champion-validates", "backwards"],
)
def test_simulate_refuses_days_it_has_no_data_for(tmp_path, days):
    from week13_retrain.cli import app

    # in-process (the same CourseError as `python -m`, whose one-line printing the rollback
    # checks above go through), without a Python start-up per case
    unset = [k for k in os.environ if k.startswith(("WEEK13_", "MLFLOW_"))]
    out = expected_error("week13_retrain", ["simulate", *days], cwd=tmp_path, unset=unset, app=app)
    assert "--" in out and "fix:" in out, out
    assert not list(tmp_path.iterdir()), "a refused simulation writes nothing"


def test_the_simulation_tables_fit_80_columns(monkeypatch):
    from week13_retrain import cli

    buffer = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=buffer, width=80))
    retrains = pd.DataFrame(
        {
            "day": ["2013-09-22", "2013-10-20"],
            "reason": [
                "drift: drift_share 0.700 >= 0.65; quality: auc_drop 0.121 >= 0.03",
                "schedule: model is 28 days old >= 28",
            ],
            "window": ["2013-07-14..2013-09-07", "2013-08-11..2013-10-05"],
            "valid_auc": [0.7108, 0.7243],
            "champion_valid_auc": [0.7405, 0.7068],
            "version": ["", "2"],
            "decision": ["not admitted", "keep (horizon)"],
            "n_champion": pd.array([None, 19088], dtype="Int64"),
            "n_challenger": pd.array([None, 19090], dtype="Int64"),
            "delta_log_loss": [float("nan"), 0.0139],
            "p_value": [float("nan"), 0.2178],
            "srm_p": [float("nan"), 0.9918],
            "ab_days": pd.array([None, 42], dtype="Int64"),
            "ended": [None, "2013-12-01"],
        }
    )
    months = pd.DataFrame(
        {
            "month": [9, 10],
            "flights": [27010, 28618],
            "policy_auc": [0.7282, 0.6628],
            "policy_log_loss": [0.3495, 0.4321],
            "static_auc": [0.7282, 0.6772],
            "static_log_loss": [0.3495, 0.4252],
            "auc_gain": [0.0, -0.0144],
            "log_loss_gain": [0.0, -0.0069],
        }
    )
    cli.show_results(retrains, months, "rolling")
    text = buffer.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80, text
    assert "…" not in text, f"a cell was cut instead of folded:\n{text}"
    for value in ("19088", "19090", "0.2178", "0.9918", "2013-12-01", "0.7068", "28618", "-0.0069"):
        assert value in text, f"{value} is missing from the tables at 80 columns:\n{text}"
    assert "auc_drop" in text and "keep" in text, f"the text cells wrap, they are kept:\n{text}"
