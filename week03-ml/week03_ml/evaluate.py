"""Measuring a model honestly: ranking metrics, a decision threshold chosen on the validation
window (never on the test window), and the scores month by month.

ROC-AUC and PR-AUC judge the ranking and need no threshold. An operator needs a yes/no, so the
threshold that maximises F1 is chosen on *validation* data and then applied, unchanged, to the
test window: choosing it on the test window would report a score no one can reproduce on next
month's flights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
)


def choose_threshold(y_true: ArrayLike, scores: ArrayLike) -> float:
    """The score threshold that maximises F1 on (``y_true``, ``scores``): call it on the
    *validation* window only.

    A flight is predicted delayed when ``score >= threshold``. The threshold returned is one of
    the scores; on ties in F1 the highest such threshold wins (fewer alarms for the same F1),
    and F1 values equal up to floating-point rounding are ties. Raises ``ValueError`` when
    ``y_true`` holds no delayed flight (F1 is then undefined).
    """
    y = np.asarray(y_true, dtype="int64")
    s = np.asarray(scores, dtype="float64")
    if y.sum() == 0:
        raise ValueError("y_true has no positive (delayed) flight: F1 is undefined")
    precision, recall, thresholds = precision_recall_curve(y, s)
    # precision/recall have one more entry than thresholds (the point recall=0): drop it
    p, r = precision[:-1], recall[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    # Equal F1s can differ in the last bit (P=0.5, R=1 gives 0.6666666666666666, P=0.6, R=0.75
    # gives 0.6666666666666665): a tie is within 1e-12 of the best, far below any real gap
    # (two F1 = 2TP / (2TP + FP + FN) of n flights differ by 0 or at least 1 / (4 n^2): 2.5e-11
    # for 10^5 flights). Thresholds are increasing: the last index is the highest threshold.
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)[-1]
    return float(thresholds[best])


def scores_at(y_true: ArrayLike, scores: ArrayLike, threshold: float) -> dict[str, float]:
    """Precision, recall and F1 when ``score >= threshold`` means "delayed"."""
    y = np.asarray(y_true, dtype="int64")
    predicted = (np.asarray(scores, dtype="float64") >= threshold).astype("int64")
    return {
        "precision": float(precision_score(y, predicted, zero_division=0)),
        "recall": float(recall_score(y, predicted, zero_division=0)),
        "f1": float(f1_score(y, predicted, zero_division=0)),
    }


def ranking_scores(y_true: ArrayLike, scores: ArrayLike) -> dict[str, float]:
    """ROC-AUC and PR-AUC (average precision); NaN when only one class is present."""
    y = np.asarray(y_true, dtype="int64")
    if np.unique(y).size < 2:
        return {"roc_auc": float("nan"), "pr_auc": float("nan")}
    s = np.asarray(scores, dtype="float64")
    return {
        "roc_auc": float(roc_auc_score(y, s)),
        "pr_auc": float(average_precision_score(y, s)),
    }


def holdout_scores(
    y_valid: ArrayLike, p_valid: ArrayLike, y_test: ArrayLike, p_test: ArrayLike
) -> dict[str, float]:
    """The test window's scores, with the threshold chosen on the validation window.

    Returns ``threshold`` (from :func:`choose_threshold` on the validation labels and scores),
    then the *test* window's ``roc_auc``, ``pr_auc``, and ``precision``, ``recall``, ``f1`` at
    that threshold.
    """
    threshold = choose_threshold(y_valid, p_valid)
    return {
        "threshold": threshold,
        **ranking_scores(y_test, p_test),
        **scores_at(y_test, p_test, threshold),
    }


def metrics_by_month(months: ArrayLike, y_true: ArrayLike, scores: ArrayLike) -> pd.DataFrame:
    """One row per month present (ascending): ``month``, ``flights``, ``delay_rate``,
    ``roc_auc``, ``pr_auc``.

    Each month is scored on its own flights only. A month with a single class gets NaN AUCs
    rather than an error (a quiet month is data, not a crash).
    """
    frame = pd.DataFrame(
        {
            "month": np.asarray(months, dtype="int64"),
            "y": np.asarray(y_true, dtype="int64"),
            "score": np.asarray(scores, dtype="float64"),
        }
    )
    rows = []
    for _, group in frame.groupby("month", sort=True):
        rows.append(
            {
                "month": int(group["month"].iloc[0]),
                "flights": len(group),
                "delay_rate": float(group["y"].mean()),
                **ranking_scores(group["y"], group["score"]),
            }
        )
    return pd.DataFrame(rows, columns=["month", "flights", "delay_rate", "roc_auc", "pr_auc"])


def metrics_by_segment(
    segments: pd.Series, y_true: ArrayLike, scores: ArrayLike, min_flights: int = 200
) -> pd.DataFrame:
    """Like :func:`metrics_by_month` for any segment (carrier, hour, "raining"...): one row per
    value with at least ``min_flights`` flights, sorted by ROC-AUC (worst first)."""
    frame = pd.DataFrame(
        {
            "segment": np.asarray(segments),
            "y": np.asarray(y_true, dtype="int64"),
            "score": np.asarray(scores, dtype="float64"),
        }
    )
    rows = [
        {
            "segment": key,
            "flights": len(group),
            "delay_rate": float(group["y"].mean()),
            **ranking_scores(group["y"], group["score"]),
        }
        for key, group in frame.groupby("segment", sort=True, observed=True)
        if len(group) >= min_flights
    ]
    table = pd.DataFrame(rows, columns=["segment", "flights", "delay_rate", "roc_auc", "pr_auc"])
    return table.sort_values("roc_auc", ignore_index=True).rename(
        columns={"segment": segments.name or "segment"}
    )
