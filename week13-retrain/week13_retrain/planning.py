"""Plan the sample before the test starts: how many flights each arm needs.

A test whose size is decided while it runs ("let's see after a week") has no error rate at
all. The size follows from four numbers chosen *before* any data: the smallest effect worth
acting on, the false-positive rate ``alpha``, the power (the chance to detect that effect when
it is real) and the split. statsmodels' ``NormalIndPower`` solves the normal approximation of
the two-sample test for any one of them given the others.

Two metrics, two effect sizes (both in standard-deviation units):

* an error rate (a proportion): Cohen's *h*, ``2 asin(sqrt(p1)) - 2 asin(sqrt(p2))``;
* a per-flight continuous metric (log loss, Brier): Cohen's *d*, ``delta / sd``.

Whichever needs fewer flights for the improvement you care about is the better primary metric:
the lesson measures both on 2013.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: flights that leave New York on an average day of 2013 (336,776 / 365)
FLIGHTS_PER_DAY = 923


def proportion_effect(baseline: float, target: float) -> float:
    """Cohen's *h* between two proportions (statsmodels' ``proportion_effectsize``)."""
    from statsmodels.stats.proportion import proportion_effectsize

    return float(proportion_effectsize(baseline, target))


def flights_per_arm(
    effect: float, *, alpha: float = 0.05, power: float = 0.8, share: float = 0.5
) -> tuple[int, int]:
    """``(champion, challenger)`` flights needed to detect a standardised ``effect`` (exercise 3).

    * a two-sided test at ``alpha`` with ``power``, the challenger getting ``share`` of the
      traffic: statsmodels' ``NormalIndPower().solve_power(effect_size=abs(effect),
      alpha=alpha, power=power, ratio=share / (1 - share))`` gives the *first* group's size ``n``
      (here: the champion's), ``ratio`` being challenger / champion;
    * round each arm *up* to a whole flight (``math.ceil``): a test one flight short is
      underpowered; the challenger's count is ``ceil(n * ratio)`` with ``n`` the champion's
      count *before* rounding;
    * ``ValueError`` naming the value for an ``effect`` of 0 (no sample is big enough),
      ``alpha`` or ``power`` outside (0, 1), or ``share`` outside (0, 1).
    """
    if effect == 0:
        raise ValueError("effect must not be 0: no sample size detects no difference")
    for name, value in (("alpha", alpha), ("power", power), ("share", share)):
        if not 0.0 < value < 1.0:
            raise ValueError(f"{name} must be strictly between 0 and 1, got {value}")
    from statsmodels.stats.power import NormalIndPower

    ratio = share / (1.0 - share)
    first = NormalIndPower().solve_power(
        effect_size=abs(effect), alpha=alpha, power=power, ratio=ratio
    )
    return math.ceil(float(first)), math.ceil(float(first) * ratio)


@dataclass(frozen=True)
class Plan:
    """A planned test: flights per arm and how many days of traffic that takes."""

    metric: str
    effect: float
    champion: int
    challenger: int
    days: float

    @property
    def line(self) -> str:
        return (
            f"{self.metric}: effect {self.effect:.4f} sd -> {self.champion:,} + "
            f"{self.challenger:,} flights, {self.days:.0f} days"
        )


def plan_test(
    metric: str,
    effect: float,
    *,
    share: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
    flights_per_day: float = FLIGHTS_PER_DAY,
) -> Plan:
    """:func:`flights_per_arm` and the days of traffic it takes: the arm that fills up last
    (the smaller share) decides."""
    champion, challenger = flights_per_arm(effect, alpha=alpha, power=power, share=share)
    days = max(champion / (1.0 - share), challenger / share) / flights_per_day
    return Plan(metric, effect, champion, challenger, days)
