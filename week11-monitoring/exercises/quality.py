"""Exercise 3 — labels arrive late: quality on what was known at the time.

Fill in the functions below, then check them with ``uv run course grade week11``. The
reference solution lives in ``week11_monitoring/quality.py``: look only once you are done.
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
    """True for each flight whose outcome was known on ``as_of`` (exercise 3a).

    Why: a flight's outcome exists only after it lands, and reaches the warehouse the next
    morning (``label_delay_days=1``) or later. A quality number computed with outcomes that
    were not known yet is one nobody could have seen on that day.

    Steps:
      1. ``date = flight_date(flights)``.
      2. Known: ``flights[TARGET]`` is not missing (a cancelled flight never gets a label) AND
         ``date + pd.Timedelta(days=label_delay_days) <= pd.Timestamp(as_of)``.
      3. Return it as a plain ``bool`` Series on ``flights.index``.
    """
    # TODO: your code here
    raise NotImplementedError("known_labels")


def quality_as_of(
    current: pd.DataFrame, as_of: dt.date, threshold: float, label_delay_days: int = 1
) -> dict[str, float]:
    """The champion's quality on the flights of ``current`` whose outcome was known on
    ``as_of`` (exercise 3b).

    Steps:
      1. ``known = known_labels(current, as_of, label_delay_days)``;
         ``labelled`` = its share of ``current`` (``known.mean()``; 0.0 for an empty frame).
      2. No known flight: return ``labelled`` and NaN for every other key of
         :data:`QUALITY_KEYS`.
      3. Else, on the known flights only: ``y`` = ``is_delayed`` as 0/1, ``p`` =
         ``prediction``; ``observed_rate`` = mean of ``y``; ``roc_auc`` = week 3's
         ``ranking_scores(y, p)["roc_auc"]`` (NaN with one class); ``brier`` = mean of
         ``(p - y) ** 2``; ``precision`` and ``recall`` = week 3's ``scores_at(y, p,
         threshold)`` (``p >= threshold`` means "delayed").
      4. Return a dict with the keys of :data:`QUALITY_KEYS`, in that order, as plain floats.
    """
    # TODO: your code here
    raise NotImplementedError("quality_as_of")
