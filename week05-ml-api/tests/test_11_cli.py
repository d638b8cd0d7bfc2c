"""The command line explains itself: ``python -m week05_ml_api <command> --help``; an expected
problem is one line with the command that fixes it (exit code 2), never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from course.cli_support import EXPECTED_ERROR
from week05_ml_api.cli import app


@pytest.mark.parametrize("command", ["serve", "grpc", "bench", "proto", "demo-model"])
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
    done = subprocess.run(
        [sys.executable, "-m", "week05_ml_api", command, "--model-dir", str(model_dir)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == EXPECTED_ERROR, f"exit code {done.returncode}: {output[-2000:]}"
    assert "Traceback" not in output, output[-2000:]
    assert len(output.splitlines()) == 1, f"expected one line, got:\n{output}"
    assert str(model_dir) in output and "(fix: python -m week03_ml train --out" in output, output
