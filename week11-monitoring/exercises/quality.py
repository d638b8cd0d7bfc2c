"""Exercise 3 — labels arrive late: quality on what was known at the time.

A flight's outcome exists only once it has landed, and reaches the warehouse the next morning
or later; a cancelled flight never gets one. A quality number that uses outcomes nobody had
on the day of the report is a number nobody could have seen.

Check your work with ``uv run course grade week11``; when stuck, ``uv run course hint week11
known_labels`` (or ``quality_as_of``) gives one hint step at a time. The reference solution
lives in ``week11_monitoring/quality.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from week01_data.target import TARGET
from week03_ml.evaluate import ranking_scores, scores_at
from week03_ml.split import flight_date
from week11_monitoring.quality import PREDICTION, QUALITY_KEYS


def known_labels(flights: pd.DataFrame, as_of: dt.date, label_delay_days: int = 1) -> pd.Series:
    """Which flights had a known outcome on the day ``as_of`` (exercise 3a).

    Why: the outcome of day D's flights is loaded on the morning of D + ``label_delay_days``;
    before that morning it is unknown, even if the table you are given already holds it.

    Args:
        flights: one row per flight, with ``year``, ``month``, ``day`` (the flight's date)
            and :data:`TARGET` (``is_delayed``: a nullable boolean, ``<NA>`` for a cancelled
            or diverted flight).
        as_of: the day of the report.
        label_delay_days: days after its date a flight's outcome is known (default 1:
            day D's outcomes are known on D + 1; 0: known on the day itself).

    Returns:
        A Series of plain ``bool`` (numpy dtype ``bool``, not pandas' nullable
        ``boolean``), on ``flights.index`` in the same order: True when the flight's label
        is not missing AND its date plus ``label_delay_days`` days is on or before
        ``as_of``.

    Raises:
        Nothing of its own.

    Invariants (checked):
        * a flight whose label is missing is never known, however late the report;
        * the boundary is inclusive: with a 1-day delay, day D's flights are known on
          D + 1, not on D.
    """
    # TODO: your code here
    raise NotImplementedError("known_labels")


def quality_as_of(
    current: pd.DataFrame, as_of: dt.date, threshold: float, label_delay_days: int = 1
) -> dict[str, float]:
    """The champion's quality on the flights of ``current`` whose outcome was known on
    ``as_of`` (exercise 3b).

    Why: quality is the truth about a model, but only for the flights whose outcome has
    arrived; a report rerun later, with more labels, may say more, never something it could
    not have known at the time.

    Args:
        current: the window's flights: ``year``, ``month``, ``day``, :data:`TARGET`
            (``is_delayed``, nullable boolean) and :data:`PREDICTION` (``prediction``, the
            champion's delay probability).
        as_of: the day of the report.
        threshold: the champion's decision threshold: a flight is predicted delayed when
            its prediction is at or above it.
        label_delay_days: passed on to :func:`known_labels` (same default, 1).

    Returns:
        A dict whose keys are exactly :data:`QUALITY_KEYS`, in that order, every value a
        plain ``float``:

        * ``labelled``: the known flights' share of *all* of ``current``'s flights
          (cancelled ones included in the count); 0.0 when ``current`` is empty;
        * on the known flights only, with outcome 1 for delayed and 0 for on time:
          ``observed_rate`` (share delayed), ``roc_auc`` (NaN when the known flights hold
          one class only, as week 3's ``ranking_scores`` gives it), ``brier`` (mean squared
          difference between prediction and outcome), ``precision`` and ``recall`` at
          ``threshold`` (as week 3's ``scores_at`` gives them);
        * no known flight at all (or an empty ``current``): ``labelled`` as above and NaN
          for every other key.

    Raises:
        Nothing of its own: "no label yet" is a NaN, not an error.

    Invariants (checked):
        * a flight whose outcome was not known on ``as_of`` counts in no number but the
          denominator of ``labelled``, even when ``current`` already holds its outcome;
        * ``label_delay_days`` changes which flights are known, exactly as in
          :func:`known_labels`.
    """
    # TODO: your code here
    raise NotImplementedError("quality_as_of")
