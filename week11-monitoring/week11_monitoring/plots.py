"""The report table as a picture: drift, prediction vs observed delay rate, and quality, one
point per window."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def plot_windows(table: pd.DataFrame, expected_auc: float | None = None) -> Figure:
    """Three panels sharing the window axis: drift share and prediction drift; mean predicted
    vs observed delay rate; ROC-AUC (with the champion's expected AUC as a line) and Brier."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 7.5), layout="constrained")
    drift, rates, quality = figure.subplots(3, 1, sharex=True)
    x = range(len(table))
    labels = {"drift_share": "share of drifted features", "prediction_drift": "prediction drift"}
    _lines(drift, x, table, labels)
    drift.set_title("Inputs and predictions vs the training window")
    _lines(rates, x, table, {"mean_predicted": "mean predicted", "observed_rate": "observed"})
    rates.set_title("Delay rate: what the model expected, what happened (known labels)")
    _lines(quality, x, table, {"roc_auc": "ROC-AUC", "brier": "Brier score"})
    if expected_auc is not None:
        quality.axhline(expected_auc, color="grey", linestyle="--", label="expected AUC")
        quality.legend(loc="best", fontsize=8)
    quality.set_title("Quality on the flights whose outcome was known")
    quality.set_xticks(list(x), [str(w) for w in table["window"]], rotation=45, ha="right")
    return figure


def _lines(ax: Axes, x: range, table: pd.DataFrame, columns: dict[str, str]) -> None:
    for column, label in columns.items():
        ax.plot(list(x), table[column], marker="o", label=label)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)


def save_plot(table: pd.DataFrame, path: Path, expected_auc: float | None = None) -> Path:
    """:func:`plot_windows` saved as a PNG at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    plot_windows(table, expected_auc).savefig(path, dpi=100)
    return path
