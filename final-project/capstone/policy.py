"""Two decisions the capstone adds to week13's policy, and the number the report leads with.

* :func:`should_roll_back`: after a promotion, the new champion's live log loss is compared,
  flight by flight, with the model it replaced (scored on the same flights). A model that won
  its A/B test can still lose once it serves everybody (another season, another mix of
  flights); when it does, week13's ``rollback`` makes the previous version champion again.
* :func:`recovered_share`: how much of what the champion lost between its validation and
  production the retraining policy won back.
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
    """Roll the new champion back? (exercise 3) ``new_losses[i]`` and ``old_losses[i]`` are
    the log losses of the *same* flight ``i`` under the new champion and the one it replaced.

    * ``ValueError`` when the two have different lengths (the comparison is paired: each flight
      against itself) or when ``min_flights < 2`` (a standard error needs two flights);
    * fewer than ``min_flights`` flights: ``Decision(False, ...)``, the reason says how many
      there are and how many are needed;
    * otherwise, with ``d = new - old`` per flight, its mean and standard error
      (``std(d, ddof=1) / sqrt(n)``): roll back (``True``) only when
      ``mean - z * se > margin``: the new model is worse by more than ``margin``, beyond
      chance. The reason gives the mean, the standard error, the flights and the verdict
      (``"roll back"`` or ``"keep"``).
    """
    new = np.asarray(new_losses, dtype="float64")
    old = np.asarray(old_losses, dtype="float64")
    if new.shape != old.shape:
        raise ValueError(
            f"new_losses and old_losses must be the same flights, got {new.size} and {old.size}"
        )
    if min_flights < 2:
        raise ValueError(f"min_flights must be >= 2, got {min_flights}")
    n = new.size
    if n < min_flights:
        return Decision(False, f"{n} flights with known outcomes, {min_flights} needed: keep")
    diff = new - old
    mean = float(diff.mean())
    se = float(diff.std(ddof=1)) / math.sqrt(n)
    worse = mean - z * se > margin
    return Decision(
        worse,
        f"log loss {mean:+.4f} per flight (standard error {se:.4f}) against the previous "
        f"champion on {n} flights: {'roll back' if worse else 'keep'}",
    )


def recovered_share(
    validation: float, static: float, policy: float, *, higher_is_better: bool = True
) -> float:
    """The share of the champion's loss from validation to production that the policy won
    back (exercise 4): ``(policy - static) / (validation - static)`` for a score where higher
    is better (ROC-AUC), the same with the signs turned for a loss (log loss:
    ``higher_is_better=False``).

    1.0: the policy is as good in production as the champion was on validation; 0.0: no better
    than never retraining; negative: worse. NaN when the champion lost nothing (there was
    nothing to recover) or when a number is NaN.
    """
    values = (validation, static, policy)
    if any(math.isnan(v) for v in values):
        return math.nan
    lost = validation - static if higher_is_better else static - validation
    if lost <= 0:
        return math.nan
    won = policy - static if higher_is_better else static - policy
    return won / lost
