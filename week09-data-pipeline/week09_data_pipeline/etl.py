"""The daily ETL: validate a landed day with week01's rules, then load it into week04's warehouse.

* :func:`validate_day` splits the raw partition with week01's pandera quarantine: the rows that
  pass go to the validated zone, the others to the quarantine zone with their ``reason``;
  nothing is dropped (``valid + quarantined == landed``).
* :func:`load_day` *replaces* the day in the warehouse in one transaction: it deletes the day's
  rows of the table, then loads the validated rows with week04's ``load_frame`` (its key and
  foreign-key checks set aside what the database would refuse, into ``rejected_rows``). An
  upsert alone would keep a flight the source has since withdrawn; a delete without the
  transaction would leave the day empty if the insert failed. Together: a day loaded twice, or
  retried after a failure, is byte-for-byte the day loaded once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from week01_data.validate import flights_schema, quarantine, weather_schema
from week04_sql.db import make_engine
from week04_sql.load import load_frame, load_tables
from week04_sql.schema import airlines, create_schema, flights, weather
from week09_data_pipeline.raw import partition_path, read_partition, write_partition
from week09_data_pipeline.settings import Settings

log = logging.getLogger(__name__)

#: The tables the daily ETL validates and loads, in an order that respects foreign keys.
DAILY_TABLES = ("weather", "flights")
REFERENCE_TABLES = ("airlines", "airports", "planes")


@dataclass(frozen=True)
class Validated:
    """What :func:`validate_day` found in ``table``'s rows of ``day``."""

    table: str
    day: dt.date
    valid: int
    quarantined: int


@dataclass(frozen=True)
class Loaded:
    """What :func:`load_day` did: ``loaded`` rows of ``day`` stored, ``rejected`` set aside by
    the database's rules (keys, foreign keys)."""

    table: str
    day: dt.date
    loaded: int
    rejected: int


def _check_table(table: str) -> None:
    if table not in DAILY_TABLES:
        raise ValueError(f"table must be one of {list(DAILY_TABLES)}, got {table!r}")


def validate_day(day: dt.date, settings: Settings, table: str) -> Validated:
    """Split the landed ``table`` of ``day`` by week01's schema into the validated and the
    quarantine zones (both partitions replaced, both written even when empty)."""
    _check_table(table)
    raw = read_partition(settings.raw_dir, table, day)
    schema = flights_schema() if table == "flights" else weather_schema()
    valid, rejected = quarantine(raw, schema) if len(raw) else (raw, raw.assign(reason=""))
    write_partition(valid, partition_path(settings.validated_dir, table, day))
    write_partition(rejected, partition_path(settings.quarantine_dir, table, day))
    if len(rejected):
        log.warning(
            "%s %s: %d rows quarantined (first: %s)",
            table,
            day,
            len(rejected),
            rejected["reason"].iloc[0],
        )
    return Validated(table, day, len(valid), len(rejected))


def warehouse(settings: Settings) -> Engine:
    """An engine on the warehouse, its tables created if needed."""
    engine = make_engine(settings.database_url)
    create_schema(engine)
    return engine


def ensure_reference(engine: Engine) -> bool:
    """Load airlines, airports and planes once (they change rarely; a flight needs its airline
    and airport first). Returns True when they were loaded now."""
    with engine.connect() as conn:
        present = conn.execute(sa.select(sa.func.count()).select_from(airlines)).scalar_one()
    if present:
        return False
    from course.data import load_table

    load_tables(engine, {name: load_table(name) for name in REFERENCE_TABLES})
    log.info("loaded the reference tables %s", ", ".join(REFERENCE_TABLES))
    return True


def _day_rows(table: str, day: dt.date) -> sa.ColumnElement[bool]:
    if table == "flights":
        return flights.c.flight_date == sa.bindparam("day", day, type_=sa.Date)
    # weather is dated by its local year, month and day, as the raw partition is
    return sa.and_(
        weather.c.year == day.year, weather.c.month == day.month, weather.c.day == day.day
    )


def load_day(day: dt.date, settings: Settings, table: str) -> Loaded:
    """Replace ``table``'s rows of ``day`` in the warehouse with the validated partition, in
    one transaction (see the module docstring)."""
    _check_table(table)
    frame = read_partition(settings.validated_dir, table, day)
    engine = warehouse(settings)
    try:
        ensure_reference(engine)
        target = flights if table == "flights" else weather
        with engine.begin() as conn:
            conn.execute(sa.delete(target).where(_day_rows(table, day)))
            result = load_frame(conn, table, frame)
    finally:
        engine.dispose()
    log.info("%s %s: %d rows loaded, %d set aside", table, day, result.loaded, len(result.rejected))
    return Loaded(table, day, result.loaded, len(result.rejected))
