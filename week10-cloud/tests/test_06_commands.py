"""The command line: settings masked, manifests checked with an exit code."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from week10_cloud.cli import app
from week10_cloud.manifests import MANIFEST_DIR

runner = CliRunner()


def test_settings_command_masks_secrets(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-print-me")
    result = runner.invoke(app, ["settings"])
    assert result.exit_code == 0, result.output
    assert "do-not-print-me" not in result.output and "*****" in result.output


def test_check_manifests_passes_on_the_committed_ones():
    result = runner.invoke(app, ["check-manifests"])
    assert result.exit_code == 0, result.output
    assert "valid for Kubernetes" in result.output


def test_check_manifests_fails_on_a_latest_tag(tmp_path):
    folder = tmp_path / "k8s"
    shutil.copytree(MANIFEST_DIR, folder)
    path = folder / "deployment.yaml"
    path.write_text(path.read_text().replace("week05-ml-api:0.1.0", "week05-ml-api:latest"))
    result = runner.invoke(app, ["check-manifests", str(folder)])
    assert result.exit_code == 1 and "latest" in result.output, result.output


def test_land_uses_the_emulator_without_an_endpoint(monkeypatch):
    for name in (
        "AWS_ENDPOINT_URL",
        "WEEK10_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "WEEK10_ACCESS_KEY_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(app, ["land", "--day", "2013-09-01"])
    assert result.exit_code == 0, result.output
    assert "raw/flights/date=2013-09-01/part-0.parquet" in result.output
