"""Exercises 1 and 2 — which arm serves a flight, and is the split the one we asked for?

Fill in the functions below, then check them with ``uv run course grade week13``. The
reference solution lives in ``week13_retrain/assign.py``: look only once you are done.
"""

from __future__ import annotations

from scipy.stats import chi2

from week13_retrain.assign import BUCKETS, SRM_ALPHA, Arm, SRMResult, bucket


def assign_arm(flight: str, share: float, salt: str) -> Arm:
    """The arm of ``flight`` when ``share`` of the traffic goes to the challenger.

    Why: two workers (or today's run and tomorrow's) must give a flight the same arm, or one
    flight is served by two models and the comparison means nothing. ``random`` changes every
    call; Python's ``hash()`` changes every process. A salted SHA-256 does not.

    Steps:
      1. ``share`` outside 0..1: ``ValueError`` naming it; an empty ``flight``: ``ValueError``
         mentioning the flight id.
      2. ``b = bucket(flight, salt)`` (0 .. BUCKETS - 1, already a salted SHA-256).
      3. ``"challenger"`` when ``b < share * BUCKETS``, else ``"champion"``.
    """
    # TODO: your code here
    raise NotImplementedError("assign_arm")


def srm_check(champion: int, challenger: int, share: float, alpha: float = SRM_ALPHA) -> SRMResult:
    """Is the split ``champion`` : ``challenger`` compatible with ``share``?

    Why: a sample ratio mismatch means something other than the hash decides the arm (a
    worker ignoring the split, a log losing lines): no comparison of the arms can be trusted.

    Steps:
      1. A negative count: ``ValueError`` naming it. ``share`` not strictly between 0 and 1:
         ``ValueError`` mentioning the share.
      2. ``n = champion + challenger``; with ``n == 0``:
         ``SRMResult(0, 0, share, 0.0, 1.0, False)``.
      3. Expected counts ``n * (1 - share)`` and ``n * share``; the statistic is
         ``sum((observed - expected) ** 2 / expected)`` over both arms.
      4. ``p = float(chi2.sf(statistic, 1))``; return ``SRMResult(champion, challenger,
         share, challenger / n, p, p < alpha)``.
    """
    # TODO: your code here
    raise NotImplementedError("srm_check")
