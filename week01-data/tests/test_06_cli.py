"""The week's command line, as a learner runs it (reference only, not graded)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

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
