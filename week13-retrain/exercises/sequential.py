"""Exercise 4 — the mSPRT: a test you may look at every day.

Fill in the function below, then check it with ``uv run course grade week13``. The reference
solution lives in ``week13_retrain/sequential.py``: look only once you are done.
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
    """Today's look at the mSPRT on a per-flight metric (e.g. log loss).

    Why: a z-test checked every day and stopped at the first ``p < 0.05`` finds a
    "difference" between two identical models far more than 5 % of the time. The mixture
    likelihood ratio ``Lambda`` can be checked at every look: under "no difference" it ever
    reaches ``1 / alpha`` with probability at most ``alpha``.

    Steps:
      1. ``tau <= 0`` or ``alpha`` not strictly between 0 and 1: ``ValueError`` naming it.
      2. Either arm with fewer than 2 flights:
         ``SequentialResult(float("nan"), 0.0, p_before, "continue")``.
      3. ``delta = challenger.mean - champion.mean``;
         ``V = champion.var / champion.n + challenger.var / challenger.n``.
      4. ``log_lr = 0.5 * log(V / (V + tau**2)) + tau**2 * delta**2 / (2 * V * (V + tau**2))``.
      5. ``p = min(p_before, exp(-log_lr))``: the always-valid p-value never rises.
      6. ``p < alpha``: ``"promote"`` when the challenger is better (``delta < 0`` when
         ``lower_is_better``, ``delta > 0`` otherwise), else ``"stop_harm"``; otherwise
         ``"continue"``. Return ``SequentialResult(delta, log_lr, p, verdict)``.
    """
    # TODO: your code here
    raise NotImplementedError("sequential_decision")
