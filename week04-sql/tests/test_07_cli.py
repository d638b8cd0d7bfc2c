"""Reference checks: the command line, on a temporary SQLite file; an expected error is one
line and exit code 2.

(The stubs' signatures, fresh-stub and reference scores are checked for every week by
``course/tests/test_weeks.py``.)
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from course.cli_support import CourseError
from course.testing import expected_error
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
    assert isinstance(got.exception, CourseError), got.output
    assert "--start" in str(got.exception) and "'2013-02-30'" in str(got.exception)


@pytest.mark.parametrize(
    ("args", "cause", "fix"),
    [
        pytest.param(
            ["features", "--start", "2014-01-01"],
            "--start must be in 2013",
            "pass a date of 2013, e.g. --start 2013-",
            id="a-date-outside-2013",
        ),
        pytest.param(
            ["features"], "no flights loaded", "python -m week04_sql load", id="nothing-loaded"
        ),
        pytest.param(
            ["bench-lookup"], "no flights loaded", "python -m week04_sql skew-check", id="no-store"
        ),
    ],
)
@pytest.mark.budget(120)
def test_an_expected_error_is_one_line_and_exit_code_2(request, tmp_path, args, cause, fix):
    """What a user sees: one line with the cause and the command that fixes it, exit code 2,
    no traceback; nothing written outside artifacts/."""
    from week04_sql.__main__ import app

    # one case in a process of its own (python -m, where run_cli prints the line), the
    # others in-process: the same CourseError, without a Python start-up each
    shell = request.node.callspec.id == "nothing-loaded"
    # DATABASE_URL unset: the default, relative to the folder the command runs in
    output = expected_error(
        "week04_sql", args, cwd=tmp_path, unset=["DATABASE_URL"], app=None if shell else app
    )
    assert output.startswith("error: ") and cause in output and f"(fix: {fix}" in output, output
    assert {p.name for p in tmp_path.iterdir()} <= {"artifacts"}, "written outside artifacts/"


def test_load_refuses_a_month_outside_1_12(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    got = CliRunner().invoke(app, ["load", "--month", "13"])
    assert isinstance(got.exception, CourseError) and "got 13" in str(got.exception)


def test_parity_names_the_first_missing_day(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    runner = CliRunner()
    assert runner.invoke(app, ["load", "--month", "1", "--day", "1"]).exit_code == 0
    got = runner.invoke(app, ["parity", "--start", "2013-01-02", "--end", "2013-01-03"])
    assert isinstance(got.exception, CourseError), got.output
    assert "first: 2013-01-02" in str(got.exception) and "load --month 1" in str(got.exception)


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
