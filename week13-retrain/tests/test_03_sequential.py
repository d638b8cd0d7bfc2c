"""Exercise 4: the mSPRT, a test that stays valid when looked at every day."""

from __future__ import annotations

import math

import pytest

from week13_retrain.sequential import ArmStats

A = ArmStats(n=4000, mean=0.45, var=0.25)


def _log_lr(delta, v, tau):
    t2 = tau * tau
    return 0.5 * math.log(v / (v + t2)) + t2 * delta * delta / (2 * v * (v + t2))


@pytest.mark.exercise("sequential_decision")
@pytest.mark.points(3)
@pytest.mark.hint(
    "delta is the challenger's mean minus the champion's; V sums each arm's variance of its "
    "mean (variance over flights); log_lr is the log of the contract's Lambda, term by term "
    "(the square root becomes a half, the exp disappears)"
)
@pytest.mark.parametrize(
    ("challenger", "tau"),
    [
        pytest.param(ArmStats(4000, 0.43, 0.25), 0.02, id="better"),
        pytest.param(ArmStats(3000, 0.47, 0.20), 0.02, id="worse-unequal"),
        pytest.param(ArmStats(4000, 0.45, 0.25), 0.05, id="equal"),
        pytest.param(ArmStats(9000, 0.44, 0.30), 0.01, id="small-tau"),
    ],
)
def test_the_mixture_likelihood_ratio(sequential, challenger, tau):
    got = sequential.sequential_decision(A, challenger, tau=tau)
    delta = challenger.mean - A.mean
    v = A.var / A.n + challenger.var / challenger.n
    expected = _log_lr(delta, v, tau)
    assert got.delta == pytest.approx(delta), "delta is challenger minus champion"
    assert got.log_lr == pytest.approx(expected, rel=1e-9), (
        f"log Lambda {got.log_lr:.6f}, expected {expected:.6f}"
    )
    assert got.p_value == pytest.approx(min(1.0, math.exp(-expected)), rel=1e-9)


@pytest.mark.exercise("sequential_decision")
@pytest.mark.points(2)
@pytest.mark.hint(
    "p < alpha: promote when the challenger's loss is lower (delta < 0), stop_harm when "
    "higher; lower_is_better=False flips it (a metric like AUC)"
)
@pytest.mark.parametrize(
    ("mean", "lower", "verdict"),
    [
        pytest.param(0.40, True, "promote", id="lower-loss"),
        pytest.param(0.50, True, "stop_harm", id="higher-loss"),
        pytest.param(0.40, False, "stop_harm", id="lower-score"),
        pytest.param(0.50, False, "promote", id="higher-score"),
        pytest.param(0.449, True, "continue", id="too-close"),
    ],
)
def test_the_verdict(sequential, mean, lower, verdict):
    got = sequential.sequential_decision(
        A, ArmStats(4000, mean, 0.25), tau=0.02, lower_is_better=lower
    )
    assert got.verdict == verdict, f"challenger mean {mean} (p {got.p_value:.3g}): {got.verdict}"
    if lower:
        default = sequential.sequential_decision(A, ArmStats(4000, mean, 0.25), tau=0.02)
        assert default.verdict == verdict, "by default a lower metric (a loss) is better"


@pytest.mark.exercise("sequential_decision")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the always-valid p-value only goes down: today's is never above p_before (nor above 1); "
    "a look that drifts back towards no difference cannot undo yesterday's evidence, and "
    "p == alpha is not significant"
)
def test_the_p_value_never_rises(sequential):
    weak = ArmStats(4000, 0.45, 0.25)
    got = sequential.sequential_decision(A, weak, tau=0.02, p_before=0.03)
    assert got.p_value == 0.03, f"yesterday p = 0.03, today's look weaker: got {got.p_value}"
    assert got.verdict == "promote" or got.verdict == "stop_harm" or got.p_value < 0.05
    fresh = sequential.sequential_decision(A, weak, tau=0.02)
    assert fresh.p_value == 1.0, f"no evidence: p starts at p_before = 1, got {fresh.p_value}"
    early = sequential.sequential_decision(A, ArmStats(1, 0.3, 0.0), tau=0.02)
    assert early.p_value == 1.0, f"nothing to test: p stays at 1, got {early.p_value}"
    at = sequential.sequential_decision(A, weak, tau=0.02, alpha=0.03, p_before=0.03)
    assert at.verdict == "continue", "p == alpha is not significant (p < alpha)"


@pytest.mark.exercise("sequential_decision")
@pytest.mark.points(1)
@pytest.mark.hint("an arm with fewer than 2 flights: delta NaN, log_lr 0.0, p_before kept")
@pytest.mark.parametrize("n", [0, 1])
def test_too_few_flights(sequential, n):
    two = sequential.sequential_decision(A, ArmStats(2, 0.3, 0.1), tau=0.02)
    assert not math.isnan(two.delta), "2 flights are enough to compute a variance: test them"
    two_a = sequential.sequential_decision(ArmStats(2, 0.3, 0.1), A, tau=0.02)
    assert not math.isnan(two_a.delta), "2 champion flights are enough too"
    got = sequential.sequential_decision(
        A, ArmStats(n, 0.1, 0.0), tau=0.02, alpha=0.05, p_before=0.5
    )
    assert math.isnan(got.delta) and got.log_lr == 0.0
    assert (got.p_value, got.verdict) == (0.5, "continue")
    other = sequential.sequential_decision(ArmStats(n, 0.1, 0.0), A, tau=0.02, p_before=0.5)
    assert other.verdict == "continue" and other.p_value == 0.5


@pytest.mark.exercise("sequential_decision")
@pytest.mark.points(1)
@pytest.mark.hint("ValueError naming the value: tau <= 0, alpha outside (0, 1)")
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        pytest.param({"tau": 0.0}, "tau", id="tau-0"),
        pytest.param({"tau": -1.0}, "tau", id="tau-negative"),
        pytest.param({"tau": 0.02, "alpha": 0.0}, "alpha", id="alpha-0"),
        pytest.param({"tau": 0.02, "alpha": 1.0}, "alpha", id="alpha-1"),
    ],
)
def test_bad_parameters(sequential, kwargs, words):
    with pytest.raises(ValueError, match=words):
        sequential.sequential_decision(A, A, **kwargs)


@pytest.mark.exercise("sequential_decision")
@pytest.mark.points(3)
@pytest.mark.hint(
    "the A/A check: your test, looked at daily, must keep its false positives near alpha; "
    "a z-test (p from |delta|/sqrt(V)) peeked daily does not"
)
def test_an_aa_run_keeps_its_level(sequential, monkeypatch):
    import numpy as np

    from week13_retrain import aa

    monkeypatch.setattr(aa, "sequential_decision", sequential.sequential_decision)
    values = np.random.default_rng(3).gamma(0.8, 0.55, 5000)
    result = aa.simulate_aa(values, experiments=150, days=30, flights_per_day=400, seed=1)
    assert result.msprt <= 0.05 + 2 * result.standard_error(0.05), (
        f"your sequential test stopped {result.msprt:.1%} of A/A runs (nominal 5 %)"
    )
    assert result.z_peeked > 0.12, f"the peeked z-test should fail here: {result.z_peeked:.1%}"
