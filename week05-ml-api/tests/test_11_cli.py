"""The command line explains itself: ``python -m week05_ml_api <command> --help``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

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
