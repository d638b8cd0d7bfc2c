"""Exercise 3: plan the sample before the test starts (power analysis)."""

from __future__ import annotations

import pytest


@pytest.mark.exercise("flights_per_arm")
@pytest.mark.points(3)
@pytest.mark.hint(
    "NormalIndPower().solve_power(effect_size=abs(effect), alpha=alpha, power=power, "
    "ratio=share / (1 - share)) is the champion's n; round up; "
    "challenger = ceil(n * ratio), n unrounded"
)
@pytest.mark.parametrize(
    ("effect", "share", "alpha", "power", "expected"),
    [
        pytest.param(0.025848, 0.5, 0.05, 0.8, (23496, 23496), id="19-to-18-percent"),
        pytest.param(0.025848, 0.2, 0.05, 0.8, (58739, 14685), id="80-20"),
        pytest.param(0.02, 0.5, 0.01, 0.9, (74397, 74397), id="strict"),
        pytest.param(-0.2, 0.5, 0.05, 0.8, (393, 393), id="negative-effect"),
        pytest.param(0.2, 0.8, 0.05, 0.8, (246, 982), id="challenger-majority"),
        pytest.param(0.2, 0.3, 0.05, 0.8, (655, 281), id="30-percent"),
        pytest.param(1.0, 0.5, 0.05, 0.8, (16, 16), id="huge-effect"),
    ],
)
def test_flights_per_arm(planning, effect, share, alpha, power, expected):
    got = planning.flights_per_arm(effect, alpha=alpha, power=power, share=share)
    assert got == expected, (
        f"effect {effect} at share {share}, alpha {alpha}, power {power}: {got}, "
        f"expected {expected}"
    )
    assert all(isinstance(n, int) for n in got), f"flights are whole numbers: {got!r}"


@pytest.mark.exercise("flights_per_arm")
@pytest.mark.points(1)
@pytest.mark.hint("the course's figure: 19 % -> 18 % needs ~23,700 flights per arm at 50/50")
def test_the_course_figure(planning):
    champion, challenger = planning.flights_per_arm(planning.proportion_effect(0.19, 0.18))
    assert 23_000 < champion < 24_500 and champion == challenger, (champion, challenger)


@pytest.mark.exercise("flights_per_arm")
@pytest.mark.points(1)
@pytest.mark.hint("ValueError naming the value: effect 0, alpha/power/share outside (0, 1)")
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        pytest.param({"effect": 0.0}, "^effect must not be 0", id="no-effect"),
        pytest.param({"effect": 0.1, "alpha": 0.0}, "^alpha must be", id="alpha-0"),
        pytest.param({"effect": 0.1, "alpha": 1.0}, "^alpha must be", id="alpha-1"),
        pytest.param({"effect": 0.1, "power": 1.0}, "^power must be", id="power-1"),
        pytest.param({"effect": 0.1, "power": 0.0}, "^power must be", id="power-0"),
        pytest.param({"effect": 0.1, "share": 0.0}, "^share must be", id="share-0"),
        pytest.param({"effect": 0.1, "share": 1.0}, "^share must be", id="share-1"),
    ],
)
def test_bad_plans_are_refused(planning, kwargs, words):
    with pytest.raises(ValueError, match=words):
        planning.flights_per_arm(**kwargs)
