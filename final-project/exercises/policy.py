"""Exercises 3 and 4 — roll a new champion back when live traffic says it is worse, and the
number the capstone's report leads with.

Fill in the functions below, then check them with ``uv run course grade final-project``. The
reference solution lives in ``capstone/policy.py``: look only once you are done.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from week06_mlflow.registry import Decision


def should_roll_back(
    new_losses: Sequence[float],
    old_losses: Sequence[float],
    *,
    min_flights: int,
    margin: float = 0.0,
    z: float = 1.645,
) -> Decision:
    """Roll the new champion back? ``new_losses[i]`` and ``old_losses[i]`` are the log losses
    of the *same* flight ``i`` under the new champion and under the one it replaced.

    Why: a model that won its A/B test can still lose once it serves everybody. Comparing the
    two means alone wastes the pairing: the flight-to-flight spread (a stormy evening is hard
    for both models) hides a small, steady difference that the per-flight difference shows.

    Steps:
      1. ``new = np.asarray(new_losses, dtype="float64")``, the same for ``old``; different
         shapes: ``ValueError`` (the comparison is paired). ``min_flights < 2``: ``ValueError``
         naming ``min_flights`` (a standard error needs two flights).
      2. Fewer than ``min_flights`` flights: ``Decision(False, reason)``, the reason giving how
         many there are and how many are needed.
      3. ``d = new - old``; ``mean = d.mean()``; ``se = d.std(ddof=1) / sqrt(n)``.
      4. Roll back (``True``) only when ``mean - z * se > margin``: worse by more than
         ``margin``, beyond chance. The reason: ``f"log loss {mean:+.4f} per flight (standard
         error {se:.4f}) against the previous champion on {n} flights: roll back"`` (or
         ``keep``).
    """
    # TODO: your code here
    raise NotImplementedError("should_roll_back")


def recovered_share(
    validation: float, static: float, policy: float, *, higher_is_better: bool = True
) -> float:
    """The share of the champion's loss from validation to production that the retraining
    policy won back.

    Why: "the policy's AUC is 0.71" says nothing alone; against what the champion promised
    (validation) and what it delivered untouched (static), it says what retraining is worth.

    Steps:
      1. Any NaN input: return NaN.
      2. ``lost = validation - static`` when higher is better (ROC-AUC), ``static - validation``
         for a loss (log loss, ``higher_is_better=False``). ``lost <= 0``: NaN (nothing to
         recover).
      3. ``won = policy - static`` (higher is better) or ``static - policy`` (a loss).
      4. Return ``won / lost``: 1.0 as good as promised, 0.0 no better than never retraining,
         negative worse.
    """
    # TODO: your code here
    raise NotImplementedError("recovered_share")
