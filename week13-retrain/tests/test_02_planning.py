"""Exercise 3: plan the sample before the test starts (power analysis)."""

from __future__ import annotations

import pytest

# imported by the stub from the reference: taken from there, never through the learner's module
from week13_retrain.planning import proportion_effect


@pytest.mark.exercise("flights_per_arm")
@pytest.mark.points(3)
@pytest.mark.hint(
    "statsmodels' NormalIndPower solves the champion's size for the size of the effect, with "
    "the ratio of challenger to champion flights; round each arm up, and derive the "
    "challenger's count from the champion's size before it was rounded"
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
    champion, challenger = planning.flights_per_arm(proportion_effect(0.19, 0.18))
    assert 23_000 < champion < 24_500 and champion == challenger, (champion, challenger)


@pytest.mark.exercise("flights_per_arm")
@pytest.mark.points(1)
@pytest.mark.hint(
    "ValueError naming the parameter that is wrong: effect 0, or alpha, power or share "
    "outside (0, 1)"
)
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        pytest.param({"effect": 0.0}, r"\b[Ee]ffect", id="no-effect"),
        pytest.param({"effect": 0.1, "alpha": 0.0}, r"\b[Aa]lpha", id="alpha-0"),
        pytest.param({"effect": 0.1, "alpha": 1.0}, r"\b[Aa]lpha", id="alpha-1"),
        pytest.param({"effect": 0.1, "power": 1.0}, r"\b[Pp]ower", id="power-1"),
        pytest.param({"effect": 0.1, "power": 0.0}, r"\b[Pp]ower", id="power-0"),
        pytest.param({"effect": 0.1, "share": 0.0}, r"\b[Ss]hare", id="share-0"),
        pytest.param({"effect": 0.1, "share": 1.0}, r"\b[Ss]hare", id="share-1"),
    ],
)
def test_bad_plans_are_refused(planning, kwargs, words):
    # the contract: the message names the parameter, as a word spelled as in the signature
    # (a capital first letter allowed): "alpha" or "Alpha", not "XXalpha" nor "ALPHA"
    with pytest.raises(ValueError, match=words):
        planning.flights_per_arm(**kwargs)
