"""Exercises 3 and 4 — roll a new champion back when live traffic says it is worse, and the
number the capstone's report leads with.

Write the functions below from their contracts, then check them with
``uv run course grade final-project``; when stuck, ``uv run course hint final-project
should_roll_back`` (or ``recovered_share``) gives a hint, one step at a time. The reference
solution lives in ``capstone/policy.py``: look only once you are done.
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
    """Roll the new champion back? A paired comparison of two models on the same flights.

    Why: a model that won its A/B test can still lose once it serves everybody. Comparing the
    two means alone wastes the pairing: the flight-to-flight spread (a stormy evening is hard
    for both models) hides a small, steady difference that the per-flight difference shows.

    Args:
        new_losses: the log loss of each flight under the new champion.
        old_losses: the log loss of the *same* flights, in the same order, under the model it
            replaced.
        min_flights: the fewest flights worth judging on, 2 or more (a standard error needs
            two flights).
        margin: the log loss per flight the new champion may lose before it is rolled back.
        z: how many standard errors beyond ``margin`` it must be worse (one-sided).

    Returns:
        A week06 ``Decision(promote, reason)`` where ``promote`` means "roll back":

        - fewer than ``min_flights`` flights: ``promote`` False ("keep"), and the reason gives
          both the number of flights there are and ``min_flights``;
        - otherwise, with ``d`` the per-flight difference (new minus old), its mean and its
          standard error (the sample standard deviation of ``d``, with ``ddof=1``, divided by
          the square root of the number of flights ``n``): roll back exactly when the mean,
          less ``z`` standard errors, is strictly above ``margin``. The reason is then exactly
          ``"log loss <mean> per flight (standard error <se>) against the previous champion on
          <n> flights: <verdict>"``, ``<mean>`` with a sign and 4 decimals (``+2.0000``),
          ``<se>`` with 4 decimals (``0.8165``), ``<n>`` an integer and ``<verdict>`` either
          ``roll back`` or ``keep``.

    Raises:
        ValueError: the two sequences have different lengths (the comparison is paired); the
            message gives both lengths (e.g. 10 and 9).
        ValueError: ``min_flights`` below 2; the message names ``min_flights``.

    Invariants (checked):
        - exactly ``min_flights`` flights are enough to judge;
        - a difference of exactly ``margin`` keeps the champion.
    """
    # TODO: your code here
    raise NotImplementedError("should_roll_back")


def recovered_share(
    validation: float, static: float, policy: float, *, higher_is_better: bool = True
) -> float:
    """The share of the champion's loss, from validation to production, that the retraining
    policy won back.

    Why: "the policy's AUC is 0.71" says nothing alone; against what the champion promised
    (validation) and what it delivered untouched (static), it says what retraining is worth.

    Args:
        validation: the first champion's score on its validation days.
        static: the same champion's score in production, never retrained.
        policy: the retraining policy's score in production.
        higher_is_better: True for a score such as ROC-AUC (the default), False for a loss
            such as the log loss.

    Returns:
        What the policy won over the static champion divided by what the static champion lost
        against validation, both counted in the "better" direction: 1.0 when the policy is as
        good as the champion's validation promised, 0.0 when no better than never retraining,
        negative when worse (e.g. validation 0.74, static 0.70, policy 0.72 gives 0.5; for a
        loss, validation 0.40, static 0.45, policy 0.43 gives 0.4). NaN (``math.nan``) when
        the champion lost nothing (production as good as validation, or better: nothing to
        recover) or when any input is NaN.

    Raises:
        Nothing: every float gives a float.
    """
    # TODO: your code here
    raise NotImplementedError("recovered_share")
