"""Exercise 3 — plan the sample before the test starts.

Write the function below from its contract, then check it with ``uv run course grade week13``;
when stuck, ``uv run course hint week13 flights_per_arm`` gives a hint, one step at a time.
The reference solution lives in ``week13_retrain/planning.py``: look only once you are done.
"""

from __future__ import annotations

import math

from week13_retrain.planning import proportion_effect


def flights_per_arm(
    effect: float, *, alpha: float = 0.05, power: float = 0.8, share: float = 0.5
) -> tuple[int, int]:
    """``(champion, challenger)``: the flights each arm needs to detect ``effect``.

    Why: a test whose length is decided while it runs has no error rate. Decide the smallest
    effect worth acting on, alpha and power first; the sample size follows from them.

    Args:
        effect: the smallest difference worth detecting, standardised (in standard deviations:
            Cohen's h for a proportion, see :func:`proportion_effect`, or Cohen's d); its sign
            does not matter.
        alpha: the false-positive rate of the two-sided test, strictly between 0 and 1.
        power: the chance to detect ``effect`` when it is real, strictly between 0 and 1.
        share: the challenger's share of the traffic, strictly between 0 and 1.

    Returns:
        Two plain Python ``int``. The champion's count is the first group's size that
        statsmodels' ``NormalIndPower`` solves for (two-sided, the given alpha and power, the
        size of ``effect``), with ``ratio`` = challenger flights per champion flight, i.e.
        ``share`` over ``1 - share``. Each count is rounded *up* to a whole flight (a test one
        flight short is underpowered); the challenger's count is the champion's *unrounded*
        size times ``ratio``, then rounded up.

    Raises:
        ValueError: ``effect`` equal to 0 (no sample is big enough); the message names
            ``effect``.
        ValueError: ``alpha``, ``power`` or ``share`` at or outside 0 and 1; the message names
            the parameter (``alpha``, ``power`` or ``share``) and the value given.

    Invariants (checked):
        - effect 0.2 at 50/50, alpha 0.05, power 0.8: ``(393, 393)``; -0.2 gives the same;
        - effect 0.2 with share 0.8: ``(246, 982)``; the challenger's count is not 4 times
          the rounded champion's.
    """
    # TODO: your code here
    raise NotImplementedError("flights_per_arm")
