"""Plots of a model's scores: ROC and precision-recall curves, calibration, AUC per month.

Each function draws on the ``ax`` it is given (or a new one) and returns it, so a notebook can
lay several out side by side. matplotlib is imported inside the functions: importing this
module costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Curves = Mapping[str, tuple[ArrayLike, ArrayLike]]  # model name -> (y_true, scores)


def _axes(ax: Axes | None, size: tuple[float, float] = (4.5, 4)) -> Axes:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_roc(curves: Curves, ax: Axes | None = None) -> Axes:
    """ROC curve of each model, with its AUC in the legend."""
    from sklearn.metrics import roc_auc_score, roc_curve

    ax = _axes(ax)
    for name, (y, s) in curves.items():
        fpr, tpr, _ = roc_curve(y, s)
        ax.plot(fpr, tpr, label=f"{name} (AUC {roc_auc_score(y, s):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC")
    ax.legend(loc="lower right")
    return ax


def plot_pr(curves: Curves, ax: Axes | None = None) -> Axes:
    """Precision-recall curve of each model, the base rate (what a constant model achieves) as
    a dotted line."""
    from sklearn.metrics import average_precision_score, precision_recall_curve

    ax = _axes(ax)
    for name, (y, s) in curves.items():
        if np.unique(np.asarray(s)).size < 2:
            continue  # a constant model is the base-rate line drawn below
        precision, recall, _ = precision_recall_curve(y, s)
        ax.plot(recall, precision, label=f"{name} (AP {average_precision_score(y, s):.3f})")
    first = next(iter(curves.values()))[0]
    ax.axhline(float(np.mean(np.asarray(first))), color="grey", linestyle=":", label="base rate")
    ax.set(xlabel="recall", ylabel="precision", title="Precision-recall")
    ax.legend(loc="upper right")
    return ax


def plot_calibration(curves: Curves, ax: Axes | None = None, bins: int = 10) -> Axes:
    """Mean predicted probability vs observed delay rate, per quantile bin of the scores."""
    from sklearn.calibration import calibration_curve

    ax = _axes(ax)
    for name, (y, s) in curves.items():
        if np.unique(np.asarray(s)).size < 2:
            continue  # a constant model has one point and no curve
        observed, predicted = calibration_curve(y, s, n_bins=bins, strategy="quantile")
        ax.plot(predicted, observed, marker="o", label=name)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
    ax.set(xlabel="mean predicted probability", ylabel="observed delay rate", title="Calibration")
    ax.legend(loc="upper left")
    return ax


def plot_monthly_auc(by_month: Mapping[str, pd.DataFrame], ax: Axes | None = None) -> Axes:
    """ROC-AUC per month (tables from :func:`week03_ml.evaluate.metrics_by_month`)."""
    ax = _axes(ax, (7, 3.5))
    for name, table in by_month.items():
        ax.plot(table["month"], table["roc_auc"], marker="o", label=name)
    ax.axhline(0.5, color="grey", linestyle=":")
    ax.set(xlabel="month", ylabel="ROC-AUC", title="ROC-AUC per month")
    ax.legend(loc="lower left")
    return ax
