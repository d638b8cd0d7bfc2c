"""The A/A simulation: both arms serve the *same* model, so every "significant" result is a
false positive. Run it many times, look every day, and count.

Each simulated experiment runs ``days`` days of ``flights_per_day`` flights, each flight going
to the challenger arm with probability ``share`` and getting a per-flight metric drawn from
``values`` (real per-flight log losses, or anything else). Every day, two tests look at the
data so far:

* the naive z-test, stopped the first day ``p < alpha``;
* the mSPRT (:func:`~week13_retrain.sequential.sequential_decision`), stopped the first day its
  always-valid p-value is below ``alpha``.

The share of experiments that ever stopped is each test's false-positive rate; the z-test on
the last day only (the fixed horizon, one look) is shown as the control.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from week13_retrain.sequential import ArmStats, sequential_decision, z_test

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AAResult:
    """False-positive rates over ``experiments`` A/A runs, and their simulation error."""

    experiments: int
    days: int
    alpha: float
    z_peeked: float
    z_once: float
    msprt: float
    first_rejection_day: list[int]  # the peeked z-test's stopping day, per false positive

    def standard_error(self, rate: float) -> float:
        """The binomial standard error of a rate measured on ``experiments`` runs."""
        return math.sqrt(max(rate * (1.0 - rate), 1e-12) / self.experiments)


def _stats(count: float, total: float, squares: float) -> ArmStats:
    if count < 2:
        return ArmStats(int(count), float("nan"), float("nan"))
    mean = total / count
    var = max((squares - count * mean * mean) / (count - 1), 0.0)
    return ArmStats(int(count), mean, var)


def simulate_aa(
    values: ArrayLike,
    *,
    experiments: int = 400,
    days: int = 42,
    flights_per_day: int = 900,
    share: float = 0.5,
    alpha: float = 0.05,
    tau: float = 0.02,
    seed: int = 0,
    on_experiment: Callable[[int], None] | None = None,
) -> AAResult:
    """Run ``experiments`` A/A tests (see the module docstring); ``on_experiment(i)`` after
    each (a progress bar's hook). Deterministic for a ``seed``."""
    pool = np.asarray(values, dtype="float64")
    if pool.size < 2:
        raise ValueError(f"values must hold at least 2 metric values, got {pool.size}")
    rng = np.random.default_rng(seed)
    peeked = once = sequential = 0
    stops: list[int] = []
    for i in range(experiments):
        sums = np.zeros((2, 3))  # per arm: count, sum, sum of squares
        z_stopped = m_stopped = False
        p_before = 1.0
        for day in range(1, days + 1):
            draws = rng.choice(pool, size=flights_per_day)
            arm = rng.random(flights_per_day) < share
            for index, mask in enumerate((~arm, arm)):
                chosen = draws[mask]
                sums[index] += (chosen.size, chosen.sum(), (chosen * chosen).sum())
            champion, challenger = _stats(*sums[0]), _stats(*sums[1])
            _, p = z_test(champion, challenger)
            if not z_stopped and p < alpha:
                z_stopped = True
                stops.append(day)
            look = sequential_decision(
                champion, challenger, tau=tau, alpha=alpha, p_before=p_before
            )
            p_before = look.p_value
            m_stopped = m_stopped or look.verdict != "continue"
        peeked += z_stopped
        sequential += m_stopped
        once += p < alpha  # the last day's look only: the fixed-horizon test done right
        if on_experiment is not None:
            on_experiment(i)
    result = AAResult(
        experiments,
        days,
        alpha,
        peeked / experiments,
        once / experiments,
        sequential / experiments,
        stops,
    )
    log.info(
        "A/A x%d: peeked z %.3f, z once %.3f, mSPRT %.3f",
        experiments,
        result.z_peeked,
        result.z_once,
        result.msprt,
    )
    return result
