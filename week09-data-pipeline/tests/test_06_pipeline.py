"""Reference checks of the whole day: idempotent on SQLite and PostgreSQL, no partial day after
a failure, a backfill of several days, and the CLI saying a re-run changed nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest

DAYS = [dt.date(2013, 9, 2), dt.date(2013, 9, 3)]


def test_running_a_day_twice_changes_no_table(settings_for, backend):
    from week09_data_pipeline.pipeline import run_day, snapshot

    settings = settings_for(backend)
    first = [run_day(day, settings, train=False) for day in DAYS]
    before = snapshot(settings)
    again = run_day(DAYS[0], settings, train=False)
    after = snapshot(settings)
    changed = {name: (before[name], after[name]) for name in after if before[name] != after[name]}
    assert not changed, f"re-running {DAYS[0]} changed {sorted(changed)} on {backend}"
    assert again == first[0], "the same day gives the same summary"
    assert before["flights"][0] == sum(s.loaded for s in first) == 929 + 956
    assert before["predictions"][0] == sum(s.scored for s in first) > 1500
    assert before["online_rates"][0] > 0 and before["online_weather"][0] > 0


def test_a_failed_load_leaves_no_partial_day(sqlite_settings, monkeypatch):
    import week09_data_pipeline.etl as etl
    from week09_data_pipeline.pipeline import run_day, snapshot

    day = DAYS[0]
    run_day(day, sqlite_settings, train=False)
    before = snapshot(sqlite_settings)
    real = etl.load_frame

    def crash_midway(conn, name, frame):
        real(conn, name, frame.iloc[: len(frame) // 2])  # half the day is written...
        raise ConnectionError("the warehouse went away")  # ...then the task dies

    monkeypatch.setattr(etl, "load_frame", crash_midway)
    with pytest.raises(ConnectionError):
        etl.load_day(day, sqlite_settings, "flights")
    assert snapshot(sqlite_settings) == before, "a failed load must roll the whole day back"
    monkeypatch.setattr(etl, "load_frame", real)
    etl.load_day(day, sqlite_settings, "flights")  # the retry
    assert snapshot(sqlite_settings) == before, "the retried day equals the day loaded once"


def test_quarantined_rows_are_kept_with_their_reason(sqlite_settings):
    import pandas as pd

    from week09_data_pipeline.etl import validate_day
    from week09_data_pipeline.raw import (
        partition_path,
        read_partition,
        source_rows,
        write_partition,
    )

    day = DAYS[0]
    rows = source_rows("flights", day)
    rows.loc[0, "carrier"] = "united"  # breaks week01's code pattern
    write_partition(rows, partition_path(sqlite_settings.raw_dir, "flights", day))
    result = validate_day(day, sqlite_settings, "flights")
    quarantined = read_partition(sqlite_settings.quarantine_dir, "flights", day)
    valid = read_partition(sqlite_settings.validated_dir, "flights", day)
    assert (result.valid, result.quarantined) == (len(rows) - 1, 1)
    assert quarantined["reason"].str.startswith("carrier").all()
    assert len(valid) + len(quarantined) == len(rows), "nothing is dropped"
    assert isinstance(quarantined, pd.DataFrame)


def test_a_backfill_runs_every_day_in_order(sqlite_settings):
    from week09_data_pipeline.pipeline import run_range

    seen: list[dt.date] = []
    summaries = run_range(
        dt.date(2013, 9, 2),
        dt.date(2013, 9, 4),
        sqlite_settings,
        on_day=lambda s: seen.append(s.day),
    )
    assert seen == [dt.date(2013, 9, d) for d in (2, 3, 4)]
    assert all(s.loaded > 800 and s.scored > 800 and s.model_version for s in summaries)


def test_the_cli_says_a_second_run_changed_nothing(sqlite_settings, monkeypatch, tmp_path):
    from rich.console import Console
    from typer.testing import CliRunner

    import week09_data_pipeline.__main__ as cli
    from course.cli_support import CourseError

    app = cli.app
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "console", Console(width=80))  # the table must fit 80 columns
    for name, value in {
        "WEEK09_DATA_DIR": str(sqlite_settings.data_dir),
        "WEEK09_DATABASE_URL": sqlite_settings.database_url,
        "WEEK09_MLFLOW_TRACKING_URI": sqlite_settings.mlflow_tracking_uri,
        "WEEK09_MLFLOW_ARTIFACT_ROOT": str(sqlite_settings.mlflow_artifact_root),
    }.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    args = ["run", "--from", "2013-09-02", "--to", "2013-09-03"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "2013-09-03" in first.output and "tables changed by this run" in first.output
    lines = first.output.splitlines()
    title = lines.index(next(line for line in lines if line.startswith("2013-09-02 .. ")))
    rows = [i for i, line in enumerate(lines) if re.match(r"2013-09-0\d +[\d,]+ ", line)]
    header = "\n".join(lines[title : rows[0]])
    for column in ("day", "landed", "invalid", "aside", "loaded", "D+1", "model", "trained"):
        assert column in header, f"column {column!r} lost at 80 columns:\n{first.output}"
    assert len(rows) == 2 and all(" v" in lines[i] for i in rows), first.output
    table = lines[title : rows[-1] + 1]
    assert max(map(len, table)) <= 80, "\n".join(table)
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "no table changed" in second.output, second.output
    bad = runner.invoke(app, ["run", "--from", "2013-09-30", "--to", "2013-09-01"])
    assert isinstance(bad.exception, CourseError), bad.output
    assert "end must not be before start" in str(bad.exception)
