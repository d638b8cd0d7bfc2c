"""Exercise 2: the leakage guard (``check_no_leakage``), and the model refusing a leaked column."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from week03_ml.features import FEATURES, LeakageError


@pytest.mark.exercise("check_no_leakage")
@pytest.mark.points(1)
@pytest.mark.hint("return None when no column is in LEAKY_COLUMNS; raise only for a leaked one")
def test_allowed_features_pass(features):
    assert features.check_no_leakage(FEATURES) is None
    assert features.check_no_leakage(["carrier", "precip", "past_rate_route"]) is None


@pytest.mark.exercise("check_no_leakage")
@pytest.mark.points(1)
@pytest.mark.hint(
    "raise LeakageError (from week03_ml.features) with the column's name in the message"
)
@pytest.mark.parametrize(
    "column",
    [
        pytest.param("dep_delay", id="dep_delay"),
        pytest.param("arr_time", id="arr_time"),
        pytest.param("air_time", id="air_time"),
        pytest.param("is_delayed", id="the-label"),
    ],
)
def test_leaked_column_is_refused_by_name(features, column):
    with pytest.raises(features.LeakageError, match=column):
        features.check_no_leakage(["carrier", column, "distance"])


@pytest.mark.exercise("check_no_leakage")
@pytest.mark.points(1)
@pytest.mark.hint("collect every leaked column before raising, so one run tells the whole story")
def test_every_leaked_column_is_named(features):
    with pytest.raises(features.LeakageError) as caught:
        features.check_no_leakage(["dep_time", "carrier", "arr_delay"])
    message = str(caught.value)
    assert "dep_time" in message and "arr_delay" in message, (
        f"name every leaked column, got {message!r}"
    )
    glued = [c for c in ("dep_time", "arr_delay") if not re.search(rf"\b{c}\b", message)]
    assert not glued, (
        f"{glued} is glued to other text in {message!r}: separate the names (', '.join) so "
        "the reader sees each column"
    )


@pytest.mark.exercise("check_no_leakage")
@pytest.mark.points(1)
@pytest.mark.hint("iterate over `columns` once: it may be a DataFrame's .columns or a generator")
def test_accepts_a_dataframe_index(features):
    frame = pd.DataFrame(columns=["origin", "dep_delay"])
    with pytest.raises(features.LeakageError, match="dep_delay"):
        features.check_no_leakage(frame.columns)
    with pytest.raises(features.LeakageError, match="air_time"):
        features.check_no_leakage(c for c in ["origin", "air_time"])


# --- reference-only checks (not graded) ---------------------------------------------------------


def _tiny_training_set() -> tuple[pd.DataFrame, pd.Series]:
    X = pd.DataFrame(
        {
            "carrier": ["AA", "UA"] * 10,
            "origin": ["JFK", "EWR"] * 10,
            "dest": ["LAX"] * 20,
            "plane_engine": ["Turbo-fan"] * 20,
            "distance": range(20),
            "dep_delay": range(20),
        }
    )
    return X, pd.Series([0, 1] * 10)


def test_a_model_fitted_with_dep_delay_is_refused():
    from week03_ml.models import fit_model, make_logreg

    X, y = _tiny_training_set()
    with pytest.raises(LeakageError, match="dep_delay is only known after departure"):
        fit_model(make_logreg(categorical=["carrier"], numeric=["distance", "dep_delay"]), X, y)


def test_the_pipeline_itself_refuses_dep_delay():
    # even calling .fit directly, bypassing fit_model, hits the pipeline's first step
    from week03_ml.models import make_xgboost

    X, y = _tiny_training_set()
    with pytest.raises(LeakageError, match="dep_delay"):
        make_xgboost(categorical=["carrier"], numeric=["distance"]).fit(X, y)


def test_training_config_with_a_leaked_feature_is_refused(year):
    from week03_ml.train import TrainConfig, train_and_evaluate

    config = TrainConfig(features=("carrier", "distance", "dep_delay"), models=("logreg",))
    with pytest.raises(LeakageError, match="dep_delay"):
        train_and_evaluate(year, config)


def test_no_feature_is_measured_after_departure(year):
    from week03_ml.features import LEAKY_COLUMNS

    assert not set(FEATURES) & LEAKY_COLUMNS
    # a leaked column would predict the label almost perfectly: none of ours comes close
    from week01_data.target import labelled
    from week03_ml.evaluate import ranking_scores

    known = labelled(year[year["month"] == 3])
    for column in ["past_rate_origin_1d", "past_rate_route", "precip"]:
        values = known[column].fillna(known[column].median())
        auc = ranking_scores(known["is_delayed"], values)["roc_auc"]
        assert auc < 0.7, f"{column} alone has AUC {auc:.3f} in March: is it leaking the label?"
