"""Exercise 4 — a day's predictions, replaced idempotently.

The nightly scoring may run again for a day it already scored: a retry after a crash, a
backfill, a re-score with a new champion. Each run must leave exactly its own rows for that day
and nothing else changed, so that running it twice is the same as running it once.

Write the function below, then check it with ``uv run course grade week09``. Stuck?
``uv run course hint week09 write_predictions`` shows one hint step per call.
The reference solution lives in ``week09_data_pipeline/scoring.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from week04_sql.load import to_rows
from week09_data_pipeline.scoring import predictions


def write_predictions(conn: Connection, day: dt.date, rows: pd.DataFrame) -> int:
    """Make ``rows`` the predictions of flight date ``day``, replacing whatever that day held.

    The caller owns the transaction: ``conn`` comes from ``engine.begin()``, which commits when
    the caller's block ends and rolls everything back when it fails. This function is one step
    inside it.

    Args:
        conn: an open connection inside the caller's transaction.
        day: the flight date the rows are for.
        rows: one row per flight, with the columns of the ``predictions`` table; its
            ``flight_date`` column holds ``datetime.date`` values. May be empty.

    Returns:
        The number of rows written (0 for an empty frame).

    Raises:
        ValueError: when any row's ``flight_date`` is not ``day``; the message names each such
            date in ISO form (e.g. ``2013-09-04``). This is decided before anything is executed
            on ``conn``: a refused frame deletes nothing and writes nothing.

    Invariants (checked):
        * afterwards the day's rows in ``predictions`` are exactly ``rows``: the same frame
          written twice is there once, and a flight missing from ``rows`` (dropped from the
          schedule, or scored earlier by an older model) is gone;
        * the rows of every other flight date are untouched;
        * an empty frame leaves the day with no rows;
        * the function never commits (nor rolls back): when the caller's transaction fails
          after the call, the day is as it was before it.
    """
    # TODO: your code here
    raise NotImplementedError("write_predictions")
