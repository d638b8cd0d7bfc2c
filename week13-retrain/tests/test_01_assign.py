"""Exercises 1 and 2: which arm serves a flight (a salted SHA-256, the same everywhere), and
whether the split we observe is the split we asked for (the SRM check)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

IDS = [f"2013-09-{d:02d}/UA/{n}/EWR" for d in range(1, 31) for n in range(1000, 1200)]


@pytest.mark.exercise("assign_arm")
@pytest.mark.points(2)
@pytest.mark.hint(
    "hash() is salted per process (PYTHONHASHSEED) and random gives another answer every call:"
    " use hashlib.sha256 of the salted id (bucket() does it)"
)
def test_the_arm_is_the_same_in_every_process(assign):
    code = (
        "from week13_retrain.assign import assign_arm\n"
        "ids = [f'2013-09-14/B6/{n}/JFK' for n in range(1, 300)]\n"
        "print(''.join('1' if assign_arm(i, 0.5, 'salt') == 'challenger' else '0' for i in ids))"
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
@pytest.mark.hint("challenger when bucket(flight, salt) < share * BUCKETS")
def test_the_arm_follows_the_bucket(assign):
    for flight in IDS[:500]:
        b = assign.bucket(flight, "s")
        for share in (0.1, 0.5, 0.9):
            expected = "challenger" if b < share * assign.BUCKETS else "champion"
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
@pytest.mark.hint("ValueError naming the share when it is outside 0..1, and for an empty id")
@pytest.mark.parametrize(
    ("flight", "share", "words"),
    [
        pytest.param("x", -0.1, "-0.1", id="negative"),
        pytest.param("x", 1.5, "1.5", id="above-one"),
        pytest.param("", 0.5, "^flight id must not be empty", id="empty-id"),
    ],
)
def test_bad_input_is_refused(assign, flight, share, words):
    with pytest.raises(ValueError, match=words):
        assign.assign_arm(flight, share, "s")


@pytest.mark.exercise("assign_arm")
@pytest.mark.points(1)
@pytest.mark.hint("the bounds are allowed: share 0.0 and 1.0 are valid splits; bucket < cut")
def test_the_bounds_are_valid(assign):
    at_cut = next(f"id-{i}" for i in range(10**6) if assign.bucket(f"id-{i}", "s") == 5000)
    assert assign.assign_arm(at_cut, 0.5, "s") == "champion", (
        "bucket 5000 at share 0.5 is the first champion bucket: challenger is bucket < 5000"
    )
    assert assign.assign_arm("a", 0.0, "s") == "champion"
    assert assign.assign_arm("a", 1.0, "s") == "challenger"


@pytest.mark.exercise("srm_check")
@pytest.mark.points(2)
@pytest.mark.hint(
    "chi-square with 1 degree of freedom: expected n*(1-share) and n*share, "
    "statistic sum((obs-exp)**2/exp), p = chi2.sf(statistic, 1)"
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
    assert edge.mismatch is False, "p = 1.0 is not below alpha = 1.0"


@pytest.mark.exercise("srm_check")
@pytest.mark.points(1)
@pytest.mark.hint("no flight at all: p 1.0, no mismatch; bad counts and shares: ValueError")
def test_srm_edges(assign):
    empty = assign.srm_check(0, 0, 0.3)
    assert empty == assign.SRMResult(0, 0, 0.3, 0.0, 1.0, False), empty
    for args, words in (
        ((-1, 5, 0.5), "-1"),
        ((5, -2, 0.5), "-2"),
        ((5, 5, 0.0), "share"),
        ((5, 5, 1.0), "share"),
    ):
        with pytest.raises(ValueError, match=words):
            assign.srm_check(*args)
