"""Exercise 7 — the building block of behavioural model checks.

Fill in ``prediction_shift``, then check it with ``uv run course grade week03``.
The reference solution lives in ``week03_ml/checks.py``: look only once you are done.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from week03_ml.checks import Classifier


def prediction_shift(model: Classifier, X: pd.DataFrame, column: str, value: Any) -> pd.Series:
    """How much the delay probability moves when ``column`` is set to ``value`` on every row.

    Returns ``p(changed) - p(original)`` per row (positive: the change made a delay *more*
    likely), aligned with ``X.index`` and named ``column``. ``X`` itself is not modified.
    Raises ``KeyError`` naming the column when ``X`` has no such column.

    Steps:
      1. ``KeyError(f"X has no column {column!r}")`` when the column is missing.
      2. Change a *copy* of ``X`` (never the caller's frame): ``changed[column] = value``.
      3. The delay probability is column 1 of ``model.predict_proba(...)``.
      4. ``pd.Series(after - before, index=X.index, name=column)``.
    """
    # TODO: your code here
    raise NotImplementedError("prediction_shift")
