"""Behavioural checks of a trained model (the "CheckList" idea applied to tabular data).

A good AUC does not say the model behaves sensibly. Three kinds of checks do:

* invariance: changing something irrelevant (the tail number, the flight number) must not
  change the prediction;
* direction: making the weather much worse must not make a delay much *less* likely;
* minimum functionality: on a real month the model ranks delays better than a floor.

:func:`prediction_shift` is the building block of the first two.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pandas as pd


class Classifier(Protocol):
    """Anything with ``predict_proba`` (a fitted scikit-learn pipeline)."""

    def predict_proba(self, X: pd.DataFrame) -> Any: ...


def prediction_shift(model: Classifier, X: pd.DataFrame, column: str, value: Any) -> pd.Series:
    """How much the delay probability moves when ``column`` is set to ``value`` on every row.

    Returns ``p(changed) - p(original)`` per row (positive: the change made a delay *more*
    likely), aligned with ``X.index`` and named ``column``. ``X`` itself is not modified.
    Raises ``KeyError`` naming the column when ``X`` has no such column.
    """
    if column not in X.columns:
        raise KeyError(f"X has no column {column!r}")
    changed = X.copy()
    changed[column] = value
    before = np.asarray(model.predict_proba(X))[:, 1]
    after = np.asarray(model.predict_proba(changed))[:, 1]
    return pd.Series(after - before, index=X.index, name=column)


def worst_direction_violation(model: Classifier, X: pd.DataFrame, column: str, value: Any) -> float:
    """The largest *drop* in delay probability when ``column`` is set to ``value`` (0 if none).

    For a change that should only make delays likelier (heavy rain, fog), a good model keeps
    this small.
    """
    return float(max(0.0, -prediction_shift(model, X, column, value).min()))
