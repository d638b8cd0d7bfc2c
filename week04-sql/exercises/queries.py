"""Exercise 3 — a parameterised filter that no carrier code can turn into SQL.

Check it with ``uv run course grade week04``; the reference is ``week04_sql/queries.py``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection


def flights_of_carrier(conn: Connection, carrier: str, on: dt.date) -> pd.DataFrame:
    """The flights of ``carrier`` scheduled on ``on``, ordered by scheduled departure time.

    All ``flights`` columns. The carrier and the date are bound parameters, so any string is
    safe to pass: one that is not a carrier code simply returns no rows. ``on`` may also be a
    ``pd.Timestamp`` at midnight (the way pandas holds dates): it means that day, on every
    backend.

    Steps:
      1. Write the SQL with named placeholders, never with an f-string:
         ``sa.text("SELECT * FROM flights WHERE carrier = :carrier AND flight_date = :on "
         "ORDER BY sched_dep_time, flight")``.
      2. Tell SQLAlchemy the date is a date (SQLite stores it as text):
         ``.bindparams(sa.bindparam("carrier", type_=sa.String),
         sa.bindparam("on", type_=sa.Date))``.
      3. ``pd.read_sql(query, conn, params={"carrier": carrier, "on": on})``.
    """
    # TODO: your code here
    raise NotImplementedError("flights_of_carrier")
