"""Exercise 3 — plan the sample before the test starts.

Fill in the function below, then check it with ``uv run course grade week13``. The reference
solution lives in ``week13_retrain/planning.py``: look only once you are done.
"""

from __future__ import annotations

import math

from week13_retrain.planning import proportion_effect


def flights_per_arm(
    effect: float, *, alpha: float = 0.05, power: float = 0.8, share: float = 0.5
) -> tuple[int, int]:
    """``(champion, challenger)`` flights needed to detect a standardised ``effect``.

    Why: a test whose length is decided while it runs has no error rate. Decide the smallest
    effect worth acting on, alpha and power first; the sample size follows.

    Steps:
      1. ``effect == 0``: ``ValueError`` mentioning the effect. ``alpha``, ``power`` or
         ``share`` not strictly between 0 and 1: ``ValueError`` naming which.
      2. ``ratio = share / (1 - share)`` (challenger per champion flight).
      3. ``from statsmodels.stats.power import NormalIndPower``;
         ``n = NormalIndPower().solve_power(effect_size=abs(effect), alpha=alpha,
         power=power, ratio=ratio)`` is the champion's (unrounded) count.
      4. Return ``(math.ceil(n), math.ceil(n * ratio))`` as plain ints: round up, a test one
         flight short is underpowered.
    """
    # TODO: your code here
    raise NotImplementedError("flights_per_arm")
