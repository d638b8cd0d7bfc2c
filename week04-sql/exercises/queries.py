"""Exercise 3 — a parameterised filter that no carrier code can turn into SQL.

A value pasted into SQL text is parsed as SQL: ``UA'; DROP TABLE flights;--`` becomes a command
and ``%`` in a LIKE pattern becomes "any carrier". A *bound parameter* travels beside the SQL, so
the database only ever compares it.

Check your work with ``uv run course grade week04``; stuck, ``uv run course hint week04
flights_of_carrier`` shows one hint step at a time. The reference is ``week04_sql/queries.py``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection


def flights_of_carrier(conn: Connection, carrier: str, on: dt.date) -> pd.DataFrame:
    """The flights of one carrier on one day; the carrier and the date are sent as values.

    Args:
        conn: an open connection, SQLite or PostgreSQL.
        carrier: any string. It is compared for equality with ``flights.carrier``: no pattern,
            no case folding, no trimming.
        on: the flight date: a ``datetime.date``, or a ``pd.Timestamp`` at midnight (the way
            pandas holds a date), which means that same day on every backend.

    Returns:
        A DataFrame with every column of ``flights`` (named as in the table), one row per
        flight of ``carrier`` whose ``flight_date`` is ``on``, ordered by ``sched_dep_time``
        (ties in any order). No such flight: an empty frame.

    Invariants (checked):
        - a string that is not a carrier code returns no rows and changes nothing: quotes,
          ``;``, ``--``, ``OR '1'='1'`` and the LIKE wildcards ``%`` and ``_`` are plain
          characters;
        - the string never appears in the SQL text sent to the database (it is a bound
          parameter, whatever the quoting);
        - another date gives that date's flights, and a date without flights none.
    """
    # TODO: your code here
    raise NotImplementedError("flights_of_carrier")
