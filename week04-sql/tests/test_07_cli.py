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


def test_cli_parity_exits_0_when_equal_and_names_a_broken_feature(tmp_path, monkeypatch):
    import sqlalchemy as sa

    from week04_sql.db import make_engine
    from week04_sql.schema import flights

    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", "--month", "1", "--day", "1", "--day", "2", "--day", "3"])
    assert loaded.exit_code == 0, loaded.output
    args = ["parity", "--start", "2013-01-02", "--end", "2013-01-03"]
    same = runner.invoke(app, args)
    assert same.exit_code == 0, same.output
    # a late flight of 1 January turned on time in the database only: its rates now differ
    with make_engine(url).begin() as conn:
        conn.execute(
            sa.update(flights)
            .where(flights.c.flight_date == sa.func.date("2013-01-01"), flights.c.arr_delay > 60)
            .values(arr_delay=0)
        )
    broken = runner.invoke(app, args)
    assert broken.exit_code == 1, broken.output
    assert "past_rate_route" in broken.output and "vs week03" in broken.output
