"""The command line: settings masked, manifests checked with an exit code, expected errors in
one line."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from course.testing import expected_error
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
        "AWS_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(app, ["land", "--day", "2013-09-01"])
    assert result.exit_code == 0, result.output
    assert "raw/flights/date=2013-09-01/part-0.parquet" in result.output


@pytest.mark.parametrize(
    ("args", "cause", "fix"),
    [
        pytest.param(["land", "--day", "2012-05-01"], "outside the data", "2013", id="not-2013"),
        pytest.param(["land"], "exactly one", "--day 2013-09-01", id="no-period"),
        pytest.param(
            ["check-manifests", "no/such/folder"], "no folder", "week10-cloud/k8s", id="no-folder"
        ),
        pytest.param(
            ["score", "--day", "2013-09-01", "--model", "models:/flight-delay@champion"],
            "no MLflow registry",
            "python -m week06_mlflow train",
            id="no-registry",
        ),
    ],
)
def test_an_expected_error_is_one_line(request, tmp_path, args, cause, fix):
    """What a user can fix is one line with the cause and the fix, exit code 2, no traceback;
    and nothing is written in the current folder (MLflow would leave an mlflow.db there)."""
    from week10_cloud.cli import app

    # one case in a process of its own (python -m, where run_cli prints the line), the
    # others in-process: the same CourseError, without a Python start-up each
    shell = request.node.callspec.id == "no-registry"
    unset = ["MLFLOW_TRACKING_URI"]
    output = expected_error(
        "week10_cloud", args, cwd=tmp_path, unset=unset, app=None if shell else app
    )
    assert cause in output and "(fix: " in output and fix in output, output
    assert list(tmp_path.iterdir()) == [], "a command wrote into the current folder"
