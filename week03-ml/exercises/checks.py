"""Exercise 7 — the building block of behavioural model checks.

A good AUC does not say a model behaves sensibly. Behavioural checks change one input on every
row and watch the prediction: changing the tail number must change nothing (invariance), heavy
rain must not make a delay much less likely (direction). Both need the same measurement.

Check your work with ``uv run course grade week03``; stuck? Run
``uv run course hint week03 prediction_shift`` for one hint step at a time.
The reference solution lives in ``week03_ml/checks.py``: look only once you are done.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from week03_ml.checks import Classifier


def prediction_shift(model: Classifier, X: pd.DataFrame, column: str, value: Any) -> pd.Series:
    """How much each row's delay probability moves when ``column`` is set to ``value``.

    Args:
        model: anything with ``predict_proba(frame)`` returning one row per flight and two
            columns, the probability of "on time" (column 0) and of "delayed" (column 1), as a
            fitted scikit-learn classifier does.
        X: the flights the model scores; any index.
        column: the column to change on every row.
        value: the value every row gets in that column.

    Returns:
        A Series of ``P(delayed | changed row) - P(delayed | original row)``, one per row:
        positive when the change makes a delay *more* likely, 0 where it changes nothing. Its
        index is ``X.index`` (same labels, same order) and its name is ``column``.

    Raises:
        KeyError: when ``X`` has no column ``column``; the message names the column, e.g.
            ``"X has no column 'visibility'"``.

    Invariants (checked):
        - The caller's frame is not modified: after the call ``X`` holds exactly the values,
          dtypes and columns it held before (a checker calls this many times on one frame).
        - A column the model ignores gives a shift of exactly 0 on every row.
    """
    # TODO: your code here
    raise NotImplementedError("prediction_shift")
