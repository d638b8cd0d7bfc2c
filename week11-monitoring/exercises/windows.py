"""Exercise 1 — the reference and the current window, without look-ahead.

Fill in the function below, then check it with ``uv run course grade week11``. The reference
solution lives in ``week11_monitoring/windows.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from week03_ml.split import flight_date
from week11_monitoring.windows import Window


def reference_and_current(
    flights: pd.DataFrame, metadata: Mapping[str, Any], window: Window, as_of: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(reference, current)``: the flights the champion was trained on, and the flights of
    ``window`` that had happened by the report's day ``as_of``.

    Why: drift is "different from what the model learnt", so the reference is the champion's
    *training* window — not its validation or test window, and not "last month". And a report
    made on day ``as_of`` (at midnight) cannot have seen that day's flights or later ones: a
    check that reads tomorrow's data looks great in a notebook and is impossible in production.

    Steps:
      1. ``first, last`` = the two dates of ``metadata["training_window"]`` (ISO strings, both
         days included), as ``pd.Timestamp``.
      2. ``start, end`` = ``window.start``, ``window.end`` (the window is ``[start, end)``),
         and ``as_of``, all as ``pd.Timestamp``.
      3. ``window.start`` on or before ``last``: raise ``ValueError`` naming the window's start
         (the model has seen those days). ``as_of`` on or before ``window.start``: raise
         ``ValueError`` saying ``as_of``, its value and the window's start, in that order
         (nothing of the window has happened yet).
      4. ``date = flight_date(flights)`` (midnight timestamps from year/month/day).
      5. reference: ``first <= date <= last``; current: ``start <= date < min(end, as_of)``.
         Return the rows as they are (same index and columns).
    """
    # TODO: your code here
    raise NotImplementedError("reference_and_current")
