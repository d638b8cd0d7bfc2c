"""Exercise 1 — the reference and the current window, without look-ahead.

Drift means "different from what the model learnt", so the data a window is compared with is
the champion's training window, and a report made on a given day may only see what had
happened before that day.

Check your work with ``uv run course grade week11``; when stuck, ``uv run course hint week11
reference_and_current`` gives one hint step at a time. The reference solution lives in
``week11_monitoring/windows.py``: look only once you are done.
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
    """Split ``flights`` into the champion's training flights and the flights of ``window``
    that had happened by the report's day ``as_of``.

    Why: the reference is the champion's *training* window, not its validation or test
    window and not "last month": that is where its idea of normal comes from. A report made on
    day ``as_of`` runs at midnight, before that day's first flight; a check that reads the
    report's own day (or later) looks fine in a notebook and is impossible in production.

    Args:
        flights: one row per flight, with at least the ``year``, ``month`` and ``day``
            columns (a flight's date is that day, as :func:`week03_ml.split.flight_date`
            gives it). Any index, any other columns.
        metadata: the champion's metadata; ``metadata["training_window"]`` is a pair of ISO
            date strings, the first and the last training day, both included.
        window: the days ``[window.start, window.end)``: start included, end excluded.
        as_of: the day the report is made.

    Returns:
        ``(reference, current)``:

        * ``reference``: the flights dated from the first to the last training day, both
          included;
        * ``current``: the flights dated on or after ``window.start``, before ``window.end``
          and before ``as_of`` (so a window that is not over on ``as_of`` gives only its
          first days).

    Raises:
        ValueError: when ``window.start`` is on or before the last training day (the model
            has seen those days). The message contains ``window.start`` as an ISO date
            (``2013-01-31``).
        ValueError: when ``as_of`` is on or before ``window.start`` (none of the window's
            flights has happened yet). The message contains the word ``as_of``, then
            ``as_of`` as an ISO date, then ``window.start`` as an ISO date, in that order,
            e.g. ``"as_of 2013-01-20 is not after the start 2013-02-01 of window 2013-02"``.

    Invariants (checked):
        * a window starting the day after the last training day is accepted;
        * both frames are rows of ``flights`` as they are: same index labels, same columns,
          same values, in the input's order; nothing added, nothing reset.
    """
    # TODO: your code here
    raise NotImplementedError("reference_and_current")
