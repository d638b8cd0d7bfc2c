"""Exercises 1 and 2 — which arm serves a flight, and is the split the one we asked for?

Write the functions below from their contracts, then check them with
``uv run course grade week13``; when stuck, ``uv run course hint week13 assign_arm`` (or
``srm_check``) gives a hint, one step at a time. The reference solution lives in
``week13_retrain/assign.py``: look only once you are done.
"""

from __future__ import annotations

from scipy.stats import chi2

from week13_retrain.assign import BUCKETS, SRM_ALPHA, Arm, SRMResult, bucket


def assign_arm(flight: str, share: float, salt: str) -> Arm:
    """The arm that serves ``flight`` when ``share`` of the traffic goes to the challenger.

    Why: two workers (or today's run and tomorrow's analysis) must give a flight the same arm,
    or one flight is served by two models and the comparison means nothing. ``random`` answers
    differently on every call and Python's ``hash()`` differently in every process; the
    flight's :func:`bucket` (a salted SHA-256 of its id, imported above) is the same
    everywhere.

    Args:
        flight: the flight's id, e.g. ``"2013-09-14/UA/1545/EWR"``; never empty.
        share: the challenger's share of the traffic, from 0.0 (nobody) to 1.0 (everybody),
            both bounds allowed.
        salt: the experiment's name; hashed with the id, so a new experiment reshuffles
            which flights see the challenger.

    Returns:
        ``"challenger"`` when the flight's bucket, ``bucket(flight, salt)`` (0 to
        ``BUCKETS - 1``), lies below the cut ``share * BUCKETS``; ``"champion"`` when it is at
        or above the cut.

    Raises:
        ValueError: ``share`` below 0 or above 1; the message names ``share`` and the value
            given (e.g. ``-0.1``).
        ValueError: an empty ``flight``; the message names the flight id (it contains the
            word ``flight``).

    Invariants (checked):
        - the same flight, share and salt give the same arm in every call and every process
          (whatever ``PYTHONHASHSEED`` is);
        - about ``share`` of many flights go to the challenger; raising the share only moves
          flights from the champion to the challenger, never back;
        - two salts agree on about half of the flights at share 0.5;
        - share 0.0 sends every flight to the champion, 1.0 every flight to the challenger.
    """
    # TODO: your code here
    raise NotImplementedError("assign_arm")


def srm_check(champion: int, challenger: int, share: float, alpha: float = SRM_ALPHA) -> SRMResult:
    """Is the observed split ``champion`` : ``challenger`` compatible with ``share``?

    Why: a sample ratio mismatch (SRM: a split that differs from the one asked for by more
    than chance allows) means something other than the hash decides the arm (a worker ignoring
    the split, a log losing one arm's lines): no comparison of the arms can be trusted.

    Args:
        champion: flights the champion served (0 or more).
        challenger: flights the challenger served (0 or more).
        share: the challenger's share that was asked for, strictly between 0 and 1.
        alpha: the p-value below which the split is a mismatch (default :data:`SRM_ALPHA`,
            0.001: strict, because the check runs every day).

    Returns:
        An :class:`SRMResult` with fields ``champion`` and ``challenger`` (the counts given),
        ``expected_share`` (``share``), ``observed_share``, ``p_value`` and ``mismatch``:
        ``observed_share`` is the challenger's fraction of all flights; ``p_value`` (a float)
        is the p-value of Pearson's chi-square goodness-of-fit test of the two counts against
        the counts ``share`` predicts, one degree of freedom; ``mismatch`` is true exactly when
        ``p_value`` is strictly below ``alpha``. With no flight at all (0 and 0) there is no
        evidence: observed share 0.0, p-value 1.0, no mismatch.

    Raises:
        ValueError: a negative count; the message gives the negative value (e.g. ``-1``).
        ValueError: ``share`` at or outside 0 and 1 (a 0 % or 100 % split has nothing to
            check); the message names ``share``.

    Invariants (checked):
        - 5,000 : 5,000 at share 0.5 gives p 1.0; 5,100 : 4,900 gives p about 0.0455;
        - p equal to ``alpha`` is not a mismatch (strictly below).
    """
    # TODO: your code here
    raise NotImplementedError("srm_check")
