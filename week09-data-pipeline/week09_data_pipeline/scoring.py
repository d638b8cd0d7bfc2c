"""Nightly batch scoring: tomorrow's flights, scored with the registry's champion.

On the evening of day D the pipeline scores the flights *scheduled* for D+1: their features
come from week04's online store (past rates as of D+1, materialised after D's load; the plane;
the route) and the model is the version the ``champion`` alias points at, loaded with week06's
``load_registered`` (that version, pinned). The scores go to :data:`predictions`, one row per
flight with the model version that made it: the table week11 monitors and compares with the
labels once they arrive.

Weather: D+1's readings do not exist on the evening of D, so the weather features of every
scored flight are set to missing (:data:`WEATHER_FEATURES`), which XGBoost handles as it handles a
missing reading in training. These are *evening-before* scores: the weather at departure is not
in them (the API, asked at departure time after the hour's reading has landed, gives the fuller
answer). This is the honest choice: scoring with D+1's observed weather would use data that did
not exist when the scores were made. It also keeps a re-run exact: re-scoring D after D+1 was
loaded would otherwise pick up D+1's readings from the store and change the scores.

:func:`write_predictions` replaces the day: a re-run writes the same rows, a re-score with a new
champion replaces the old model's rows, a flight dropped from the schedule disappears.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Column, Date, DateTime, Float, Index, Integer, String, Table
from sqlalchemy.engine import Connection, Engine

from week03_ml.artifact import Model
from week03_ml.features import REGISTRY
from week04_sql.load import to_rows
from week04_sql.online import LOCAL_TZ, lookup
from week09_data_pipeline.etl import warehouse
from week09_data_pipeline.raw import land_day, read_partition
from week09_data_pipeline.settings import Settings

log = logging.getLogger(__name__)

predictions_metadata = sa.MetaData()

#: One row per scored flight. Stable: week11 reads it (documented in the README).
predictions = Table(
    "predictions",
    predictions_metadata,
    # the warehouse's natural key of a flight
    Column("flight_date", Date, primary_key=True, comment="local (New York) date of the flight"),
    Column("carrier", String(2), primary_key=True),
    Column("flight", Integer, primary_key=True),
    Column("origin", String(3), primary_key=True),
    Column("dest", String(3), nullable=False),
    Column("sched_dep", DateTime(timezone=False), nullable=False, comment="scheduled, UTC"),
    Column("model_name", String(100), nullable=False),
    Column("model_version", String(20), nullable=False),
    Column("probability", Float, nullable=False, comment="P(arrives > 15 min late)"),
    Column("threshold", Float, nullable=False, comment="the model's decision threshold"),
    Column("predicted_delayed", Integer, nullable=False, comment="probability >= threshold"),
    Column("scored_as_of", Date, nullable=False, comment="the evening it was scored: D - 1"),
    Index("ix_predictions_model_date", "model_version", "flight_date"),
)
PREDICTION_COLUMNS = [c.name for c in predictions.columns]
#: The features not known on the evening before a flight: its hour's weather and what leads up
#: to it (week03's registry says which they are).
WEATHER_FEATURES = [f.name for f in REGISTRY if f.kind in ("weather", "recent_weather")]


@dataclass(frozen=True)
class Scored:
    """``rows`` flights of ``flight_date`` scored on the evening of ``day`` by ``model_version``."""

    day: dt.date
    flight_date: dt.date
    rows: int
    model_version: str


def create_predictions_schema(engine: Engine) -> None:
    """Create the predictions table if it does not exist (safe to call again)."""
    predictions_metadata.create_all(engine)


def write_predictions(conn: Connection, day: dt.date, rows: pd.DataFrame) -> int:
    """Make ``rows`` the predictions of flight date ``day``: the day's earlier rows are deleted
    and ``rows`` inserted, inside the caller's transaction (``conn``, from ``engine.begin()``),
    so a failure before the commit leaves the day as it was. Other days are untouched.

    ``rows`` has the columns of :data:`predictions`; an empty frame clears the day. Raises
    ``ValueError`` naming the dates when a row's ``flight_date`` is not ``day`` (nothing is
    written then). Returns the number of rows written.
    """
    dates = sorted(set(pd.to_datetime(rows["flight_date"]).dt.date))
    others = [d for d in dates if d != day]
    if others:
        raise ValueError(
            f"predictions for {day} hold flights of other dates: {[str(d) for d in others]}"
        )
    # compared with the Date column, day is sent as a typed DATE parameter on both backends
    conn.execute(sa.delete(predictions).where(predictions.c.flight_date == day))
    if len(rows) == 0:
        return 0
    records = to_rows(rows, predictions)
    conn.execute(predictions.insert(), records)
    return len(records)


def schedule_rows(schedule: pd.DataFrame) -> pd.DataFrame:
    """The raw schedule as week04's ``lookup`` wants it: ``sched_dep`` a New York time (the
    scheduled UTC hour plus the minutes; no DST guesswork), with the flight's date."""
    hour = pd.to_datetime(schedule["time_hour"], utc=True)
    sched_dep = (hour + pd.to_timedelta(schedule["minute"], unit="min")).dt.tz_convert(LOCAL_TZ)
    rows = schedule[["carrier", "flight", "origin", "dest", "tailnum", "distance"]].copy()
    rows["sched_dep"] = sched_dep
    rows["flight_date"] = pd.to_datetime(schedule[["year", "month", "day"]]).dt.date
    return rows.reset_index(drop=True)


@functools.lru_cache(maxsize=4)
def _model(tracking_uri: str, name: str, version: str) -> Model:
    # cached by version: a backfill loads the champion once, and again only when it changes;
    # loaded by that version, so the rows' model_version is the model that scored them even if
    # the alias moves meanwhile
    from week06_mlflow.registry import load_registered

    return load_registered(f"models:/{name}/{version}", tracking_uri)


def champion(settings: Settings) -> Model:
    """The champion (week 3's model type; its ``version`` is the registry's). Raises
    ``LookupError`` when the model has no champion yet (run the weekly training first)."""
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    from week06_mlflow.registry import CHAMPION
    from week09_data_pipeline.training import use_mlflow

    use_mlflow(settings)
    client = MlflowClient(settings.mlflow_tracking_uri, settings.mlflow_tracking_uri)
    try:
        version = str(client.get_model_version_by_alias(settings.model_name, CHAMPION).version)
    except MlflowException as error:
        raise LookupError(
            f"model {settings.model_name!r} has no {CHAMPION!r} yet: run train_weekly first"
        ) from error
    return _model(settings.mlflow_tracking_uri, settings.model_name, version)


def land_schedule(day: dt.date, settings: Settings) -> int:
    """Land the timetable of ``day + 1`` (what the airlines published): tonight's input."""
    return land_day(day + dt.timedelta(days=1), settings, "schedule").rows


def score_day(day: dt.date, settings: Settings) -> Scored:
    """Score the flights scheduled for ``day + 1`` with the champion and replace that date's
    predictions. Needs the landed schedule (:func:`land_schedule`) and the store materialised
    for ``day + 1`` (week04's ``StoreNotReady`` names the date otherwise)."""
    target = day + dt.timedelta(days=1)
    schedule = schedule_rows(read_partition(settings.raw_dir, "schedule", target))
    model = champion(settings)
    engine = warehouse(settings)
    try:
        create_predictions_schema(engine)
        with engine.connect() as conn:
            features = lookup(conn, schedule) if len(schedule) else pd.DataFrame()
        if len(features):
            features[WEATHER_FEATURES] = float("nan")  # unknown on the evening before
        out = schedule[["flight_date", "carrier", "flight", "origin", "dest"]].copy()
        out["sched_dep"] = schedule["sched_dep"].dt.tz_convert("UTC").dt.tz_localize(None)
        proba = model.predict_proba(features) if len(schedule) else np.empty(0)
        threshold = model.threshold
        out["model_name"] = settings.model_name
        out["model_version"] = model.version
        out["probability"] = pd.Series(proba, index=out.index, dtype="float64")
        out["threshold"] = threshold
        out["predicted_delayed"] = (out["probability"] >= threshold).astype(int)
        out["scored_as_of"] = day
        with engine.begin() as conn:
            written = write_predictions(conn, target, out[PREDICTION_COLUMNS])
    finally:
        engine.dispose()
    log.info("scored %d flights of %s with version %s", written, target, model.version)
    return Scored(day, target, written, model.version)
