"""Exercise 4 — the mSPRT: a test you may look at every day.

Write the function below from its contract, then check it with ``uv run course grade week13``;
when stuck, ``uv run course hint week13 sequential_decision`` gives a hint, one step at a
time. The reference solution lives in ``week13_retrain/sequential.py``: look only once you
are done.
"""

from __future__ import annotations

import math

from week13_retrain.sequential import ArmStats, SequentialResult, Verdict


def sequential_decision(
    champion: ArmStats,
    challenger: ArmStats,
    *,
    tau: float,
    alpha: float = 0.05,
    p_before: float = 1.0,
    lower_is_better: bool = True,
) -> SequentialResult:
    """Today's look at the mixture sequential probability ratio test (mSPRT) on a per-flight
    metric such as the log loss.

    Why: a z-test checked every day and stopped at the first ``p < 0.05`` finds a
    "difference" between two identical models far more than 5 % of the time. The mixture
    likelihood ratio Lambda may be checked at every look: under "no difference" it ever reaches
    ``1 / alpha`` with probability at most ``alpha`` (Ville's inequality), so its p-value stays
    valid however often you look.

    With ``delta`` the challenger's mean minus the champion's, and ``V`` the variance of that
    difference (each arm's sample variance divided by its flights, summed over both arms),
    the statistic is, as a formula::

        Lambda = sqrt(V / (V + tau^2)) * exp(tau^2 * delta^2 / (2 V (V + tau^2)))

    Args:
        champion: the champion arm's flights ``n``, metric ``mean`` and sample ``var``.
        challenger: the same for the challenger arm.
        tau: the prior scale of the true difference, in the metric's units (the size of
            difference you expect), above 0. A wrong guess costs power, never validity.
        alpha: the level, strictly between 0 and 1.
        p_before: the always-valid p-value of the previous look (1.0 at the first look).
        lower_is_better: True for a loss (lower metric is better); False for a score.

    Returns:
        A :class:`SequentialResult` with fields ``delta``, ``log_lr``, ``p_value`` and
        ``verdict``: ``delta`` as above; ``log_lr`` is the natural log
        of Lambda (Lambda itself overflows long before a test ends); ``p_value`` is the smaller
        of ``p_before`` and ``1 / Lambda``; ``verdict`` is ``"promote"`` when ``p_value`` is
        strictly below ``alpha`` and the challenger is better (a lower mean when
        ``lower_is_better``, a higher one otherwise), ``"stop_harm"`` when it is strictly below
        ``alpha`` and the challenger is worse, else ``"continue"``. When either arm has fewer
        than 2 flights there is nothing to test yet: ``delta`` NaN, ``log_lr`` 0.0,
        ``p_value`` equal to ``p_before``, ``"continue"``.

    Raises:
        ValueError: ``tau`` of 0 or less; the message names ``tau``.
        ValueError: ``alpha`` at or outside 0 and 1; the message names ``alpha``.

    Invariants (checked):
        - the p-value never rises from one look to the next and is never above 1;
        - ``p_value`` equal to ``alpha`` is not significant;
        - 2 flights per arm are enough to test;
        - an A/A simulation looked at every day keeps its false positives near ``alpha``.
    """
    # TODO: your code here
    raise NotImplementedError("sequential_decision")
