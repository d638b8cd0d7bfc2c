"""The command line explains itself: ``python -m week05_ml_api <command> --help``; an expected
problem is one line with the command that fixes it (exit code 2), never a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from course.testing import expected_error
from week05_ml_api.cli import app


@pytest.mark.parametrize("command", ["serve", "grpc", "demo-model"])
def test_every_command_has_help(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "--help" in result.output


def test_demo_model_command_writes_a_loadable_folder(tmp_path, flights, monkeypatch):
    import week05_ml_api.sample as sample

    monkeypatch.setattr(sample, "demo_flights", lambda *a, **k: flights)
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo-model", "--out", str(out), "--trees", "5"])
    assert result.exit_code == 0, result.output
    from week05_ml_api.predictor import LoadedModel

    assert LoadedModel.load(out).fast is not None


@pytest.mark.budget(60)
@pytest.mark.parametrize("command", ["serve", "grpc"])
@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_no_model_is_one_line_with_the_fix(tmp_path, command, folder):
    model_dir = tmp_path / folder
    if folder == "empty":
        model_dir.mkdir()
    args = [command, "--model-dir", str(model_dir)]
    output = expected_error("week05_ml_api", args, cwd=tmp_path, timeout=50)
    assert str(model_dir) in output and "(fix: python -m week03_ml train --out" in output, output


def test_a_registry_uri_names_week_6s_app(tmp_path):
    args = ["serve", "--model-dir", "models:/flight-delay@champion"]
    output = expected_error("week05_ml_api", args, cwd=tmp_path, app=app)
    assert "not a model folder" in output, output
    assert "(fix: python -m week05_ml_api serve --app week06_mlflow.serving:create_app)" in output
