"""Weekly training: a model on the recent weeks, tracked, and registered only if it is good enough.

Three steps, each a plain function of the logical date (a DAG task each, so a retry of the last
one does not train again):

1. :func:`train_candidate`: week03's XGBoost on the ``train_days`` days before the validation
   window, its threshold chosen on the ``valid_days`` days just before the logical date, the
   whole run tracked with week06's ``train_and_track`` (parameters, metrics, the model). One run
   per logical date: run again, it finds the finished run and returns it.
2. :func:`decide`: the condition step. :func:`should_register` refuses a model below the
   validation threshold, and otherwise asks week06's ``promotion_decision`` whether it beats
   the champion, both scored on the *same* validation flights.
3. :func:`register_candidate`: registers the model as ``challenger`` (week06's ``register``);
   when there is no champion yet, the first good model becomes the champion through week06's
   ``promote``. Replacing an existing champion is week13's A/B decision, not this job's.

Every run carries the tag ``week09_as_of`` (the logical date) and, after step 2, the decision
and its reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from week06_mlflow.registry import Decision, promotion_decision
from week09_data_pipeline.settings import Settings

log = logging.getLogger(__name__)

AS_OF_TAG = "week09_as_of"
DECISION_TAG = "week09_decision"
REASON_TAG = "week09_reason"
VERSION_TAG = "week09_version"
MODEL_URI_TAG = "week09_model_uri"


@dataclass(frozen=True)
class Candidate:
    """The tracked run trained for ``day``: its validation ROC-AUC and the model's URI."""

    day: dt.date
    run_id: str
    model_uri: str
    valid_auc: float
    train_rows: int
    valid_rows: int


@dataclass(frozen=True)
class Registered:
    """What :func:`register_candidate` did for ``day``."""

    day: dt.date
    version: str
    champion: bool


def should_register(
    valid_auc: float, champion_auc: float | None, *, min_auc: float, margin: float
) -> Decision:
    """The condition step: register the candidate (validation ROC-AUC ``valid_auc``) as the
    challenger, or not? ``champion_auc`` is the champion's ROC-AUC on the same validation
    flights (``None`` when there is no champion).

    * a NaN score, or one below ``min_auc``, is refused whatever the champion: the reason names
      the score and the threshold (``"validation ROC-AUC 0.5800 < threshold 0.6000"``);
      exactly ``min_auc`` passes;
    * otherwise the answer is week06's ``promotion_decision(champion_auc, valid_auc, margin)``,
      the course's one rule for "better than the champion" (it raises for a negative margin).

    Raises ``ValueError`` naming ``min_auc`` when it is outside 0..1.
    """
    if not 0.0 <= min_auc <= 1.0:
        raise ValueError(f"min_auc must be between 0 and 1, got {min_auc}")
    if math.isnan(valid_auc) or valid_auc < min_auc:
        return Decision(
            False, f"validation ROC-AUC {valid_auc:.4f} < threshold {min_auc:.4f}: not registered"
        )
    return promotion_decision(champion_auc, valid_auc, margin)


def use_mlflow(settings: Settings) -> str:
    """Point MLflow at the settings' store (a new local SQLite store is made from week06's
    migrated template, in milliseconds) and return the experiment's id."""
    from week06_mlflow.settings import get_settings as mlflow_settings
    from week06_mlflow.settings import new_local_store, use_store

    uri = settings.mlflow_tracking_uri
    if uri.startswith("sqlite:///"):
        path = Path(uri.removeprefix("sqlite:///"))
        if not path.exists():
            new_local_store(path.parent, path.name)
    return use_store(
        mlflow_settings(
            mlflow_tracking_uri=uri,
            mlflow_artifact_root=settings.mlflow_artifact_root,
            mlflow_experiment_name=settings.experiment_name,
            mlflow_model_name=settings.model_name,
        )
    )


def _finished_run(experiment_id: str, day: dt.date) -> Any | None:
    import mlflow

    runs = mlflow.search_runs(
        [experiment_id],
        filter_string=f"tags.{AS_OF_TAG} = '{day.isoformat()}' and attributes.status = 'FINISHED'",
        order_by=["attributes.start_time DESC"],
        output_format="list",
    )
    return runs[0] if runs else None


def _candidate(day: dt.date, run: Any) -> Candidate:
    return Candidate(
        day,
        run.info.run_id,
        run.data.tags.get(MODEL_URI_TAG, f"runs:/{run.info.run_id}/model"),
        float(run.data.metrics["valid_roc_auc"]),
        int(run.data.tags["data.train_rows"]),
        int(run.data.tags["data.valid_rows"]),
    )


def windows(day: dt.date, settings: Settings) -> tuple[dt.date, dt.date]:
    """``(train_from, valid_from)``: training runs from ``train_from`` to the day before
    ``valid_from``, validation from ``valid_from`` to the day before ``day``."""
    valid_from = day - dt.timedelta(days=settings.valid_days)
    return valid_from - dt.timedelta(days=settings.train_days), valid_from


def recent_flights(day: dt.date, settings: Settings) -> tuple[Any, Any]:
    """``(train, valid)``: the labelled flights of the two windows before ``day``, with week03's
    features (built past-only over the year, so a window cut from it leaks nothing)."""
    import pandas as pd

    from week01_data.target import labelled
    from week03_ml.split import flight_date
    from week03_ml.train import load_flights

    train_from, valid_from = windows(day, settings)
    flights = labelled(load_flights())
    dates = flight_date(flights)
    train = flights[(dates >= pd.Timestamp(train_from)) & (dates < pd.Timestamp(valid_from))]
    valid = flights[(dates >= pd.Timestamp(valid_from)) & (dates < pd.Timestamp(day))]
    return train, valid


def train_candidate(day: dt.date, settings: Settings) -> Candidate:
    """Train and track the model of ``day`` (or return the finished run of ``day``)."""
    import mlflow

    from week03_ml.models import XGBParams
    from week03_ml.split import Split
    from week03_ml.train import TrainConfig
    from week06_mlflow.tracking import train_and_track

    experiment_id = use_mlflow(settings)
    found = _finished_run(experiment_id, day)
    if found is not None:
        log.info("%s: run %s already trained, reused", day, found.info.run_id)
        return _candidate(day, found)
    train_from, valid_from = windows(day, settings)
    train, valid = recent_flights(day, settings)
    if train.empty or valid.empty:
        raise ValueError(
            f"no labelled flights to train on for {day}: train {train_from}..{valid_from} has "
            f"{len(train)}, validation {valid_from}..{day} has {len(valid)}"
        )
    config = TrainConfig(
        valid_start=valid_from.isoformat(),
        test_start=day.isoformat(),
        models=("xgboost",),
        xgboost=XGBParams(n_estimators=settings.n_estimators, learning_rate=0.1, max_depth=4),
    )
    # no test window in a weekly job (production is the test): validation stands in for it
    tracked = train_and_track(
        Split(train, valid, valid),
        config,
        experiment_id=experiment_id,
        run_name=f"weekly {day}",
        plots=False,
    )
    client = mlflow.MlflowClient()
    if tracked.model_uri:
        client.set_tag(tracked.run_id, MODEL_URI_TAG, tracked.model_uri)
    # last: a run is found by this tag only once everything above is done
    client.set_tag(tracked.run_id, AS_OF_TAG, day.isoformat())
    run = mlflow.get_run(tracked.run_id)
    return _candidate(day, run)


def decide(day: dt.date, settings: Settings) -> Decision:
    """The condition step for ``day``'s candidate: :func:`should_register` on its validation
    score and the champion's on the same flights; the decision is tagged on the run."""
    import mlflow

    from week06_mlflow.registry import CHAMPION, load_by_alias, score_on

    experiment_id = use_mlflow(settings)
    found = _finished_run(experiment_id, day)
    if found is None:
        raise LookupError(f"no finished training run for {day}: run train_candidate first")
    candidate = _candidate(day, found)
    client = mlflow.MlflowClient()
    champion_auc: float | None = None
    try:
        client.get_model_version_by_alias(settings.model_name, CHAMPION)
    except mlflow.exceptions.MlflowException:
        pass  # no champion yet (or no model at all)
    else:
        _, valid = recent_flights(day, settings)
        champion_auc = score_on(load_by_alias(settings.model_name, CHAMPION), valid)
    decision = should_register(
        candidate.valid_auc, champion_auc, min_auc=settings.min_valid_auc, margin=settings.margin
    )
    client.set_tag(candidate.run_id, DECISION_TAG, "register" if decision.promote else "refuse")
    client.set_tag(candidate.run_id, REASON_TAG, decision.reason)
    log.info("%s: %s (%s)", day, "register" if decision.promote else "refuse", decision.reason)
    return decision


def register_candidate(day: dt.date, settings: Settings) -> Registered | None:
    """Register ``day``'s candidate as ``challenger`` when :func:`decide` said so (``None``
    otherwise); the first registered model also becomes ``champion``. Registering is done once
    per run: a retry finds the version it made."""
    import mlflow

    from week06_mlflow.registry import CHAMPION, promote, register

    experiment_id = use_mlflow(settings)
    found = _finished_run(experiment_id, day)
    if found is None or found.data.tags.get(DECISION_TAG) != "register":
        log.info("%s: nothing to register (decision: %s)", day, found and found.data.tags)
        return None
    candidate = _candidate(day, found)
    client = mlflow.MlflowClient()
    version = found.data.tags.get(VERSION_TAG)
    if version is None:
        version = str(register(candidate.model_uri, settings.model_name).version)
        client.set_tag(candidate.run_id, VERSION_TAG, version)
    try:
        client.get_model_version_by_alias(settings.model_name, CHAMPION)
        became_champion = False
    except mlflow.exceptions.MlflowException:
        _, valid = recent_flights(day, settings)
        became_champion = promote(settings.model_name, valid, margin=settings.margin).promote
    return Registered(day, version, became_champion)


def has_champion(settings: Settings) -> bool:
    """True when the model has a version under the ``champion`` alias."""
    import mlflow

    from week06_mlflow.registry import CHAMPION

    use_mlflow(settings)
    try:
        mlflow.MlflowClient().get_model_version_by_alias(settings.model_name, CHAMPION)
    except mlflow.exceptions.MlflowException:
        return False
    return True
