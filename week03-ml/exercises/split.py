"""Exercise 1 — the time split.

Fill in ``split_by_time``, then check it with ``uv run course grade week03``.
The reference solution lives in ``week03_ml/split.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd

from week03_ml.split import TEST_START, VALID_START, Split, flight_date


def split_by_time(
    flights: pd.DataFrame, valid_start: str = VALID_START, test_start: str = TEST_START
) -> Split:
    """Split ``flights`` into train (before ``valid_start``), validation (from ``valid_start``
    up to the day before ``test_start``) and test (from ``test_start`` on).

    Both boundaries are ISO dates (``"2013-07-01"``) and belong to the *later* window: the
    flights of 30 June are training data, those of 1 July are validation data. Every flight
    lands in exactly one window. Raises ``ValueError`` when ``valid_start`` is not before
    ``test_start``.

    Steps:
      1. Turn both boundaries into ``pd.Timestamp``; if ``valid_start >= test_start`` raise
         ``ValueError(f"... got {valid_start} and {test_start}")``.
      2. Build each flight's date: ``flight_date(flights)`` (from ``year``, ``month``, ``day``).
      3. Three boolean masks: ``date < valid``, ``valid <= date < test``, ``date >= test``.
         Careful with ``<`` versus ``<=``: a boundary day belongs to the later window.
      4. Return ``Split(flights[train], flights[valid], flights[test])`` (index kept).
    """
    # TODO: your code here
    raise NotImplementedError("split_by_time")
