"""Score a day, a month or the year, and write the predictions to the bucket, one partition a day.

The job, whatever the engine::

    features/flights/date=D/part-0.parquet   (week03's features, published once per day)
        -> probabilities (pandas in this process, or Spark on local[2] / a cluster)
        -> predictions/flights/date=D/part-0.parquet

The features are week03's (:func:`week03_ml.train.load_flights`, built by the registry's one
definition); the pandas scorer is week03's :func:`~week03_ml.models.predict_proba` on the
pipeline; the model comes from a folder or the registry (week06's
:func:`~week06_mlflow.registry.load_registered`). A Spark run also scores with pandas and
reports the largest difference: the two must agree to 1e-6.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from week03_ml.features import FEATURES
from week03_ml.models import predict_proba
from week10_cloud.keys import partition_key
from week10_cloud.storage import put_frame, read_days

log = logging.getLogger(__name__)

Engine = Literal["pandas", "spark"]
#: The model_uri that means "week05's small demo model" (trained in seconds, cached).
DEMO = "demo"
#: What a prediction row says about its flight, besides the probability.
KEY_COLUMNS = ["year", "month", "day", "carrier", "flight", "origin", "dest", "time_hour"]
#: The columns of a features partition: the keys, then the model's inputs (no repeats).
FEATURE_FILE_COLUMNS = list(dict.fromkeys([*KEY_COLUMNS, *FEATURES]))
#: Spark and pandas must agree to this (both run the same booster on the same float32 inputs).
PARITY_TOLERANCE = 1e-6


@dataclass(frozen=True)
class ScoreResult:
    """What one scoring run did."""

    engine: str
    days: int
    rows: int
    keys: list[str]
    seconds: float
    parity: float | None  # max |spark - pandas|, for a Spark run


def days_of(
    day: str | None = None, month: str | None = None, year: str | None = None
) -> list[dt.date]:
    """The dates of exactly one of ``day`` (``2013-09-01``), ``month`` (``2013-09``) or
    ``year`` (``2013``). ``ValueError`` when none or several are given, or one is malformed."""
    given = [v for v in (day, month, year) if v]
    if len(given) != 1:
        raise ValueError("give exactly one of --day YYYY-MM-DD, --month YYYY-MM, --year YYYY")
    try:
        if day:
            return [dt.date.fromisoformat(day)]
        if month:
            y, m = (int(part) for part in month.split("-"))
            return [dt.date(y, m, d) for d in range(1, calendar.monthrange(y, m)[1] + 1)]
        assert year is not None
        first = dt.date(int(year), 1, 1)
        return [
            first + dt.timedelta(days=i) for i in range(366 if calendar.isleap(first.year) else 365)
        ]
    except ValueError as exc:
        raise ValueError(f"not a valid period {given[0]!r}: {exc}") from exc


def load_pipeline(uri: str) -> tuple[Pipeline, str]:
    """``(pipeline, version)`` of the model ``uri`` names: ``demo`` (week05's demo model), a
    registry URI (``models:/flight-delay@champion``) or a week-3 model folder."""
    from week03_ml.artifact import load_model

    if uri == DEMO:
        from week05_ml_api.sample import demo_model

        return load_model(demo_model())[0], DEMO
    if uri.startswith("models:/"):
        from week06_mlflow.registry import load_registered

        loaded = load_registered(uri)
        return loaded.pipeline, loaded.version
    return load_model(Path(uri))[0], Path(uri).name


def flight_dates(frame: pd.DataFrame) -> pd.Series:
    """Each flight's (scheduled, local) date."""
    return pd.to_datetime(frame[["year", "month", "day"]]).dt.date


def featured_days(days: list[dt.date]) -> pd.DataFrame:
    """Week03's featured flights of ``days`` (the whole year is built once and cached: a past
    rate of September needs every earlier day)."""
    from week03_ml.train import load_flights

    flights = load_flights()
    return flights[flight_dates(flights).isin(set(days))].reset_index(drop=True)


def publish_features(client: Any, bucket: str, days: list[dt.date]) -> int:
    """Publish the featured flights of ``days`` to ``features/flights/date=D/``; returns rows."""
    frame = featured_days(days)
    dates = flight_dates(frame)
    for day in sorted(set(days)):
        rows = frame[dates == day][FEATURE_FILE_COLUMNS]
        put_frame(client, bucket, partition_key("flights", day, "features"), rows)
    log.info("published features of %d flights over %d days", len(frame), len(set(days)))
    return len(frame)


def predictions_frame(
    features: pd.DataFrame, probability: np.ndarray, version: str
) -> pd.DataFrame:
    """The flights' keys, their probability and the model version that made it."""
    out = features[KEY_COLUMNS].copy()
    out["probability"] = np.asarray(probability, dtype="float64")
    out["model_version"] = version
    return out.reset_index(drop=True)


def write_predictions(client: Any, bucket: str, predictions: pd.DataFrame) -> list[str]:
    """One partition per flight date under ``predictions/flights/``; returns the keys."""
    dates = flight_dates(predictions)
    keys = []
    for day in sorted(set(dates)):
        key = partition_key("flights", day, "predictions")
        put_frame(client, bucket, key, predictions[dates == day])
        keys.append(key)
    return keys


def score_days(
    client: Any,
    bucket: str,
    days: list[dt.date],
    pipeline: Pipeline,
    version: str,
    engine: Engine = "pandas",
    spark: Any = None,
) -> ScoreResult:
    """Read the features of ``days`` from the bucket, score them with ``engine`` and write the
    predictions back. ``spark`` is a session (:func:`~week10_cloud.spark_scoring.spark_session`)
    for ``engine="spark"``. A Spark run reports its parity with pandas (max difference)."""
    start = time.perf_counter()
    features = read_days(client, bucket, "flights", days, "features")
    expected = predict_proba(pipeline, features[FEATURES])
    parity: float | None = None
    if engine == "spark":
        from week10_cloud.spark_scoring import model_payload, score_frame_spark

        if spark is None:
            raise ValueError("engine='spark' needs a Spark session")
        probability = score_frame_spark(spark, features, model_payload(pipeline))
        parity = float(np.max(np.abs(probability - expected))) if len(features) else 0.0
        if parity > PARITY_TOLERANCE:
            raise RuntimeError(f"spark and pandas differ by {parity:.2e} > {PARITY_TOLERANCE:g}")
    elif engine == "pandas":
        probability = expected
    else:
        raise ValueError(f"engine must be 'pandas' or 'spark', got {engine!r}")
    keys = write_predictions(client, bucket, predictions_frame(features, probability, version))
    seconds = time.perf_counter() - start
    log.info(
        "scored %d flights of %d days with %s in %.1f s", len(features), len(days), engine, seconds
    )
    return ScoreResult(engine, len(days), len(features), keys, seconds, parity)
