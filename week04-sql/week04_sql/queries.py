"""Parameterised queries: values travel as bound parameters, never inside the SQL text.

``text("... WHERE carrier = :carrier")`` with ``{"carrier": value}`` sends the SQL and the value
separately; the database never parses the value as SQL, so ``UA'; DROP TABLE flights;--`` is
just a carrier code that matches nothing. Identifiers (column names) cannot be parameters, so
the few places that take one check it against an allow-list first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from week01_data.target import DELAY_THRESHOLD_MINUTES

#: Columns a caller may group by in :func:`delay_rate_by` (identifiers cannot be bound).
GROUPABLE = ("carrier", "origin", "dest", "month", "hour", "flight_date")


def flights_of_carrier(conn: Connection, carrier: str, on: dt.date) -> pd.DataFrame:
    """The flights of ``carrier`` scheduled on ``on``, ordered by scheduled departure time.

    All ``flights`` columns. The carrier and the date are bound parameters, so any string is
    safe to pass: one that is not a carrier code simply returns no rows. ``on`` may also be a
    ``pd.Timestamp`` at midnight (the way pandas holds dates): it means that day, on every
    backend.
    """
    query = sa.text(
        "SELECT * FROM flights WHERE carrier = :carrier AND flight_date = :on "
        "ORDER BY sched_dep_time, flight"
    ).bindparams(sa.bindparam("carrier", type_=sa.String), sa.bindparam("on", type_=sa.Date))
    params: dict[str, str | dt.date] = {"carrier": carrier, "on": on}
    return pd.read_sql(query, conn, params=params)


def delay_rate_by(
    conn: Connection, by: str | Sequence[str], start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Share of delayed flights (among labelled ones) per group, from ``start`` to ``end``.

    Columns: the ``by`` columns, ``flights``, ``delayed``, ``delay_rate`` — the SQL twin of
    week01's ``delay_rate_by``. ``by`` must be in :data:`GROUPABLE`.
    """
    keys = [by] if isinstance(by, str) else list(by)
    bad = [k for k in keys if k not in GROUPABLE]
    if bad or not keys:
        raise ValueError(f"by must be among {GROUPABLE}, got {bad or keys}")
    columns = ", ".join(keys)  # safe: every name was checked against the allow-list above
    query = sa.text(
        f"SELECT {columns}, COUNT(arr_delay) AS flights, "
        "SUM(CASE WHEN arr_delay > :threshold THEN 1 ELSE 0 END) AS delayed, "
        "CAST(SUM(CASE WHEN arr_delay > :threshold THEN 1 ELSE 0 END) AS FLOAT) "
        "  / NULLIF(COUNT(arr_delay), 0) AS delay_rate "
        "FROM flights WHERE flight_date BETWEEN :start AND :end "
        f"GROUP BY {columns} ORDER BY {columns}"
    ).bindparams(sa.bindparam("start", type_=sa.Date), sa.bindparam("end", type_=sa.Date))
    params: dict[str, Any] = {"threshold": DELAY_THRESHOLD_MINUTES, "start": start, "end": end}
    return pd.read_sql(query, conn, params=params)
