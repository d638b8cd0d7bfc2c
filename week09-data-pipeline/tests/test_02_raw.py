"""Exercise 3: the raw zone's partition path (``partition_path``); then reference checks of
landing a day."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path("zone")
DAY = dt.date(2013, 9, 2)


@pytest.mark.exercise("partition_path")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the layout is <root>/<table>/date=<YYYY-MM-DD>/part-0.parquet: check each of the four parts"
)
def test_one_file_per_table_and_date(raw):
    got = raw.partition_path(ROOT, "flights", DAY)
    want = ROOT / "flights" / "date=2013-09-02" / "part-0.parquet"
    assert Path(got) == want, f"got {got}: want {want} (Hive layout, one file per date)"


@pytest.mark.exercise("partition_path")
@pytest.mark.points(2)
@pytest.mark.hint("zero-padded ISO dates (2013-01-05) sort in time order; 2013-1-5 does not")
@pytest.mark.parametrize(
    ("table", "day", "folder"),
    [
        pytest.param("weather", dt.date(2013, 1, 5), "date=2013-01-05", id="padded"),
        pytest.param("schedule", dt.date(2013, 12, 31), "date=2013-12-31", id="schedule"),
    ],
)
def test_partition_names_sort_in_time_order(raw, table, day, folder):
    got = Path(raw.partition_path(ROOT, table, day))
    assert got.parent == ROOT / table / folder, f"got {got.parent}: want {ROOT / table / folder}"
    assert got.name == "part-0.parquet", f"the file is part-0.parquet, got {got.name}"


@pytest.mark.exercise("partition_path")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a logical date is a datetime: its time and zone do not belong in a partition name; "
    "refuse anything that is not exactly a date with TypeError"
)
@pytest.mark.parametrize(
    "day",
    [
        pytest.param(dt.datetime(2013, 9, 2, 4, tzinfo=dt.UTC), id="datetime"),
        pytest.param("2013-09-02", id="string"),
        pytest.param(pd.Timestamp("2013-09-02"), id="timestamp"),
    ],
)
def test_only_a_date_names_a_partition(raw, day):
    with pytest.raises(TypeError, match="date"):
        raw.partition_path(ROOT, "flights", day)


@pytest.mark.exercise("partition_path")
@pytest.mark.points(1)
@pytest.mark.hint("an unknown table is a ValueError naming it and the tables allowed")
def test_unknown_table_is_refused(raw):
    with pytest.raises(ValueError, match="'flight'") as error:
        raw.partition_path(ROOT, "flight", DAY)
    assert "flights" in str(error.value), f"list the tables allowed: {error.value}"


# --- reference checks of landing -----------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_landing_a_day_twice_writes_the_same_bytes(sqlite_settings):
    from week09_data_pipeline.raw import land_day

    first = land_day(DAY, sqlite_settings, "flights")
    before = _digest(first.path)
    again = land_day(DAY, sqlite_settings, "flights")
    assert again.path == first.path and again.rows == first.rows == 929
    assert _digest(again.path) == before, "a re-landed day must be byte-for-byte the same"
    files = list(first.path.parent.iterdir())
    assert files == [first.path], f"one file per partition, no leftovers: {files}"


def test_the_schedule_holds_no_outcome(sqlite_settings):
    from week03_ml.features import LEAKY_COLUMNS
    from week09_data_pipeline.raw import land_day, read_partition

    land_day(DAY, sqlite_settings, "schedule")
    schedule = read_partition(sqlite_settings.raw_dir, "schedule", DAY)
    leaked = sorted(set(schedule.columns) & LEAKY_COLUMNS)
    assert not leaked and len(schedule) == 929, f"the timetable carries {leaked}"


def test_a_failed_write_keeps_the_old_partition(sqlite_settings, monkeypatch):
    from week09_data_pipeline import raw as raw_module

    landed = raw_module.land_day(DAY, sqlite_settings, "weather")
    before = _digest(landed.path)

    def broken(self, path, **kwargs):
        Path(path).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        raw_module.land_day(DAY, sqlite_settings, "weather")
    assert _digest(landed.path) == before, "a crash mid-write must leave the old file whole"
    assert list(landed.path.parent.iterdir()) == [landed.path], "no temporary file is left"


def test_reading_a_missing_partition_says_what_to_run(sqlite_settings):
    from week09_data_pipeline.raw import read_partition

    with pytest.raises(FileNotFoundError, match="land / validate flights for 2013-09-03"):
        read_partition(sqlite_settings.raw_dir, "flights", dt.date(2013, 9, 3))
