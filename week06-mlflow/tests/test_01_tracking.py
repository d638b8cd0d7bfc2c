"""Exercises 1-3: what a run records: parameters, metrics, the model's signature.

The graded checks call your functions on small values built here; the reference checks at the
bottom log a real run into a temporary store and read it back.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, TransformerMixin

from week03_ml.models import LogRegParams, XGBParams
from week03_ml.train import TrainConfig

SCORES = {
    "threshold": 0.21,
    "roc_auc": 0.71,
    "pr_auc": 0.42,
    "precision": 0.35,
    "recall": 0.6,
    "f1": 0.44,
    "valid_roc_auc": 0.73,
}
BY_MONTH = pd.DataFrame(
    {
        "month": [9, 10],
        "flights": [2000, 2100],
        "delay_rate": [0.15, 0.12],
        "roc_auc": [0.70, float("nan")],
        "pr_auc": [0.40, 0.30],
    }
)


# ---------------------------------------------------------------- exercise 1: parameters


@pytest.mark.exercise("config_params")
@pytest.mark.points(2)
@pytest.mark.hint("walk dataclasses.asdict(config): a nested dict becomes 'section.field' keys")
def test_params_are_flat_and_prefixed(tracking):
    config = TrainConfig(xgboost=XGBParams(max_depth=7), logreg=LogRegParams(C=0.5))
    params = tracking.config_params(config)
    assert params.get("xgboost.max_depth") == 7, (
        f"expected 'xgboost.max_depth': 7, got keys {sorted(params)[:8]}...: a nested "
        "hyper-parameter is logged as '<section>.<field>'"
    )
    assert params.get("logreg.C") == 0.5, "logreg's C should be logged as 'logreg.C'"
    assert params.get("valid_start") == config.valid_start
    assert params.get("test_start") == config.test_start


@pytest.mark.exercise("config_params")
@pytest.mark.points(1)
@pytest.mark.hint("MLflow stores parameters as short text: join tuples with ',' and add n_features")
def test_params_are_scalars(tracking):
    config = TrainConfig(features=("carrier", "origin", "distance"), models=("logreg", "xgboost"))
    params = tracking.config_params(config)
    bad = {
        k: type(v).__name__
        for k, v in params.items()
        if not isinstance(v, str | int | float | bool)
    }
    assert not bad, f"every parameter must be a str/int/float/bool, got {bad}"
    assert params.get("models") == "logreg,xgboost", (
        f"models should be 'logreg,xgboost', got {params.get('models')!r}"
    )
    assert params.get("features") == "carrier,origin,distance"
    assert params.get("n_features") == 3, "add n_features: the number of feature columns"


@pytest.mark.exercise("config_params")
@pytest.mark.points(1)
@pytest.mark.hint("every field of every section: do not hand-pick a few")
def test_params_cover_every_field(tracking):
    from dataclasses import fields

    params = tracking.config_params(TrainConfig())
    expected = {f"xgboost.{f.name}" for f in fields(XGBParams)}
    expected |= {f"logreg.{f.name}" for f in fields(LogRegParams)}
    missing = sorted(expected - set(params))
    assert not missing, f"parameters missing from the run: {missing}"


# ---------------------------------------------------------------- exercise 2: metrics


@pytest.mark.exercise("metrics")
@pytest.mark.points(2)
@pytest.mark.hint("the test window's scores get 'test_'; threshold and valid_roc_auc keep names")
def test_test_scores_are_prefixed(tracking):
    metrics = tracking.score_metrics(SCORES)
    assert metrics.get("test_roc_auc") == 0.71, (
        "roc_auc from week 3's scores is measured on the TEST window: log it as test_roc_auc, "
        f"got keys {sorted(metrics)}"
    )
    assert "roc_auc" not in metrics, "a bare 'roc_auc' is ambiguous: validation or test?"
    assert metrics.get("valid_roc_auc") == 0.73, "valid_roc_auc keeps its name"
    assert metrics.get("threshold") == 0.21, "threshold keeps its name"
    assert {"test_pr_auc", "test_precision", "test_recall", "test_f1"} <= set(metrics)


@pytest.mark.exercise("metrics")
@pytest.mark.points(1)
@pytest.mark.hint("math.isnan(value): skip it")
def test_nan_scores_are_left_out(tracking):
    metrics = tracking.score_metrics({**SCORES, "roc_auc": float("nan")})
    assert "test_roc_auc" not in metrics, "a NaN score is left out (it would break sorting)"
    after = {"test_pr_auc", "test_precision", "test_recall", "test_f1", "valid_roc_auc"}
    assert after <= set(metrics), (
        f"only the NaN score is left out, the scores after it stay: missing "
        f"{sorted(after - set(metrics))} (a break instead of a continue?)"
    )
    assert all(isinstance(v, float) for v in metrics.values())


@pytest.mark.exercise("metrics")
@pytest.mark.points(1)
@pytest.mark.hint("float(value) for every value; only TEST_SCORES get the prefix")
def test_other_scores_keep_their_name_as_floats(tracking):
    scores = {"roc_auc": np.float32(0.75), "brier": np.float32(0.125), "f1": np.float32("nan")}
    metrics = tracking.score_metrics(scores)
    assert set(metrics) == {"test_roc_auc", "brier"}, (
        f"expected test_roc_auc and brier (a key outside TEST_SCORES keeps its name; the NaN f1 "
        f"is left out), got {sorted(metrics)}"
    )
    bad = {k: type(v).__name__ for k, v in metrics.items() if not isinstance(v, float)}
    assert not bad, f"metric values must be plain floats, got {bad}: convert with float()"
    assert metrics["brier"] == pytest.approx(0.125)


@pytest.mark.exercise("metrics")
@pytest.mark.points(2)
@pytest.mark.hint(
    "names are test_<score>_m<MM> with a two-digit month (m09, not m9), for roc_auc, pr_auc, "
    "delay_rate and flights only; a NaN value is left out"
)
def test_month_metrics(tracking):
    metrics = tracking.month_metrics(BY_MONTH)
    assert metrics.get("test_roc_auc_m09") == pytest.approx(0.70), (
        f"September's ROC-AUC should be 'test_roc_auc_m09' (two-digit month), got {sorted(metrics)}"
    )
    assert metrics.get("test_flights_m10") == 2100.0
    assert metrics.get("test_delay_rate_m10") == pytest.approx(0.12)
    assert "test_roc_auc_m10" not in metrics, "October's ROC-AUC is NaN: leave it out"
    assert len(metrics) == 7, f"expected 7 metrics (4 + 3), got {len(metrics)}: {sorted(metrics)}"


# ---------------------------------------------------------------- exercise 3: signature

FRAME = pd.DataFrame(
    {
        "carrier": ["UA", "AA", None],
        "dep_hour": np.array([6, 9, 17], dtype="int64"),
        "distance": np.array([1400, 760, 200], dtype="int32"),
        "temp": [30.1, float("nan"), 41.0],
    }
)


@pytest.mark.exercise("signature")
@pytest.mark.points(2)
@pytest.mark.hint("one ColSpec per column of X, in order, with the column's name")
def test_signature_inputs_are_the_features(tracking):
    signature = tracking.build_signature(FRAME, np.array([0.1, 0.2, 0.3]))
    names = signature.inputs.input_names()
    assert names == list(FRAME.columns), (
        f"the inputs should be X's columns in order {list(FRAME.columns)}, got {names}"
    )


@pytest.mark.exercise("signature")
@pytest.mark.points(2)
@pytest.mark.hint("integers become 'double' (a missing int arrives as NaN) and required=False")
def test_signature_accepts_missing_values(tracking):
    signature = tracking.build_signature(FRAME, np.array([0.1, 0.2, 0.3]))
    types = {spec.name: str(spec.type) for spec in signature.inputs.inputs}
    assert types["dep_hour"].endswith("double") and types["distance"].endswith("double"), (
        f"integer columns should be declared double, got {types}: at serving time a missing "
        "dep_hour is NaN, and a 'long' column refuses NaN"
    )
    assert types["carrier"].endswith("string"), f"carrier is text, got {types['carrier']}"
    required = {
        spec.name: spec.required for spec in signature.inputs.inputs if spec.required is not False
    }
    assert not required, f"every input should be optional (required=False), got {required}"


@pytest.mark.exercise("signature")
@pytest.mark.points(1)
@pytest.mark.hint("the output is the delay probability: a 1-D float64 tensor")
def test_signature_output_is_a_probability(tracking):
    signature = tracking.build_signature(FRAME, np.array([0.1, 0.2, 0.3], dtype="float32"))
    (output,) = signature.outputs.inputs
    assert str(output.type) == "float64", f"output should be float64, got {output.type}"
    assert tuple(output.shape) == (-1,), f"output should be 1-D (-1,), got {output.shape}"


@pytest.mark.exercise("signature")
@pytest.mark.points(1)
@pytest.mark.hint("proba is the delay probability, one per row: refuse a 2-D array")
def test_signature_refuses_two_column_proba(tracking):
    both = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3]])
    try:
        tracking.build_signature(FRAME, both)
    except ValueError:
        return
    pytest.fail(
        "proba of shape (3, 2) was accepted: that is predict_proba(X) with both "
        "classes; the output is 1-D (predict_proba(X)[:, 1]), refuse anything else "
        "with a ValueError"
    )


# ---------------------------------------------------------------- the real thing (reference)


@pytest.mark.slow
def test_tracked_run_records_params_metrics_tags(tracked, local_store, config):
    import mlflow

    run = mlflow.get_run(tracked.run_id)
    assert run.data.params["xgboost.n_estimators"] == str(config.xgboost.n_estimators)
    assert run.data.params["valid_start"] == "2013-03-01"
    metrics = run.data.metrics
    assert 0.55 < metrics["valid_roc_auc"] < 0.9, f"validation AUC {metrics['valid_roc_auc']}"
    assert {"test_roc_auc", "threshold", "test_roc_auc_m04", "test_roc_auc_m05"} <= set(metrics)
    tags = run.data.tags
    assert tags["data.train_window"] == "2013-01-01..2013-02-07"
    assert tags["data.test_window"] == "2013-04-01..2013-05-07"
    assert tags["code_version"], "the code version tag is empty"
    history = mlflow.MlflowClient().get_metric_history(tracked.run_id, "test_roc_auc_by_month")
    assert [m.step for m in history] == [4, 5], "one point per test month, step = month"


@pytest.mark.slow
def test_tracked_run_has_artifacts_and_model(tracked, local_store, split):
    import mlflow
    import mlflow.sklearn
    from mlflow.models import get_model_info

    files = {a.path for a in mlflow.MlflowClient().list_artifacts(tracked.run_id)}
    assert "metadata.json" in files
    plots = {a.path for a in mlflow.MlflowClient().list_artifacts(tracked.run_id, "plots")}
    assert plots == {"plots/roc.png", "plots/pr.png", "plots/monthly_auc.png"}
    info = get_model_info(tracked.model_uri)
    assert info.signature is not None and info.saved_input_example_info is not None
    assert info.metadata["model"] == "xgboost"
    assert info.flavors["python_function"]["loader_module"] == "mlflow.sklearn"
    assert info.flavors["sklearn"]["serialization_format"] == "skops"
    model = mlflow.sklearn.load_model(tracked.model_uri)
    X = split.test[info.metadata["features"]]
    np.testing.assert_allclose(
        model.predict_proba(X)[:, 1], tracked.result.pipeline.predict_proba(X)[:, 1]
    )


def test_pip_requirements_are_pinned():
    from week06_mlflow.tracking import pip_requirements

    requirements = pip_requirements()
    assert any(r.startswith("scikit-learn==") for r in requirements), requirements
    # the distribution installed here: XGBoost's CPU-only build on Linux, named so
    from week03_ml.artifact import installed_distribution

    found = installed_distribution("xgboost")
    assert found is not None and f"{found[0]}=={found[1]}" in requirements, requirements


class Stranger(BaseEstimator, TransformerMixin):
    """A class skops has never heard of: it must not be trusted blindly."""

    def fit(self, X, y=None):
        return self


def test_trusted_types_refuse_strangers():
    from sklearn.pipeline import Pipeline

    from week03_ml.artifact import trusted_types
    from week03_ml.models import make_baseline

    assert trusted_types(make_baseline()) == ["week03_ml.models.LeakageGuard"]
    with pytest.raises(ValueError, match="Stranger"):
        trusted_types(Pipeline([("x", Stranger())]))


def test_git_commit_outside_a_repository(tmp_path):
    from week06_mlflow.tracking import git_commit

    assert git_commit(tmp_path) is None


def test_score_metrics_reference_matches_nan_rule():
    from week06_mlflow.tracking import score_metrics

    assert all(not math.isnan(v) for v in score_metrics({"roc_auc": math.nan, "f1": 0.1}).values())


def test_settings_come_from_mlflow_variables(monkeypatch):
    from week06_mlflow.settings import get_settings

    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000")
    monkeypatch.setenv("MLFLOW_MODEL_NAME", "delays")
    settings = get_settings()
    assert settings.is_remote and settings.mlflow_model_name == "delays"
    assert get_settings(mlflow_tracking_uri="sqlite:///x.db").is_remote is False


def test_new_store_keeps_every_file_inside_its_folder(tmp_path):
    import sqlite3
    from contextlib import closing

    from week06_mlflow.settings import new_local_store

    uri = new_local_store(tmp_path / "store")
    db = uri.removeprefix("sqlite:///")
    with closing(sqlite3.connect(db)) as connection:
        (location,) = connection.execute(
            "SELECT artifact_location FROM experiments WHERE experiment_id = 0"
        ).fetchone()
    assert location.startswith((tmp_path / "store").as_uri()), (
        f"the Default experiment writes to {location}, outside the new store"
    )
    with pytest.raises(FileExistsError):
        new_local_store(tmp_path / "store")
