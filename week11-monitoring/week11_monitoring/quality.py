"""Quality once the labels are in: a flight's outcome is only known after it lands.

On the morning of day D the warehouse holds the outcomes of the flights of days up to
D - ``label_delay_days``; later flights have no label *yet*, and cancelled or diverted
flights never get one (week 1's ``is_delayed`` is ``<NA>`` for them). Every quality number
of a report made on day ``as_of`` is computed on the flights whose outcome was known then,
so a report rerun later (with more labels) can say more, never something it could not have
known at the time.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
import pandas as pd

from week01_data.target import TARGET
from week03_ml.evaluate import ranking_scores, scores_at
from week03_ml.split import flight_date

log = logging.getLogger(__name__)

#: the column holding the champion's delay probability for each flight
PREDICTION = "prediction"
#: the keys of :func:`quality_as_of`'s answer, in the report table's order
QUALITY_KEYS = ("labelled", "observed_rate", "roc_auc", "brier", "precision", "recall")


def known_labels(flights: pd.DataFrame, as_of: dt.date, label_delay_days: int = 1) -> pd.Series:
    """True for each flight whose outcome was known on ``as_of`` (exercise 3a): its label is
    not missing (cancelled and diverted flights never get one) and its date plus
    ``label_delay_days`` is on or before ``as_of``. A boolean Series on ``flights.index``."""
    date = flight_date(flights)
    due = date + pd.Timedelta(days=label_delay_days) <= pd.Timestamp(as_of)
    return (flights[TARGET].notna() & due).astype(bool)


def quality_as_of(
    current: pd.DataFrame, as_of: dt.date, threshold: float, label_delay_days: int = 1
) -> dict[str, float]:
    """The champion's quality on the flights of ``current`` whose outcome was known on
    ``as_of`` (:func:`known_labels`) (exercise 3b). On those flights only:

    * ``labelled``: their share of ``current`` (0.0 for an empty ``current``);
    * ``observed_rate``: the share delayed;
    * ``roc_auc``: week 3's :func:`~week03_ml.evaluate.ranking_scores` (NaN with one class);
    * ``brier``: mean of ``(prediction - outcome) ** 2``, outcome 1 for delayed;
    * ``precision``, ``recall``: week 3's :func:`~week03_ml.evaluate.scores_at` at
      ``threshold`` (a flight is predicted delayed when ``prediction >= threshold``).

    With no known outcome every number but ``labelled`` is NaN. Reads the ``year``/``month``/
    ``day``, ``is_delayed`` and ``prediction`` columns.
    """
    known = known_labels(current, as_of, label_delay_days)
    share = float(known.mean()) if len(current) else 0.0
    if not known.any():
        return {"labelled": share, **{k: float("nan") for k in QUALITY_KEYS[1:]}}
    y = current.loc[known, TARGET].astype("int64").to_numpy()
    p = current.loc[known, PREDICTION].to_numpy(dtype="float64")
    at = scores_at(y, p, threshold)
    return {
        "labelled": share,
        "observed_rate": float(y.mean()),
        "roc_auc": ranking_scores(y, p)["roc_auc"],
        "brier": float(np.mean((p - y) ** 2)),
        "precision": at["precision"],
        "recall": at["recall"],
    }
