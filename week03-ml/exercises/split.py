"""Exercise 1 — the time split.

A model that will only ever predict forward must be measured forward: train on the first months,
choose on the next ones, test on the last. A random split would let it learn from 14 July and be
tested on 13 July.

Check your work with ``uv run course grade week03``; stuck? Run
``uv run course hint week03 split_by_time`` for one hint step at a time.
The reference solution lives in ``week03_ml/split.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd

from week03_ml.split import TEST_START, VALID_START, Split, flight_date


def split_by_time(
    flights: pd.DataFrame, valid_start: str = VALID_START, test_start: str = TEST_START
) -> Split:
    """Split ``flights`` into a training, a validation and a test window by each flight's date.

    Production predicts tomorrow from yesterday, so the windows follow each other in time and
    the boundaries are the first day of each later window (nothing depends on month lengths).

    Args:
        flights: one row per flight with at least the integer columns ``year``, ``month`` and
            ``day`` (the flight's local date; other columns are carried along untouched).
            :func:`flight_date` turns them into a date.
        valid_start: ISO date (``"2013-07-01"``) of the first day of the validation window.
        test_start: ISO date of the first day of the test window.

    Returns:
        A :class:`Split` ``(train, valid, test)`` of three DataFrames: ``train`` holds the
        flights dated before ``valid_start``; ``valid`` those from ``valid_start`` up to the day
        before ``test_start``; ``test`` those from ``test_start`` on.

    Raises:
        ValueError: when ``valid_start`` is not strictly before ``test_start`` (reversed, or
            equal: an empty validation window). The message contains both dates as they were
            given, e.g. ``"valid_start must be before test_start, got 2013-09-01 and
            2013-07-01"``.

    Invariants (checked):
        - A boundary day belongs to the *later* window: with the defaults, 30 June is training
          data and 1 July validation data; 31 August is validation, 1 September test.
        - Every flight lands in exactly one window; each window keeps the input's columns (in
          order) and the input's index labels (no reset, no re-sorting needed).
        - The boundaries come from the arguments: other dates (e.g. ``"2013-04-01"`` and
          ``"2013-05-01"``) split there, nothing is tied to July or September.
        - A window may be empty (flights of June and July only give an empty test window).
        - ``flights`` itself is not modified.
    """
    # TODO: your code here
    raise NotImplementedError("split_by_time")
