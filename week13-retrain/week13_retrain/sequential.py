"""A test you may look at every day: the mixture sequential probability ratio test (mSPRT).

A fixed-horizon z-test is valid when it is computed *once*, at the planned sample size. Look
at it every day and stop the first time ``|z| > 1.96``, and you have run 40 tests instead of
one: an A/A test (both arms the same model) then "finds" a difference far more often than
5 % of the time (:mod:`week13_retrain.aa` measures it).

The mSPRT (Robbins 1970; Johari, Pekelis and Walsh, "Always valid inference", 2017) compares
"no difference" with a *mixture* of differences, weighted by a normal prior ``N(0, tau**2)``
on the true difference. For the difference of two means, with ``V`` the variance of the
observed difference ``delta``, the mixture likelihood ratio is::

    Lambda = sqrt(V / (V + tau**2)) * exp(tau**2 * delta**2 / (2 * V * (V + tau**2)))

Under "no difference" ``Lambda`` is a martingale with mean 1, so by Ville's inequality it ever
reaches ``1 / alpha`` with probability at most ``alpha``: reject when it does, whenever you
look. ``p = min over looks of 1 / Lambda`` is an always-valid p-value. ``tau`` is the size of
difference you expect (in the metric's units); a wrong guess costs power, never validity.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

log = logging.getLogger(__name__)

Verdict = Literal["continue", "promote", "stop_harm"]


@dataclass(frozen=True)
class ArmStats:
    """What the test needs from one arm: flights, mean and (sample) variance of the metric."""

    n: int
    mean: float
    var: float

    @classmethod
    def of(cls, values: ArrayLike) -> ArmStats:
        """The stats of per-flight metric ``values`` (NaN mean/var with fewer than 2)."""
        array = np.asarray(values, dtype="float64")
        if array.size < 2:
            return cls(int(array.size), float("nan"), float("nan"))
        return cls(int(array.size), float(array.mean()), float(array.var(ddof=1)))


@dataclass(frozen=True)
class SequentialResult:
    """One look at the test: the difference (challenger minus champion), ``Lambda`` (as its
    log), the always-valid p-value so far, and what to do."""

    delta: float
    log_lr: float
    p_value: float
    verdict: Verdict

    @property
    def reason(self) -> str:
        return (
            f"mSPRT: challenger - champion = {self.delta:+.4f}, p = {self.p_value:.3g} "
            f"-> {self.verdict}"
        )


def sequential_decision(
    champion: ArmStats,
    challenger: ArmStats,
    *,
    tau: float,
    alpha: float = 0.05,
    p_before: float = 1.0,
    lower_is_better: bool = True,
) -> SequentialResult:
    """Today's look at the mSPRT on a per-flight metric (exercise 4).

    * fewer than 2 flights in an arm: nothing to test yet (``delta`` NaN, ``log_lr`` 0.0,
      ``p_before`` kept, ``"continue"``); ``p_before`` is 1.0 at the first look;
    * ``delta = challenger.mean - champion.mean``; ``V = champion.var / champion.n +
      challenger.var / challenger.n``;
    * ``log_lr`` is ``log(Lambda)`` from the module docstring (log form: ``Lambda`` overflows
      a float long before the test is over);
    * ``p_value = min(p_before, exp(-log_lr))``: it only ever goes down (and starts at 1),
      which is what makes stopping at any look safe;
    * ``p_value < alpha``: ``"promote"`` when the challenger is better (lower metric when
      ``lower_is_better``, higher otherwise), ``"stop_harm"`` when it is worse; else
      ``"continue"``.

    Raises ``ValueError`` naming the value for ``tau <= 0`` or ``alpha`` outside (0, 1).
    """
    if tau <= 0:
        raise ValueError(f"tau must be > 0 (the expected difference's scale), got {tau}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha}")
    if champion.n < 2 or challenger.n < 2:
        return SequentialResult(float("nan"), 0.0, p_before, "continue")
    delta = challenger.mean - champion.mean
    v = champion.var / champion.n + challenger.var / challenger.n
    t2 = tau * tau
    log_lr = 0.5 * math.log(v / (v + t2)) + t2 * delta * delta / (2.0 * v * (v + t2))
    p_value = min(p_before, math.exp(-log_lr))
    verdict: Verdict = "continue"
    if p_value < alpha:
        better = delta < 0 if lower_is_better else delta > 0
        verdict = "promote" if better else "stop_harm"
    return SequentialResult(delta, log_lr, p_value, verdict)


def z_test(champion: ArmStats, challenger: ArmStats) -> tuple[float, float]:
    """``(z, two-sided p)`` of the fixed-horizon two-sample z-test: valid at *one* look only."""
    from scipy.stats import norm

    v = champion.var / champion.n + challenger.var / challenger.n
    z = (challenger.mean - champion.mean) / math.sqrt(v)
    return z, float(2.0 * norm.sf(abs(z)))


def log_loss_per_flight(y: ArrayLike, p: ArrayLike, eps: float = 1e-6) -> np.ndarray:
    """Each flight's log loss, ``-log(p)`` if delayed else ``-log(1 - p)`` (``p`` clipped to
    ``[eps, 1 - eps]`` so a confident miss costs a lot, not infinity)."""
    y_arr = np.asarray(y, dtype="float64")
    p_arr = np.clip(np.asarray(p, dtype="float64"), eps, 1.0 - eps)
    return np.asarray(-(y_arr * np.log(p_arr) + (1.0 - y_arr) * np.log(1.0 - p_arr)))
