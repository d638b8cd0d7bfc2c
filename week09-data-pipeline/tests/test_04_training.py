"""Exercise 5: the condition step of the weekly training (``should_register``); then reference
checks of training, deciding and registering."""

from __future__ import annotations

import math

import pytest

RULES = {"min_auc": 0.60, "margin": 0.005}


@pytest.mark.exercise("should_register")
@pytest.mark.points(2)
@pytest.mark.hint("below the validation threshold a model is never registered, even the first one")
@pytest.mark.parametrize(
    "champion", [pytest.param(None, id="no-champion"), pytest.param(0.55, id="weak-champion")]
)
def test_a_model_below_the_threshold_is_refused(training, champion):
    decision = training.should_register(0.58, champion, **RULES)
    assert decision.promote is False, (
        f"a validation ROC-AUC of 0.58 < threshold 0.60 was accepted (champion {champion})"
    )
    assert "0.5800" in decision.reason and "0.6000" in decision.reason, (
        f"reason {decision.reason!r}: name the score and the threshold (4 decimals)"
    )


@pytest.mark.exercise("should_register")
@pytest.mark.points(2)
@pytest.mark.hint("the threshold itself passes: refuse only valid_auc < min_auc")
def test_exactly_the_threshold_passes(training):
    decision = training.should_register(0.60, None, **RULES)
    assert decision.promote is True, f"0.60 at a threshold of 0.60 was refused: {decision.reason}"


@pytest.mark.exercise("should_register")
@pytest.mark.points(2)
@pytest.mark.hint(
    "every comparison with NaN is False, so a NaN score passes a 'below' test: test NaN itself"
)
def test_an_unmeasured_model_is_refused(training):
    decision = training.should_register(math.nan, None, **RULES)
    assert decision.promote is False, "a NaN validation score (one class only) was accepted"


@pytest.mark.exercise("should_register")
@pytest.mark.points(1)
@pytest.mark.hint(
    "above the threshold, return week06's promotion_decision unchanged (it takes the champion's "
    "score first): a rule of your own gets ties, the margin or the reason wrong"
)
@pytest.mark.parametrize(
    ("valid", "champion", "want"),
    [
        pytest.param(0.66, None, True, id="first-model"),
        pytest.param(0.64, 0.65, False, id="worse-than-champion"),
        pytest.param(0.65, 0.65, False, id="tie"),
        pytest.param(0.654, 0.65, False, id="gain-below-margin"),
        pytest.param(0.655, 0.65, True, id="gain-of-the-margin"),
        pytest.param(0.70, 0.65, True, id="clearly-better"),
    ],
)
def test_the_champion_is_beaten_by_the_margin(training, valid, champion, want):
    from week06_mlflow.registry import promotion_decision

    decision = training.should_register(valid, champion, **RULES)
    assert decision.promote is want, (
        f"validation {valid} vs champion {champion}: got promote={decision.promote}, want {want} "
        "(registering a worse model, or one within the margin, is the mistake to avoid)"
    )
    assert decision == promotion_decision(champion, valid, RULES["margin"]), (
        f"got {decision}: return week06's promotion_decision itself (same reason text)"
    )


@pytest.mark.exercise("should_register")
@pytest.mark.points(1)
@pytest.mark.hint("the threshold must be inside 0..1: raise ValueError naming min_auc")
@pytest.mark.parametrize(
    "bad", [pytest.param(-0.1, id="negative"), pytest.param(1.2, id="above-one")]
)
def test_a_threshold_outside_zero_one_is_refused(training, bad):
    with pytest.raises(ValueError, match="min_auc"):
        training.should_register(0.7, None, min_auc=bad, margin=0.005)


@pytest.mark.exercise("should_register")
@pytest.mark.points(1)
@pytest.mark.hint("0 and 1 are thresholds too (inclusive bounds): 0 accepts any measured model")
def test_the_bounds_zero_and_one_are_allowed(training):
    assert training.should_register(0.5, None, min_auc=0.0, margin=0.005).promote is True
    assert training.should_register(0.99, None, min_auc=1.0, margin=0.005).promote is False


@pytest.mark.exercise("should_register")
@pytest.mark.points(1)
@pytest.mark.hint("a negative margin would promote worse models: week06's rule raises for it")
def test_a_negative_margin_is_refused(training):
    with pytest.raises(ValueError, match="margin"):
        training.should_register(0.7, 0.65, min_auc=0.6, margin=-0.01)


# --- reference checks of the weekly job (the session's champion was trained on 1 September) --


def test_the_champion_was_tracked_and_registered(mlflow_store, sqlite_settings):
    import mlflow

    from week09_data_pipeline.training import AS_OF_TAG, DECISION_TAG, has_champion, use_mlflow

    use_mlflow(sqlite_settings)
    assert has_champion(sqlite_settings)
    runs = mlflow.search_runs(
        experiment_names=[sqlite_settings.experiment_name],
        filter_string=f"tags.{AS_OF_TAG} = '2013-09-01'",
        output_format="list",
    )
    assert len(runs) == 1, f"one run for 2013-09-01, got {len(runs)}"
    assert runs[0].data.tags[DECISION_TAG] == "register"
    assert runs[0].data.metrics["valid_roc_auc"] > 0.6


def test_training_the_same_day_again_reuses_its_run(mlflow_store, sqlite_settings):
    import datetime as dt

    import mlflow

    from week09_data_pipeline.training import AS_OF_TAG, train_candidate

    again = train_candidate(dt.date(2013, 9, 1), sqlite_settings)
    runs = mlflow.search_runs(
        experiment_names=[sqlite_settings.experiment_name],
        filter_string=f"tags.{AS_OF_TAG} = '2013-09-01'",
        output_format="list",
    )
    assert [r.info.run_id for r in runs] == [again.run_id], "one run per logical date"


def test_a_model_that_does_not_beat_the_champion_is_not_registered(mlflow_store, sqlite_settings):
    import datetime as dt

    from mlflow import MlflowClient

    from week09_data_pipeline.training import decide, register_candidate

    strict = sqlite_settings.model_copy(update={"min_valid_auc": 0.99})
    client = MlflowClient(strict.mlflow_tracking_uri)
    before = len(client.search_model_versions(f"name = '{strict.model_name}'"))
    decision = decide(dt.date(2013, 9, 1), strict)
    assert decision.promote is False and "0.9900" in decision.reason
    assert register_candidate(dt.date(2013, 9, 1), strict) is None
    versions = client.search_model_versions(f"name = '{strict.model_name}'")
    assert len(versions) == before, "a refused model must not become a new version"
    decide(dt.date(2013, 9, 1), sqlite_settings)  # put the run's decision back for later checks
