"""Exercise 7: a behavioural check's building block (``prediction_shift``), then the model's
behavioural checks (invariance, direction)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


class RainModel:
    """A fake model: the heavier the rain, the likelier the delay."""

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = 1 / (1 + np.exp(-10 * X["precip"].to_numpy(dtype=float)))
        return np.column_stack([1 - p, p])


def _frame() -> pd.DataFrame:
    """A fresh frame for every call: a solution that writes into the frame it is given cannot
    change what a later check starts from."""
    return pd.DataFrame(
        {"precip": [0.0, 0.1, 0.5], "carrier": ["AA", "UA", "B6"]}, index=[7, 3, 11]
    )


def _delay_probability(frame: pd.DataFrame) -> np.ndarray:
    return RainModel().predict_proba(frame)[:, 1]


@pytest.mark.exercise("prediction_shift")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the shift is the changed rows' delay probability minus the original rows': check the "
    "order of the subtraction and that you read the probability of class 1 (delayed)"
)
def test_shift_is_new_minus_old_delay_probability(checks):
    untouched = _frame()  # the expectation comes from a frame the solution never sees
    expected = _delay_probability(untouched.assign(precip=1.0)) - _delay_probability(untouched)
    got = checks.prediction_shift(RainModel(), _frame(), "precip", 1.0)
    np.testing.assert_allclose(
        np.asarray(got, dtype=float),
        expected,
        err_msg=(
            "heavier rain makes RainModel's delays likelier, so every shift should be positive: "
            "changed minus original, probability of class 1. All zeros? The 'original' "
            "prediction saw the changed value: was the caller's frame changed in place?"
        ),
    )


@pytest.mark.exercise("prediction_shift")
@pytest.mark.points(1)
@pytest.mark.hint(
    "the caller's frame must hold the same values after the call: set the new value on a "
    "copy, never on the frame you were given"
)
def test_callers_frame_is_not_modified(checks):
    frame = _frame()
    before = frame.copy(deep=True)
    checks.prediction_shift(RainModel(), frame, "precip", 1.0)
    pd.testing.assert_frame_equal(
        frame,
        before,
        obj=(
            "the caller's frame after prediction_shift (it must be unchanged: a behavioural "
            "check calls it again and again on the same flights)"
        ),
    )


@pytest.mark.exercise("prediction_shift")
@pytest.mark.points(1)
@pytest.mark.hint(
    "the result lines up with X: the same index labels in the same order, and the Series "
    "is named after the column that was changed"
)
def test_result_is_aligned_and_named(checks):
    got = checks.prediction_shift(RainModel(), _frame(), "carrier", "ZZ")
    assert list(got.index) == [7, 3, 11], f"index should be X's [7, 3, 11], got {list(got.index)}"
    assert got.name == "carrier", f"name the Series after the column, got {got.name!r}"
    assert (got == 0).all(), "the carrier means nothing to RainModel: no shift"


@pytest.mark.exercise("prediction_shift")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a missing column is the caller's mistake: raise KeyError naming it (setting it would "
    "quietly add a new column instead)"
)
def test_unknown_column_is_a_key_error(checks):
    frame = _frame()
    with pytest.raises(KeyError, match="visibility"):
        checks.prediction_shift(RainModel(), frame, "visibility", 0.0)
    assert list(frame.columns) == ["precip", "carrier"], "no column may be added to X"


# --- reference-only checks of the real model (not graded) ---------------------------------------


@pytest.fixture(scope="module")
def october(year_split) -> pd.DataFrame:
    """2,000 real October flights with the raw columns (tail number, flight number) kept."""
    test = year_split.test
    return test[test["month"] == 10].sample(2000, random_state=0)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("column", "value"),
    [
        pytest.param("tailnum", "N00000", id="tail-number"),
        pytest.param("flight", 9999, id="flight-number"),
    ],
)
def test_invariance_identifiers_do_not_change_the_prediction(xgb_model, october, column, value):
    from week03_ml.checks import prediction_shift

    shift = prediction_shift(xgb_model, october, column, value)
    assert shift.abs().max() == 0.0, f"changing {column} moved a prediction by {shift.abs().max()}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("column", "value"),
    [
        pytest.param("precip", 0.5, id="heavy-rain"),
        pytest.param("visib", 0.25, id="fog"),
    ],
)
def test_direction_worse_weather_never_lowers_delay_much(xgb_model, october, column, value):
    from week03_ml.checks import prediction_shift, worst_direction_violation

    worst = worst_direction_violation(xgb_model, october, column, value)
    assert worst < 0.10, f"setting {column}={value} lowered a delay probability by {worst:.3f}"
    mean = prediction_shift(xgb_model, october, column, value).mean()
    assert mean > 0, (
        f"on average {column}={value} should make delays likelier, mean shift {mean:.3f}"
    )
