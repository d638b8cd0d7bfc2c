"""The CLI: ``python -m week06_mlflow --help`` explains itself, ``show`` reads a store, and an
expected problem is one line with the command that fixes it (exit code 2), never a traceback."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from course.cli_support import CourseError
from course.testing import expected_error
from week06_mlflow.cli import app, parse_ints

runner = CliRunner()


@pytest.fixture(autouse=True)
def _quiet_cli(monkeypatch):
    """The CLI configures logging for a terminal; in checks, pytest's capture stays in place."""
    import week06_mlflow.cli as cli

    monkeypatch.setattr(cli, "_logging", lambda: None)


@pytest.mark.parametrize("command", ["train", "search", "promote", "show"])
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "--tracking-uri" in result.output


def test_parse_ints():
    assert parse_ints("1,2,5-7", "days") == [1, 2, 5, 6, 7]
    assert parse_ints("", "days") is None


@pytest.mark.slow
def test_show_lists_versions_and_runs(tracked, store):
    from week06_mlflow.registry import register

    register(tracked.model_uri, "flight-delay-cli")
    result = runner.invoke(
        app,
        [
            "show",
            "--tracking-uri",
            store.mlflow_tracking_uri,
            "--experiment",
            store.mlflow_experiment_name,
            "--name",
            "flight-delay-cli",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "challenger" in result.output
    assert tracked.run_id[:8] in result.output


def test_bad_days_are_named():
    result = runner.invoke(app, ["train", "--days", "1-x", "--tracking-uri", "sqlite:///:memory:"])
    assert result.exit_code != 0


@pytest.fixture
def cli_store(store, flights, monkeypatch):
    """The CLI on the session store, with the small window instead of the whole year."""
    import week06_mlflow.data as data

    monkeypatch.setattr(data, "load_flights", lambda months=None, days=None: flights)
    # artifacts in the temporary store too, not in ./mlartifacts of the current folder
    monkeypatch.setenv("MLFLOW_ARTIFACT_ROOT", str(store.mlflow_artifact_root))
    return [
        "--tracking-uri",
        store.mlflow_tracking_uri,
        "--experiment",
        "week06-cli",
        "--name",
        "flight-delay-cli-flow",
    ]


WINDOW = ["--valid-start", "2013-03-01", "--test-start", "2013-04-01", "--n-estimators", "10"]


@pytest.mark.slow
def test_train_search_promote_show(cli_store):
    result = runner.invoke(app, ["promote", *cli_store])
    assert isinstance(result.exception, CourseError), result.output
    assert "nothing to promote" in str(result.exception) and result.exception.fix
    result = runner.invoke(app, ["train", *WINDOW, *cli_store])
    assert result.exit_code == 0, result.output
    assert "@challenger" in result.output
    result = runner.invoke(app, ["promote", "--who", "cli-check", *cli_store])
    assert result.exit_code == 0, result.output
    assert "promoted" in result.output and "no champion yet" in result.output
    result = runner.invoke(
        app, ["search", "--max-depth", "2,3", "--learning-rate", "0.3", *WINDOW, *cli_store]
    )
    assert result.exit_code == 0, result.output
    assert "best child" in result.output
    result = runner.invoke(app, ["promote", "--margin", "0.5", *cli_store])
    assert result.exit_code == 0, result.output
    assert "refused" in result.output, "a gain of 0.5 ROC-AUC is impossible: must be refused"
    result = runner.invoke(app, ["show", "--runs", "0", *cli_store])
    assert result.exit_code == 0, result.output
    assert "champion" in result.output and "refused" in result.output


@pytest.mark.budget(120)
@pytest.mark.parametrize(
    ("args", "cause"),
    [
        pytest.param(["promote"], "no MLflow store at", id="no-store-yet"),
        pytest.param(
            ["show", "--tracking-uri", "sqlite:///missing/mlflow.db"],
            "no MLflow store at",
            id="show-missing-store",
        ),
        pytest.param(
            ["promote", "--tracking-uri", "http://127.0.0.1:9"],
            "no MLflow tracking server",
            id="no-server",
        ),
        pytest.param(
            ["train", "--valid-start", "2014-01-01"], "date of 2013", id="date-outside-2013"
        ),
        pytest.param(["search", "--months", "13"], "--months must lie in 1-12", id="month-13"),
    ],
)
def test_expected_errors_are_one_line(request, tmp_path, args, cause):
    """Run as a user would, in an empty folder without MLFLOW_TRACKING_URI: one line on stderr
    naming the cause and the fix, exit code 2, and nothing written to the current folder."""
    from week06_mlflow.cli import app

    # one case in a process of its own (python -m, where run_cli prints the line), the
    # others in-process: the same CourseError, without a Python start-up each
    shell = request.node.callspec.id == "no-store-yet"
    tracking = [k for k in os.environ if k.startswith("MLFLOW_TRACKING")]
    output = expected_error(
        "week06_mlflow", args, cwd=tmp_path, unset=tracking, timeout=100, app=None if shell else app
    )
    assert cause in output and "(fix: " in output, output
    assert not any(tmp_path.iterdir()), f"wrote into the current folder: {list(tmp_path.iterdir())}"
