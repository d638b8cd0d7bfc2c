"""Exercise 4 — the best run of a search, chosen on validation, never on test.

Fill in ``best_run``, then check it with ``uv run course grade week06``.
The reference solution lives in ``week06_mlflow/search.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd

#: The metric the search optimises: ROC-AUC on the validation window.
SELECTION_METRIC = "valid_roc_auc"


def best_run(runs: pd.DataFrame, metric: str = SELECTION_METRIC) -> pd.Series:
    """The row of ``runs`` (a ``mlflow.search_runs`` frame) with the highest ``metric``
    (exercise 4).

    Only finished runs (``status == "FINISHED"``) with a value for ``metrics.<metric>`` count;
    on a tie the first such row wins (``search_runs`` lists the newest first). Raises
    ``ValueError`` when ``metric`` is a test metric (``test_...``: never select on the test
    window), when ``runs`` has no ``metrics.<metric>`` column, or when no run qualifies; each
    message names ``metric``.

    Steps:
      1. Refuse ``metric.startswith("test")`` with ``ValueError(f"... got {metric!r} ...")``.
      2. ``column = f"metrics.{metric}"``; refuse a missing column with a ``ValueError``.
      3. Keep the rows with ``status == "FINISHED"`` and a non-NaN ``column``; none left:
         ``ValueError``.
      4. ``return candidates.loc[candidates[column].idxmax()]``.
    """
    # TODO: your code here
    raise NotImplementedError("best_run")
