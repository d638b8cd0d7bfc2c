"""Exercise 4 — a day's predictions, replaced idempotently.

Fill in the function below, then check it with ``uv run course grade week09``.
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
    """Make ``rows`` the predictions of flight date ``day``: the day's earlier rows are deleted
    and ``rows`` inserted, inside the caller's transaction (``conn``, from ``engine.begin()``),
    so a failure before the commit leaves the day as it was. Other days are untouched.

    ``rows`` has the columns of ``predictions``; an empty frame clears the day. Raises
    ``ValueError`` naming the dates when a row's ``flight_date`` is not ``day`` (nothing is
    written then). Returns the number of rows written.

    Steps:
      1. The dates in ``rows["flight_date"]`` (``pd.to_datetime(...).dt.date``); any that is
         not ``day`` -> ``ValueError`` naming it (ISO text), *before* touching the table.
      2. ``conn.execute(sa.delete(predictions).where(predictions.c.flight_date == day))``.
      3. No rows -> return 0.
      4. ``records = to_rows(rows, predictions)`` (week04: plain Python values);
         ``conn.execute(predictions.insert(), records)``; return ``len(records)``.
      Never ``conn.commit()``: the caller's ``engine.begin()`` commits, or rolls back.
    """
    # TODO: your code here
    raise NotImplementedError("write_predictions")
