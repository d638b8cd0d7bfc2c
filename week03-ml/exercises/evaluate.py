"""Exercises 4, 5 and 6 — a threshold chosen on validation, test scores at that threshold, and
the scores month by month.

Fill in the three functions below, then check them with ``uv run course grade week03``.
The reference solution lives in ``week03_ml/evaluate.py``: look only once you are done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.metrics import precision_recall_curve

from week03_ml.evaluate import ranking_scores, scores_at


def choose_threshold(y_true: ArrayLike, scores: ArrayLike) -> float:
    """The score threshold that maximises F1 on (``y_true``, ``scores``): call it on the
    *validation* window only.

    A flight is predicted delayed when ``score >= threshold``. The threshold returned is one of
    the scores; on ties in F1 the highest such threshold wins (fewer alarms for the same F1),
    and F1 values equal up to floating-point rounding are ties. Raises ``ValueError`` when
    ``y_true`` holds no delayed flight (F1 is then undefined).

    Steps:
      1. ``y = np.asarray(y_true)``; raise ``ValueError`` if ``y.sum() == 0``.
      2. ``precision, recall, thresholds = precision_recall_curve(y, scores)``: precision and
         recall have one entry more than thresholds (the last one): drop it.
      3. F1 = 2 P R / (P + R) (0 where P + R is 0).
      4. Return ``float(thresholds[i])`` for the *last* index ``i`` with the best F1
         (thresholds are increasing, so the last is the highest). Compare with a tolerance,
         not ``==``: 2 P R / (P + R) gives 0.6666666666666666 for P=0.5, R=1 but
         0.6666666666666665 for P=0.6, R=0.75, the same F1 of 2/3 (``1e-12`` is far below any
         real difference between two thresholds' F1).
    """
    # TODO: your code here
    raise NotImplementedError("choose_threshold")


def holdout_scores(
    y_valid: ArrayLike, p_valid: ArrayLike, y_test: ArrayLike, p_test: ArrayLike
) -> dict[str, float]:
    """The test window's scores, with the threshold chosen on the validation window.

    Returns ``threshold`` (from :func:`choose_threshold` on the validation labels and scores),
    then the *test* window's ``roc_auc``, ``pr_auc``, and ``precision``, ``recall``, ``f1`` at
    that threshold.

    Steps:
      1. ``threshold = choose_threshold(...)`` — on which window? (Never the test window: that
         would report a score nobody can reproduce next month.)
      2. Merge ``{"threshold": ...}``, ``ranking_scores(y_test, p_test)`` and
         ``scores_at(y_test, p_test, threshold)`` into one dict.
    """
    # TODO: your code here
    raise NotImplementedError("holdout_scores")


def metrics_by_month(months: ArrayLike, y_true: ArrayLike, scores: ArrayLike) -> pd.DataFrame:
    """One row per month present (ascending): ``month``, ``flights``, ``delay_rate``,
    ``roc_auc``, ``pr_auc``.

    Each month is scored on its own flights only. A month with a single class gets NaN AUCs
    rather than an error (a quiet month is data, not a crash).

    Steps:
      1. Put the three arrays in one DataFrame (``month``, ``y``, ``score``).
      2. For each month (``groupby("month", sort=True)``): the number of flights, the mean of
         ``y``, and ``ranking_scores(group["y"], group["score"])`` (already NaN-safe).
      3. Return a DataFrame with exactly the five columns, in that order.
    """
    # TODO: your code here
    raise NotImplementedError("metrics_by_month")
