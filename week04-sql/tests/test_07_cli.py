"""Reference checks: the command line, on a temporary SQLite file.

(The stubs' signatures, fresh-stub and reference scores are checked for every week by
``course/tests/test_weeks.py``.)
"""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from week04_sql.__main__ import app


def test_cli_load_features_explain(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", "--month", "2", "--day", "20", "--day", "21"])
    assert loaded.exit_code == 0, loaded.output
    assert "flights" in loaded.output
    out = tmp_path / "f.parquet"
    built = runner.invoke(
        app, ["features", "--start", "2013-02-20", "--end", "2013-02-21", "--out", str(out)]
    )
    assert built.exit_code == 0, built.output
    assert len(pd.read_parquet(out)) > 1800
    plans = runner.invoke(app, ["explain"])
    assert plans.exit_code == 0 and "ix_flights_tailnum" in plans.output


def test_cli_names_a_bad_date(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    got = CliRunner().invoke(app, ["features", "--start", "2013-02-30"])
    assert got.exit_code != 0 and "2013-02-30" in got.output
