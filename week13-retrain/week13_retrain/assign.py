"""Which arm serves a flight, and whether the split we got is the split we asked for.

A flight is assigned by a *salted SHA-256* of its id, never by ``random`` (another answer on
every call, so a retried request can switch models) nor by Python's ``hash()`` (salted per
process since Python 3.3: two workers, or yesterday's run and today's, disagree). The hash is
the same in every worker, every run and every language, so a flight's arm can be recomputed
later, by the analysis, from the id alone.

The salt is the experiment's name: a new experiment reshuffles who sees the challenger, so
the same unlucky flights do not end up in every test's treatment group.

A **sample ratio mismatch** (SRM) is the first thing to check in any A/B result: asked for
20 % and got 23 %? Then something other than chance decides the arm (a worker that ignores
the split, a client that retries only on one arm, a log that drops one arm's lines), and no
comparison of the arms can be trusted. :func:`srm_check` is a chi-square test of the counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Literal

from scipy.stats import chi2

log = logging.getLogger(__name__)

Arm = Literal["champion", "challenger"]
ARMS: tuple[Arm, Arm] = ("champion", "challenger")
#: buckets per unit of share: 10,000 is a resolution of 0.01 %, more than any split needs
BUCKETS = 10_000
#: an SRM alarm is raised below this p-value: strict, because the check runs every day
SRM_ALPHA = 0.001


def flight_id(day: dt.date, carrier: str, flight: int, origin: str) -> str:
    """The id of a flight: the warehouse's natural key (date, carrier, number, origin), e.g.
    ``"2013-09-14/UA/1545/EWR"``. A flight number alone repeats every day."""
    return f"{day.isoformat()}/{carrier}/{int(flight)}/{origin}"


def bucket(flight: str, salt: str) -> int:
    """The flight's bucket, 0 .. ``BUCKETS - 1``: the first 8 bytes of SHA-256 of
    ``"<salt>:<flight>"`` modulo :data:`BUCKETS`."""
    digest = hashlib.sha256(f"{salt}:{flight}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def assign_arm(flight: str, share: float, salt: str) -> Arm:
    """The arm of ``flight`` when ``share`` of the traffic goes to the challenger (exercise 1).

    * the flight's :func:`bucket` (salted SHA-256 of its id): the same answer in every process;
    * ``"challenger"`` when ``bucket < share * BUCKETS``, else ``"champion"``: share 0.0 sends
      nobody to the challenger, 1.0 everybody, and raising the share only *moves* flights from
      the champion to the challenger, never back (the challenger's flights at 10 % are still
      its flights at 20 %);
    * ``ValueError`` naming the share when it is outside 0..1, or an empty ``flight`` id.
    """
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    if not flight:
        raise ValueError("flight id must not be empty: every flight of a day would share an arm")
    return "challenger" if bucket(flight, salt) < share * BUCKETS else "champion"


@dataclass(frozen=True)
class SRMResult:
    """The observed split, the one expected, the chi-square p-value and the verdict."""

    champion: int
    challenger: int
    expected_share: float
    observed_share: float
    p_value: float
    mismatch: bool

    @property
    def reason(self) -> str:
        verdict = "sample ratio mismatch" if self.mismatch else "split as expected"
        return (
            f"{verdict}: challenger got {self.observed_share:.2%} of "
            f"{self.champion + self.challenger} flights, expected {self.expected_share:.2%} "
            f"(chi-square p = {self.p_value:.2g})"
        )


def srm_check(champion: int, challenger: int, share: float, alpha: float = SRM_ALPHA) -> SRMResult:
    """Is the split ``champion`` : ``challenger`` flights compatible with ``share``? (exercise 2)

    A chi-square goodness-of-fit test with one degree of freedom: expected counts
    ``n * (1 - share)`` and ``n * share`` (``n`` both arms' flights), statistic
    ``sum((observed - expected) ** 2 / expected)``, p-value ``chi2.sf(statistic, 1)``;
    ``mismatch`` when the p-value is below ``alpha``. With no flight at all there is no
    evidence: p-value 1.0, no mismatch.

    Raises ``ValueError`` for a negative count, or a share not strictly between 0 and 1 (with
    0 % or 100 % there is no split to check).
    """
    if champion < 0 or challenger < 0:
        raise ValueError(f"counts must be >= 0, got champion {champion}, challenger {challenger}")
    if not 0.0 < share < 1.0:
        raise ValueError(f"share must be strictly between 0 and 1, got {share}")
    n = champion + challenger
    if n == 0:
        return SRMResult(0, 0, share, 0.0, 1.0, False)
    expected_champion, expected_challenger = n * (1.0 - share), n * share
    statistic = (champion - expected_champion) ** 2 / expected_champion + (
        challenger - expected_challenger
    ) ** 2 / expected_challenger
    p_value = float(chi2.sf(statistic, 1))
    return SRMResult(champion, challenger, share, challenger / n, p_value, p_value < alpha)
