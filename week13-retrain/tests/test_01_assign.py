"""Exercises 1 and 2: which arm serves a flight (a salted SHA-256, the same everywhere), and
whether the split we observe is the split we asked for (the SRM check)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest

# the stub imports these from the reference; the checks take them from there too, never
# through the learner's module (which may import them, or not)
from week13_retrain.assign import BUCKETS, bucket

IDS = [f"2013-09-{d:02d}/UA/{n}/EWR" for d in range(1, 31) for n in range(1000, 1200)]


def _flag(value: object) -> bool:
    """A verdict as a Python bool: a NumPy bool (what comparing NumPy numbers gives) is a bool
    too; anything else (None, a p-value) is not an answer."""
    assert isinstance(value, bool | np.bool_), f"mismatch must be a bool, got {value!r}"
    return bool(value)


@pytest.mark.exercise("assign_arm")
@pytest.mark.points(2)
@pytest.mark.budget(120)
@pytest.mark.hint(
    "another process gave some flights another arm: hash() is salted per process "
    "(PYTHONHASHSEED) and random changes on every call; the arm must come from the flight's "
    "salted SHA-256 bucket"
)
def test_the_arm_is_the_same_in_every_process(assign, solution_source):
    # the child processes run the same module as this check (your file when grading)
    code = solution_source("assign", "mod") + (
        "ids = [f'2013-09-14/B6/{n}/JFK' for n in range(1, 300)]\n"
        "print(''.join('1' if mod.assign_arm(i, 0.5, 'salt') == 'challenger' else '0' "
        "for i in ids))"
    )
    mine = "".join(
        "1" if assign.assign_arm(f"2013-09-14/B6/{n}/JFK", 0.5, "salt") == "challenger" else "0"
        for n in range(1, 300)
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        assert out == mine, (
            f"another process (PYTHONHASHSEED={seed}) assigns the same flights differently: "
            "two workers would serve one flight with two models"
        )
    again = [assign.assign_arm("2013-09-14/B6/1/JFK", 0.5, "salt") for _ in range(20)]
    assert len(set(again)) == 1, f"one flight got several arms in one process: {set(again)}"


@pytest.mark.exercise("assign_arm")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the arm must follow the flight's bucket(flight, salt) alone: below the cut that the share "
    "sets on BUCKETS it is the challenger, from the cut on the champion (no hash of your own)"
)
def test_the_arm_follows_the_bucket(assign):
    for flight in IDS[:500]:
        b = bucket(flight, "s")
        for share in (0.1, 0.5, 0.9):
            expected = "challenger" if b < share * BUCKETS else "champion"
            got = assign.assign_arm(flight, share, "s")
            assert got == expected, (
                f"{flight} (bucket {b}) at share {share}: expected {expected}, got {got}"
            )


@pytest.mark.exercise("assign_arm")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the share of challenger flights must match the share asked for, 0.0 sends nobody and 1.0"
    " everybody; a bigger share only adds flights to the challenger"
)
@pytest.mark.parametrize("share", [0.0, 0.2, 0.5, 0.8, 1.0])
def test_the_share_is_respected(assign, share):
    arms = [assign.assign_arm(f, share, "exp-1") for f in IDS]
    got = arms.count("challenger") / len(arms)
    assert abs(got - share) < 0.02, f"share {share}: {got:.3f} of 6,000 flights to the challenger"
    if 0.0 < share < 1.0:
        smaller = [assign.assign_arm(f, share / 2, "exp-1") for f in IDS]
        moved = [f for f, a, b in zip(IDS, smaller, arms, strict=True) if a == "challenger" != b]
        assert not moved, f"raising the share from {share / 2} to {share} moved {moved[:3]} back"


@pytest.mark.exercise("assign_arm")
@pytest.mark.points(1)
@pytest.mark.hint("the salt is part of the hashed text: a new experiment reshuffles the flights")
def test_the_salt_reshuffles(assign):
    a = [assign.assign_arm(f, 0.5, "exp-1") for f in IDS[:2000]]
    b = [assign.assign_arm(f, 0.5, "exp-2") for f in IDS[:2000]]
    same = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    assert 0.4 < same < 0.6, f"two salts agree on {same:.0%} of flights: the salt is ignored"


@pytest.mark.exercise("assign_arm")
@pytest.mark.points(1)
@pytest.mark.hint(
    "ValueError naming the share and its value when it is outside 0..1, and one naming the "
    "flight id when it is empty"
)
@pytest.mark.parametrize(
    ("flight", "share", "words"),
    [
        # the contract: the message names the field (as a word, a capital first letter
        # allowed), and the bad value when there is one
        pytest.param("x", -0.1, [r"\b[Ss]hare", r"-0\.1"], id="negative"),
        pytest.param("x", 1.5, [r"\b[Ss]hare", r"1\.5"], id="above-one"),
        pytest.param("", 0.5, [r"\b[Ff]light"], id="empty-id"),
    ],
)
def test_bad_input_is_refused(assign, flight, share, words):
    with pytest.raises(ValueError) as raised:
        assign.assign_arm(flight, share, "s")
    message = str(raised.value)
    missing = [w for w in words if not re.search(w, message)]
    assert not missing, f"the message {message!r} should match {missing}"


@pytest.mark.exercise("assign_arm")
@pytest.mark.points(1)
@pytest.mark.hint("the bounds are allowed: share 0.0 and 1.0 are valid splits; bucket < cut")
def test_the_bounds_are_valid(assign):
    at_cut = next(f"id-{i}" for i in range(10**6) if bucket(f"id-{i}", "s") == 5000)
    assert assign.assign_arm(at_cut, 0.5, "s") == "champion", (
        "bucket 5000 at share 0.5 is the first champion bucket: challenger is bucket < 5000"
    )
    assert assign.assign_arm("a", 0.0, "s") == "champion"
    assert assign.assign_arm("a", 1.0, "s") == "challenger"


@pytest.mark.exercise("srm_check")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the p-value is a chi-square goodness-of-fit test with one degree of freedom, the expected "
    "counts taken from the share asked for (not from the split observed)"
)
@pytest.mark.parametrize(
    ("champion", "challenger", "share", "p"),
    [
        pytest.param(5000, 5000, 0.5, 1.0, id="exact"),
        pytest.param(5100, 4900, 0.5, 0.0455003, id="2-sigma"),
        pytest.param(8000, 2000, 0.2, 1.0, id="80-20"),
        pytest.param(7900, 2100, 0.2, 0.0124193, id="80-20-off"),
        pytest.param(7700, 2300, 0.2, 6.38178e-14, id="srm"),
    ],
)
def test_srm_p_value(assign, champion, challenger, share, p):
    result = assign.srm_check(champion, challenger, share)
    assert result.p_value == pytest.approx(p, rel=1e-4, abs=1e-12), (
        f"{champion}:{challenger} at share {share}: p {result.p_value:.6g}, expected {p:.6g}"
    )
    assert result.champion == champion and result.challenger == challenger
    assert result.expected_share == share
    assert result.observed_share == pytest.approx(challenger / (champion + challenger))


@pytest.mark.exercise("srm_check")
@pytest.mark.points(2)
@pytest.mark.hint("mismatch when p < alpha (default SRM_ALPHA = 0.001), not <=")
def test_srm_verdict(assign):
    assert assign.srm_check(7700, 2300, 0.2).mismatch, "2,300 of 10,000 at 20 % is an SRM"
    assert not assign.srm_check(5100, 4900, 0.5).mismatch, "p = 0.046 is not an SRM at 0.001"
    assert assign.srm_check(5100, 4900, 0.5, alpha=0.05).mismatch, "alpha is a parameter"
    edge = assign.srm_check(5000, 5000, 0.5, alpha=1.0)
    assert _flag(edge.mismatch) is False, "p = 1.0 is not below alpha = 1.0"


@pytest.mark.exercise("srm_check")
@pytest.mark.points(1)
@pytest.mark.hint("no flight at all: p 1.0, no mismatch; bad counts and shares: ValueError")
def test_srm_edges(assign):
    empty = assign.srm_check(0, 0, 0.3)
    got = (empty.champion, empty.challenger, empty.expected_share, empty.observed_share)
    assert got == (0, 0, 0.3, 0.0), empty
    assert empty.p_value == 1.0 and _flag(empty.mismatch) is False, empty
    for args, words in (
        ((-1, 5, 0.5), "-1"),
        ((5, -2, 0.5), "-2"),
        ((5, 5, 0.0), "share"),
        ((5, 5, 1.0), "share"),
    ):
        with pytest.raises(ValueError, match=words):
            assign.srm_check(*args)
