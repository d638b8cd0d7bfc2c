"""Exercises 4, 5 and 6 — a threshold chosen on validation, test scores at that threshold, and
the scores month by month.

ROC-AUC and PR-AUC judge how well a model *ranks* flights and need no threshold; an operator
needs a yes/no, so a threshold is chosen on the validation window and applied, unchanged, to the
test window. Choosing it on the test window reports a score nobody will see next month.

Check your work with ``uv run course grade week03``; stuck? Run
``uv run course hint week03 EXERCISE`` (``choose_threshold``, ``holdout_scores``,
``metrics_by_month``) for one hint step at a time. The reference solution lives in
``week03_ml/evaluate.py``: look only once you are done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.metrics import precision_recall_curve

from week03_ml.evaluate import ranking_scores, scores_at


def choose_threshold(y_true: ArrayLike, scores: ArrayLike) -> float:
    """The score threshold with the best F1 on (``y_true``, ``scores``).

    Call it on the *validation* window only. A flight is predicted delayed when its
    ``score >= threshold``; F1 is ``2 * precision * recall / (precision + recall)``, taken as 0
    where precision and recall are both 0.

    Args:
        y_true: 0/1 (or boolean) labels, 1 = delayed.
        scores: the model's delay probabilities (any real numbers), same length; ties allowed,
            any order.

    Returns:
        A Python ``float`` equal to one of ``scores``: among the scores used as thresholds, the
        one whose F1 is the highest. When several thresholds reach the best F1, the highest of
        them wins (fewer alarms for the same F1). Two F1 values that differ only by
        floating-point rounding (a difference below ``1e-12``) count as equal: P=0.5, R=1 and
        P=0.6, R=0.75 are both F1 = 2/3, though the formula rounds them differently.

    Raises:
        ValueError: when ``y_true`` holds no delayed flight (F1 is undefined then); any message.

    Invariants (checked):
        - The best F1 is the goal, not full recall: the answer may leave a delay uncaught.
        - A top score that is on time (precision and recall 0 there) must not break F1.
        - Scores need not be sorted.
    """
    # TODO: your code here
    raise NotImplementedError("choose_threshold")


def holdout_scores(
    y_valid: ArrayLike, p_valid: ArrayLike, y_test: ArrayLike, p_test: ArrayLike
) -> dict[str, float]:
    """The test window's scores, at the threshold chosen on the validation window.

    This is the honest number a model is reported with: the decision rule is fixed before the
    test window is looked at, and the test window is only scored.

    Args:
        y_valid, p_valid: the validation window's labels (1 = delayed) and delay probabilities.
        y_test, p_test: the test window's labels and delay probabilities.

    Returns:
        A dict of floats with (at least) these keys:
        ``threshold`` — :func:`choose_threshold` of the validation window;
        ``roc_auc`` — the test window's ROC-AUC;
        ``pr_auc`` — the test window's average precision (scikit-learn's
        ``average_precision_score``, not a trapezoid under the precision-recall curve);
        ``precision``, ``recall``, ``f1`` — of the test window when ``score >= threshold``
        means "delayed" (0 where a metric divides by zero).
        The imported helpers :func:`ranking_scores` (the two AUCs, NaN for one class) and
        :func:`scores_at` (the three threshold metrics) compute exactly these.

    Raises:
        ValueError: from :func:`choose_threshold` when the validation window has no delay.

    Invariants (checked):
        - The threshold does not depend on the test window at all.
        - Every other value is the test window's, never the validation window's.
    """
    # TODO: your code here
    raise NotImplementedError("holdout_scores")


def metrics_by_month(months: ArrayLike, y_true: ArrayLike, scores: ArrayLike) -> pd.DataFrame:
    """The ranking scores of each month on its own.

    One AUC over four months partly measures the model telling calm months from stormy ones;
    month by month shows how well it ranks the flights of a given month, and whether that
    degrades as the season moves away from the training data.

    Args:
        months: the month (1-12) of each flight.
        y_true: 0/1 labels (1 = delayed), same length.
        scores: delay probabilities, same length.

    Returns:
        A DataFrame with exactly the columns ``month``, ``flights``, ``delay_rate``,
        ``roc_auc``, ``pr_auc`` in that order, and one row per month present, months
        ascending: the month, its number of flights, its share of delayed flights, its ROC-AUC
        and its average precision (as :func:`ranking_scores` gives them), each computed from
        that month's flights only.

    Raises:
        Nothing of its own: a month with a single class (every flight on time, every flight
        delayed, or a single flight) is not an error; its ``roc_auc`` and ``pr_auc`` are NaN.

    Invariants (checked):
        - A month with a single flight (so a single class) is a row like the others, with NaN
          AUCs.
        - No flight at all gives an empty table that still has the five columns in order.
        - Inputs may be lists, arrays or Series, in any order of months.
    """
    # TODO: your code here
    raise NotImplementedError("metrics_by_month")
