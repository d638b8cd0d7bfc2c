"""Exercises 3 and 4: the watch after a promotion (a paired comparison on the same flights)
and the share of the champion's loss that retraining won back."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest


def _rolls_back(decision) -> bool:
    """``decision.promote`` as a Python bool: a NumPy bool (what a comparison of NumPy numbers
    gives) is a bool too; anything else is not an answer."""
    assert isinstance(decision.promote, bool | np.bool_), (
        f"promote must be a bool, got {decision.promote!r}"
    )
    return bool(decision.promote)


def _pair(mean: float, spread: float = 0.3, shared: float = 0.0, n: int = 5000, seed: int = 0):
    """Old and new losses of ``n`` flights: the new one ``mean`` higher on average, with a
    per-flight noise ``spread`` of the difference and a ``shared`` difficulty both feel."""
    rng = np.random.default_rng(seed)
    old = 0.4 + shared * rng.standard_normal(n)
    new = old + mean + spread * rng.standard_normal(n)
    return new, old


@pytest.mark.exercise("should_roll_back")
@pytest.mark.points(3)
@pytest.mark.hint(
    "roll back only when the new champion is worse per flight by more than the margin, beyond "
    "z standard errors; a better or equal one is kept"
)
@pytest.mark.parametrize(
    ("mean", "expected"),
    [
        pytest.param(0.05, True, id="clearly-worse"),
        pytest.param(-0.05, False, id="clearly-better"),
        pytest.param(0.0, False, id="the-same"),
    ],
)
def test_a_worse_champion_is_rolled_back(policy, mean, expected):
    new, old = _pair(mean)
    decision = policy.should_roll_back(new, old, min_flights=1000)
    assert _rolls_back(decision) is expected, (
        f"new champion {mean:+} log loss per flight on 5,000 flights: roll back = {expected}, "
        f"got {decision.promote} ({decision.reason})"
    )
    assert decision.reason, "say why"


@pytest.mark.exercise("should_roll_back")
@pytest.mark.points(3)
@pytest.mark.hint("compare d = new - old flight by flight, not mean(new) against mean(old)")
def test_the_comparison_is_paired(policy):
    # hard flights are hard for both models (shared = 2.0); the new one is 0.02 worse on each
    new, old = _pair(0.02, spread=0.05, shared=2.0, n=3000, seed=1)
    decision = policy.should_roll_back(new, old, min_flights=1000)
    assert decision.promote, (
        "0.02 worse on every flight, hidden by a flight-to-flight spread of 2.0 both models "
        "share: the difference per flight shows it, the two means side by side do not. "
        f"Got {decision.reason}"
    )


@pytest.mark.exercise("should_roll_back")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a small difference in a noisy sample is chance: take z standard errors of the mean "
    "difference off before comparing with the margin"
)
def test_chance_is_not_a_reason_to_roll_back(policy):
    new, old = _pair(0.002, spread=0.5, n=2000, seed=2)  # se ~ 0.011
    decision = policy.should_roll_back(new, old, min_flights=1000)
    assert not decision.promote, (
        f"0.002 worse with a standard error ~0.011 is noise: keep ({decision.reason})"
    )
    sure = policy.should_roll_back(new, old, min_flights=1000, z=0.0)
    assert sure.promote, "with z = 0 any worse mean rolls back: use z"


@pytest.mark.exercise("should_roll_back")
@pytest.mark.points(3)
@pytest.mark.hint(
    "the standard error uses the sample standard deviation (ddof=1) over the square root of "
    "n; z defaults to 1.645; strictly above the margin; the reason follows the contract's "
    "template"
)
def test_the_rule_on_small_numbers(policy):
    old = [0.0] * 7
    new = [-1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]  # mean 2, se = 2.1602 / sqrt(7) = 0.8165
    decision = policy.should_roll_back(new, old, min_flights=7)
    assert _rolls_back(decision) is True, "2.45 standard errors above 0 with z 1.645: roll back"
    assert decision.reason == (
        "log loss +2.0000 per flight (standard error 0.8165) against the previous champion "
        "on 7 flights: roll back"
    ), decision.reason
    assert _rolls_back(policy.should_roll_back(new, old, min_flights=7, z=2.645)) is False, (
        "at z = 2.645 the same 2.45 standard errors are not enough"
    )
    three = policy.should_roll_back([1.0, 2.0, 3.0], [0.0] * 3, min_flights=2, z=2.0, margin=0.84)
    assert _rolls_back(three) is True, (
        f"mean 2, se 1/sqrt(3) (ddof=1): 2 - 2 * 0.577 = 0.845 > 0.84 ({three.reason})"
    )
    same = policy.should_roll_back([1.0] * 4, [0.0] * 4, min_flights=2, margin=1.0)
    assert _rolls_back(same) is False, (
        "exactly the margin worse is allowed: roll back only above it"
    )
    assert same.reason.endswith(": keep"), same.reason


@pytest.mark.exercise("should_roll_back")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the margin is what the new champion may lose: a loss smaller than the margin is kept"
)
def test_the_margin_is_allowed(policy):
    new, old = _pair(0.01, spread=0.05, n=5000, seed=3)
    assert policy.should_roll_back(new, old, min_flights=100, margin=0.0).promote
    kept = policy.should_roll_back(new, old, min_flights=100, margin=0.02)
    assert not kept.promote, f"0.01 worse with a margin of 0.02 is allowed ({kept.reason})"


@pytest.mark.exercise("should_roll_back")
@pytest.mark.points(2)
@pytest.mark.hint(
    "fewer flights than min_flights: keep, with a reason giving both numbers; exactly "
    "min_flights is enough"
)
def test_too_few_flights_keep_the_champion(policy):
    new, old = _pair(0.5, n=99)
    decision = policy.should_roll_back(new, old, min_flights=100)
    assert _rolls_back(decision) is False, "99 flights of 100 needed: too early to judge"
    assert "99" in decision.reason and "100" in decision.reason, decision.reason
    assert policy.should_roll_back(*_pair(0.5, n=100), min_flights=100).promote, (
        "exactly min_flights is enough"
    )


@pytest.mark.exercise("should_roll_back")
@pytest.mark.points(2)
@pytest.mark.hint(
    "different lengths: ValueError giving both lengths; min_flights < 2: ValueError naming "
    "min_flights"
)
def test_bad_arguments_are_refused(policy):
    new, old = _pair(0.0, n=10)
    with pytest.raises(ValueError) as raised:
        policy.should_roll_back(new, old[:9], min_flights=2)
    message = str(raised.value)
    assert re.search(r"\b10\b", message) and re.search(r"\b9\b", message), (
        f"the message should give both lengths, 10 and 9: {message!r}"
    )
    with pytest.raises(ValueError, match="min_flights"):
        policy.should_roll_back(new, old, min_flights=1)
    assert _rolls_back(policy.should_roll_back(new, old, min_flights=2)) is False


@pytest.mark.exercise("recovered_share")
@pytest.mark.points(3)
@pytest.mark.hint(
    "what the policy won over the static champion, divided by what the static champion lost "
    "against validation; for a loss both gaps turn sign"
)
@pytest.mark.parametrize(
    ("validation", "static", "policy_", "higher", "expected"),
    [
        pytest.param(0.74, 0.70, 0.72, True, 0.5, id="auc-half"),
        pytest.param(0.74, 0.70, 0.74, True, 1.0, id="auc-all"),
        pytest.param(0.74, 0.70, 0.69, True, -0.25, id="auc-worse"),
        pytest.param(0.40, 0.45, 0.43, False, 0.4, id="log-loss"),
        pytest.param(0.40, 0.45, 0.46, False, -0.2, id="log-loss-worse"),
    ],
)
def test_the_share_recovered(policy, validation, static, policy_, higher, expected):
    got = policy.recovered_share(validation, static, policy_, higher_is_better=higher)
    assert got == pytest.approx(expected), (
        f"validation {validation}, static {static}, policy {policy_} "
        f"({'higher' if higher else 'lower'} is better): expected {expected}, got {got}"
    )


@pytest.mark.exercise("recovered_share")
@pytest.mark.points(1)
@pytest.mark.hint("higher_is_better defaults to True: ROC-AUC")
def test_higher_is_better_by_default(policy):
    assert policy.recovered_share(0.74, 0.70, 0.72) == pytest.approx(0.5)


@pytest.mark.exercise("recovered_share")
@pytest.mark.points(2)
@pytest.mark.hint("nothing lost (production as good as validation, or better) or a NaN input: NaN")
@pytest.mark.parametrize(
    ("args", "higher"),
    [
        pytest.param((0.70, 0.72, 0.73), True, id="auc-better-in-production"),
        pytest.param((0.70, 0.70, 0.71), True, id="auc-nothing-lost"),
        pytest.param((0.52, 0.34, 0.33), False, id="loss-lower-in-production"),
        pytest.param((math.nan, 0.70, 0.71), True, id="nan"),
        pytest.param((0.74, 0.70, math.nan), True, id="nan-policy"),
    ],
)
def test_nothing_to_recover_is_nan(policy, args, higher):
    got = policy.recovered_share(*args, higher_is_better=higher)
    assert math.isnan(got), f"{args}: nothing was lost (or unknown), expected NaN, got {got}"
