"""Exercise 8 — the skew check's comparison: two feature tables, flight by flight.

Fill in the function below, then check it with ``uv run course grade week04``. The reference
solution lives in ``week04_sql/parity.py``: look only once you are done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from week04_sql.features import KEYS
from week04_sql.parity import _show


def compare_features(sql: pd.DataFrame, pandas: pd.DataFrame, *, rtol: float = 1e-9) -> list[str]:
    """Every difference between two feature tables, as sentences; empty when they agree.

    Rows are matched on :data:`KEYS`; numbers must agree to ``rtol`` with NaN equal to NaN
    (SQL NULL); other values exactly. Each sentence names the feature, how many flights differ,
    the first such flight and both values.

    Steps:
      1. Columns on one side only: one sentence ``"columns only on one side: [...]"``.
      2. Sort both by :data:`KEYS` (row order is not a difference); different row counts: add
         ``"row counts differ: SQL n, pandas m"`` and stop; different keys: say so and stop.
      3. For each column of ``pandas`` that ``sql`` also has: numbers (not booleans) with
         ``np.isclose(x, y, rtol=rtol, atol=1e-12, equal_nan=True)``; other values equal or
         both missing.
      4. For a column that differs: ``f"{column}: {n} flights differ, first {flight}: SQL
         {a} vs week03 {b}"`` with the first differing flight's keys and both values
         (``_show`` writes a value as a person reads it).
    """
    # TODO: your code here
    raise NotImplementedError("compare_features")
