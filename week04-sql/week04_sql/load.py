"""Loading the flights into the database, idempotently, with the rejects set aside.

Idempotent means a load can be repeated (a retried job, a re-run of a day) and the database
ends up exactly as after the first run: same rows, same values, no duplicates. The tool is the
*upsert* (``INSERT ... ON CONFLICT (primary key) DO UPDATE``): a new key is inserted, a known
key is overwritten with the incoming values. :func:`snapshot` (row counts and a checksum per
table) proves it.

Rows that break a rule never reach the tables and are never silently dropped: they go to
``rejected_rows`` with the rule they broke (week01's pandera quarantine for value rules, plus
the database's own rules: primary keys and foreign keys).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from course.data import load_table as load_raw_table
from week01_data.validate import REASON, flights_schema, quarantine, weather_schema
from week04_sql.schema import TABLES, create_schema, primary_key, rejected_rows

log = logging.getLogger(__name__)

#: child table -> [(column, parent table, parent key column)]: checked before loading.
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "weather": [("origin", "airports", "faa")],
    "flights": [("carrier", "airlines", "carrier"), ("origin", "airports", "faa")],
}


@dataclass(frozen=True)
class LoadResult:
    """What one load did: ``loaded`` rows upserted into ``table``, ``rejected`` set aside."""

    table: str
    loaded: int
    rejected: pd.DataFrame


def upsert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows`` into ``table``; a row whose primary key exists replaces the stored values.

    Running it twice with the same rows leaves the table unchanged (idempotent); a row loaded
    again with corrected values updates the stored row; rows of other keys are untouched.
    Returns the number of rows written. Works on SQLite and PostgreSQL.
    """
    if not rows:
        return 0
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table)
    keys = primary_key(table)
    # "excluded" is the row that was refused by the key: take every non-key value from it.
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    if updates:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    conn.execute(stmt, rows)
    return len(rows)


def set_aside_orphans(
    frame: pd.DataFrame, column: str, known: set[str], parent: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``frame`` into ``(kept, orphans)``: orphans name a ``column`` value not in ``known``.

    ``known`` holds the keys of the ``parent`` table. A missing value (NULL) is not an orphan:
    a foreign key only constrains values that are there. ``orphans`` carries a ``reason``
    naming the column, the bad value and the parent table, e.g.
    ``"carrier: 'ZZ' is not a key of airlines"``. No row is lost or duplicated.
    """
    bad = frame[column].notna() & ~frame[column].isin(known)
    orphans = frame[bad].copy()
    orphans[REASON] = [f"{column}: {value!r} is not a key of {parent}" for value in orphans[column]]
    return frame[~bad].copy(), orphans


def _duplicate_keys(frame: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    repeated = frame.duplicated(keys, keep="first")
    missing = frame[keys].isna().any(axis=1)
    rejected = frame[repeated | missing].copy()
    rejected[REASON] = [
        f"primary key ({', '.join(keys)}) " + ("is missing" if miss else "repeats an earlier row")
        for miss in missing[repeated | missing]
    ]
    return frame[~(repeated | missing)].copy(), rejected


def prepare(conn: Connection, name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(valid, rejected)`` for table ``name``: value rules, then keys, then foreign keys.

    ``rejected`` keeps the offending rows with a ``reason``; ``valid`` is ready for
    :func:`to_rows`. Flights get their ``flight_date`` column here.
    """
    if name not in TABLES:
        raise ValueError(f"table must be one of {list(TABLES)}, got {name!r}")
    if name == "flights" and "flight_date" not in frame.columns:
        # an impossible date (month 13, 30 February) becomes a missing key, set aside below
        dates = pd.to_datetime(frame[["year", "month", "day"]], errors="coerce")
        frame = frame.assign(flight_date=[d.date() if pd.notna(d) else None for d in dates])
    parts: list[pd.DataFrame] = []
    schemas = {"flights": flights_schema, "weather": weather_schema}
    if name in schemas and len(frame):
        frame, rejected = quarantine(frame, schemas[name]())
        parts.append(rejected)
    frame, rejected = _duplicate_keys(frame, primary_key(TABLES[name]))
    parts.append(rejected)
    for column, parent, parent_key in FOREIGN_KEYS.get(name, []):
        parent_table = TABLES[parent]
        known = set(conn.execute(sa.select(parent_table.c[parent_key])).scalars())
        frame, rejected = set_aside_orphans(frame, column, known, parent)
        parts.append(rejected)
    parts = [p for p in parts if len(p)]
    rejected = pd.concat(parts) if parts else frame.iloc[0:0].assign(**{REASON: ""})
    return frame, rejected


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of Python objects, every missing value (NaN, NaT, <NA>) as None."""
    names = list(frame.columns)
    columns = [
        [
            None if missing else value
            for value, missing in zip(frame[n].tolist(), frame[n].isna().tolist(), strict=True)
        ]
        for n in names
    ]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def to_rows(frame: pd.DataFrame, table: sa.Table) -> list[dict[str, Any]]:
    """``frame``'s columns of ``table`` as plain Python values (NaN -> None, UTC -> naive)."""
    out = {}
    for column in table.columns:
        values = frame[column.name]
        if isinstance(column.type, sa.DateTime) and isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        elif isinstance(column.type, sa.Integer):
            values = values.astype("Int64")
        out[column.name] = values
    records = _records(pd.DataFrame(out))
    for record in records:
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                record[key] = value.to_pydatetime()
    return records


def _set_aside(conn: Connection, name: str, rejected: pd.DataFrame) -> None:
    keys = primary_key(TABLES[name])
    rows: dict[str, dict[str, Any]] = {}
    for row in _records(rejected):
        content = json.dumps({k: v for k, v in row.items() if k != REASON}, default=str)
        # The key part may be broken (that can be why the row is here), so a hash of the whole
        # row completes it: the same bad row loaded twice is stored once, two bad rows twice.
        digest = hashlib.sha256(content.encode()).hexdigest()[:12]
        row_key = "|".join(str(row.get(k)) for k in keys)[:60] + "#" + digest
        rows.setdefault(
            row_key,
            {
                "table_name": name,
                "row_key": row_key,
                "reason": str(row[REASON])[:500],
                "row": content[:2000],
            },
        )
    upsert(conn, rejected_rows, list(rows.values()))


def load_frame(conn: Connection, name: str, frame: pd.DataFrame) -> LoadResult:
    """Validate ``frame`` for table ``name``, upsert the valid rows, set aside the rest."""
    valid, rejected = prepare(conn, name, frame)
    loaded = upsert(conn, TABLES[name], to_rows(valid, TABLES[name]))
    if len(rejected):
        _set_aside(conn, name, rejected)
        log.info("%s: %d rows set aside (first: %s)", name, len(rejected), rejected[REASON].iloc[0])
    return LoadResult(name, loaded, rejected)


def load_tables(engine: Engine, frames: Mapping[str, pd.DataFrame]) -> dict[str, LoadResult]:
    """Create the schema if needed and load ``frames`` (name -> rows) in one transaction,
    parents before children."""
    create_schema(engine)
    with engine.begin() as conn:
        return {name: load_frame(conn, name, frames[name]) for name in TABLES if name in frames}


def load_days(
    engine: Engine, days: Iterable[dt.date], *, progress: bool = False
) -> dict[str, LoadResult]:
    """Load the real data of ``days``: the three reference tables, then each day's weather and
    flights in its own transaction (a failed day rolls back alone; re-running it is safe).

    Returns one result per table, summed over the days.
    """
    days = sorted(set(days))
    tables = {name: load_raw_table(name) for name in TABLES}
    results = load_tables(engine, {n: tables[n] for n in ("airlines", "airports", "planes")})
    dates = {
        n: pd.to_datetime(tables[n][["year", "month", "day"]]).dt.date
        for n in ("weather", "flights")
    }

    def one_day(day: dt.date) -> None:
        with engine.begin() as conn:
            for name in ("weather", "flights"):
                got = load_frame(conn, name, tables[name][dates[name] == day])
                before = results.get(name, LoadResult(name, 0, got.rejected.iloc[0:0]))
                results[name] = LoadResult(
                    name, before.loaded + got.loaded, pd.concat([before.rejected, got.rejected])
                )

    if progress:
        from rich.progress import Progress

        with Progress() as bar:
            task = bar.add_task("Loading days", total=len(days))
            for day in days:
                bar.update(task, description=f"Loading {day}")
                one_day(day)
                bar.advance(task)
    else:
        for day in days:
            one_day(day)
    return results


def days_of(month: int, days: Iterable[int] | None = None) -> list[dt.date]:
    """The dates of ``month`` of 2013 (all of them, or only ``days``)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    every = pd.date_range(f"2013-{month:02d}-01", periods=31, freq="D")
    chosen = [d.date() for d in every if d.month == month]
    return chosen if days is None else [d for d in chosen if d.day in set(days)]


def _normal(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return repr(value)


def table_checksum(conn: Connection, table: sa.Table) -> str:
    """A SHA-256 of every row of ``table`` in primary-key order: equal iff the contents are."""
    digest = hashlib.sha256()
    rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns))
    for row in rows:
        digest.update("|".join(_normal(v) for v in row).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def snapshot(conn: Connection) -> dict[str, tuple[int, str]]:
    """``{table: (row count, checksum)}`` for every table: compare two to prove a load was
    idempotent."""
    out = {}
    for table in [*TABLES.values(), rejected_rows]:
        count = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        out[table.name] = (count, table_checksum(conn, table))
    return out
