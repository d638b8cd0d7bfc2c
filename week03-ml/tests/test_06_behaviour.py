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


X = pd.DataFrame({"precip": [0.0, 0.1, 0.5], "carrier": ["AA", "UA", "B6"]}, index=[7, 3, 11])


@pytest.mark.exercise("prediction_shift")
@pytest.mark.points(2)
@pytest.mark.hint("shift = p(changed) - p(original), using column 1 of predict_proba (delayed)")
def test_shift_is_new_minus_old_delay_probability(checks):
    got = checks.prediction_shift(RainModel(), X, "precip", 1.0)
    p_old = RainModel().predict_proba(X)[:, 1]
    p_new = RainModel().predict_proba(X.assign(precip=1.0))[:, 1]
    np.testing.assert_allclose(
        got.to_numpy(),
        p_new - p_old,
        err_msg=(
            "heavier rain makes RainModel's delays likelier, so every shift should be positive: "
            "new minus old, probability of class 1"
        ),
    )


@pytest.mark.exercise("prediction_shift")
@pytest.mark.points(1)
@pytest.mark.hint("change a copy (X.copy()), never the caller's frame")
def test_input_is_not_modified(checks):
    frame = X.copy()
    checks.prediction_shift(RainModel(), frame, "precip", 1.0)
    pd.testing.assert_frame_equal(frame, X, obj="X after prediction_shift (must be unchanged)")


@pytest.mark.exercise("prediction_shift")
@pytest.mark.points(1)
@pytest.mark.hint("return pd.Series(..., index=X.index, name=column)")
def test_result_is_aligned_and_named(checks):
    got = checks.prediction_shift(RainModel(), X, "carrier", "ZZ")
    assert list(got.index) == [7, 3, 11], f"index should be X's [7, 3, 11], got {list(got.index)}"
    assert got.name == "carrier", f"name the Series after the column, got {got.name!r}"
    assert (got == 0).all(), "the carrier means nothing to RainModel: no shift"


@pytest.mark.exercise("prediction_shift")
@pytest.mark.points(1)
@pytest.mark.hint("a missing column is the caller's mistake: raise KeyError naming it")
def test_unknown_column_is_a_key_error(checks):
    with pytest.raises(KeyError, match="visibility"):
        checks.prediction_shift(RainModel(), X, "visibility", 0.0)


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
