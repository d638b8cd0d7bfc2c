"""Exercise 4 — the best run of a search, chosen on validation, never on test.

Fill in ``best_run``, then check it with ``uv run course grade week06``; stuck? ``uv run course
hint week06 best_run`` gives one hint step at a time. The reference solution lives in
``week06_mlflow/search.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd

#: The metric the search optimises: ROC-AUC on the validation window.
SELECTION_METRIC = "valid_roc_auc"


def best_run(runs: pd.DataFrame, metric: str = SELECTION_METRIC) -> pd.Series:
    """The run of a search with the highest validation score (exercise 4).

    The test window exists to measure the chosen model once, after the choice; choosing on it
    makes its score a flattering guess. Failed runs and runs that never logged the score are
    not candidates.

    Args:
        runs: a ``mlflow.search_runs`` frame (pandas): one row per run, a ``status`` column
            (``"FINISHED"``, ``"FAILED"``, ...), metric columns named ``metrics.<name>`` (NaN
            when a run did not log it), and any other columns. Its index may hold any labels,
            in any order.
        metric: the name of the metric to maximise, without the ``metrics.`` prefix.

    Returns:
        The winning row as a ``pandas.Series`` with every column of ``runs``: the highest
        ``metrics.<metric>`` among the rows whose ``status`` is ``"FINISHED"`` and whose value
        is not NaN. On a tie the first such row of ``runs`` wins (``search_runs`` lists the
        newest first).

    Raises:
        ValueError: each message contains ``metric`` itself (e.g. ``"test_roc_auc"``):

            - when ``metric`` starts with ``test`` (never select on the test window), even if
              ``runs`` has that column;
            - when ``runs`` has no ``metrics.<metric>`` column (a metric nobody logged: not a
              ``KeyError``);
            - when no run qualifies (none finished, or none with a value).

    Invariants (checked):
        - A failed run never wins, however high its score.
        - The result is the same when the rows are relabelled and reversed.
    """
    # TODO: your code here
    raise NotImplementedError("best_run")
