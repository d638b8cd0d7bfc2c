"""The CLI: ``python -m week06_mlflow --help`` explains itself, and ``show`` reads a store."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

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
    assert result.exit_code == 1 and "nothing to promote" in result.output, result.output
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
