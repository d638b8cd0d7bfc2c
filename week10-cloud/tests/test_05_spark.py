"""Exercise 5: what each Spark executor runs, and Spark's parity with pandas."""

from __future__ import annotations

import datetime as dt
import json
import math
import pickle

import numpy as np
import pandas as pd
import pytest

from week03_ml.features import FEATURES
from week03_ml.models import predict_proba
from week10_cloud.spark_scoring import ModelPayload

PICKLE_MARK = b"\x80"  # every pickle of protocol >= 2 starts with this byte
#: The first check of a run trains week05's demo model (~4 s on a quiet machine, both cores):
#: a budget of its own, generous for a busy one, instead of the grader's per-check time-out.
BUDGET = 60


@pytest.fixture(scope="module")
def payload(pipeline) -> ModelPayload:
    from week10_cloud.spark_scoring import model_payload

    return model_payload(pipeline)


@pytest.mark.exercise("model_payload")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(2)
@pytest.mark.hint(
    "the booster must be bytes (not a bytearray, not a pickle) in XGBoost's own UBJSON format"
)
def test_payload_is_the_boosters_own_bytes(spark_scoring, pipeline):
    import xgboost

    payload = spark_scoring.model_payload(pipeline)
    assert type(payload.booster) is bytes, (
        f"booster must be bytes, got {type(payload.booster).__name__}"
    )
    assert not payload.booster.startswith(PICKLE_MARK), (
        "the booster is a pickle: it breaks on another Python or XGBoost; use save_raw('ubj')"
    )
    assert payload.booster.startswith(b"{"), "UBJSON (save_raw('ubj')) starts with '{'"
    fresh = xgboost.Booster()
    fresh.load_model(bytearray(payload.booster))
    assert fresh.num_boosted_rounds() == 40, "the demo model has 40 trees"


@pytest.mark.exercise("model_payload")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(2)
@pytest.mark.hint(
    "columns must be a tuple of the model's inputs and maps plain {str: float} dicts: take "
    "them from week05's reading of the pipeline, do not rebuild them"
)
def test_payload_layout_is_plain_and_complete(spark_scoring, pipeline):
    payload = spark_scoring.model_payload(pipeline)
    assert isinstance(payload.columns, tuple) and sorted(payload.columns) == sorted(FEATURES), (
        f"columns: the model's {len(FEATURES)} inputs as a tuple, got {payload.columns!r}"
    )
    assert set(payload.maps) == {"carrier", "origin", "dest", "plane_engine"}
    json.dumps(payload.maps)  # plain strings and floats: no numpy, no objects
    assert payload.maps["origin"] == {"EWR": 0.0, "JFK": 1.0, "LGA": 2.0}


@pytest.mark.exercise("score_batch")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(3)
@pytest.mark.hint(
    "the probabilities differ from the pipeline's: encode with week05's FastModel from the "
    "payload, do not write your own encoding"
)
def test_score_batch_equals_the_pipeline(spark_scoring, payload, pipeline, scoring_flights):
    batch = scoring_flights.sample(frac=1.0, random_state=0).head(2000)  # shuffled: no order luck
    got = spark_scoring.score_batch(batch, payload)
    expected = predict_proba(pipeline, batch[FEATURES])
    assert isinstance(got, np.ndarray) and got.shape == (len(batch),), "one probability per row"
    worst = float(np.max(np.abs(got - expected)))
    assert worst < 1e-6, f"score_batch differs from the pipeline by up to {worst:.2e}"


@pytest.mark.exercise("score_batch")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(1)
@pytest.mark.hint("Arrow hands executors None for a missing string, and new carriers appear")
def test_score_batch_handles_none_and_unknown(spark_scoring, payload, pipeline, scoring_flights):
    batch = scoring_flights.head(50).copy()
    batch["carrier"] = batch["carrier"].astype(object)
    batch.loc[batch.index[:10], "carrier"] = None
    batch.loc[batch.index[10:20], "carrier"] = "ZZ"
    got = spark_scoring.score_batch(batch, payload)
    reference = batch.copy()
    reference.loc[reference.index[:20], "carrier"] = np.nan
    expected = predict_proba(pipeline, reference[FEATURES])
    assert float(np.max(np.abs(got - expected))) < 1e-6


@pytest.mark.exercise("score_batch")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(1)
@pytest.mark.hint("a missing input column must raise KeyError naming it, before any scoring")
def test_score_batch_names_a_missing_column(spark_scoring, payload, scoring_flights):
    with pytest.raises(KeyError, match="past_rate_route"):
        spark_scoring.score_batch(scoring_flights.drop(columns="past_rate_route").head(5), payload)


@pytest.mark.exercise("score_batch")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(1)
@pytest.mark.hint(
    "extra columns (the flight's keys) are ignored; the columns' order is the payload's"
)
def test_score_batch_reads_columns_by_name(spark_scoring, payload, pipeline, scoring_flights):
    batch = scoring_flights.head(200)
    shuffled = batch[list(reversed(batch.columns))]
    assert np.allclose(
        spark_scoring.score_batch(shuffled, payload),
        predict_proba(pipeline, batch[FEATURES]),
        atol=1e-6,
    )


def test_payload_survives_a_round_trip_without_model_classes(payload):
    """What Spark broadcasts: bytes, strings and floats; unpickling needs no sklearn class."""
    plain = {"booster": payload.booster, "columns": payload.columns, "maps": payload.maps}
    blob = pickle.dumps(plain)
    assert b"sklearn" not in blob and b"xgboost" not in blob, "no model class in the broadcast"


# --- Spark itself (slow: one session for the run) -----------------------------------------------


@pytest.mark.slow
def test_spark_gives_the_pandas_probabilities(spark, payload, pipeline, scoring_flights):
    from week10_cloud.spark_scoring import score_frame_spark

    got = score_frame_spark(spark, scoring_flights, payload)
    expected = predict_proba(pipeline, scoring_flights[FEATURES])
    worst = float(np.max(np.abs(got - expected)))
    print(f"parity on {len(got):,} flights: max |spark - pandas| = {worst:.2e}")
    assert worst < 1e-6


@pytest.mark.slow
def test_scoring_a_week_writes_one_partition_a_day(spark, s3, pipeline, flights, monkeypatch):
    from week10_cloud import scoring
    from week10_cloud.storage import list_keys, read_days

    days = [dt.date(2013, 1, d) for d in range(22, 29)]
    monkeypatch.setattr(
        scoring,
        "featured_days",
        lambda wanted: flights[scoring.flight_dates(flights).isin(set(wanted))].reset_index(
            drop=True
        ),
    )
    scoring.publish_features(s3.client, s3.name, days)
    result = scoring.score_days(s3.client, s3.name, days, pipeline, "demo", "spark", spark)
    assert result.parity is not None and result.parity < 1e-6
    assert list_keys(s3.client, s3.name, "predictions/") == result.keys
    assert (
        len(result.keys) == 7
        and result.keys[0] == "predictions/flights/date=2013-01-22/part-0.parquet"
    )
    written = read_days(s3.client, s3.name, "flights", days, "predictions")
    assert len(written) == result.rows and written["probability"].between(0, 1).all()
    assert set(written["model_version"]) == {"demo"}


@pytest.mark.slow
def test_the_benchmark_runs_small(spark, pipeline, flights, tmp_path, monkeypatch):
    from week10_cloud import bench, scoring
    from week10_cloud.settings import Settings

    monkeypatch.setattr(scoring, "featured_days", lambda wanted: flights.head(3000))
    monkeypatch.setattr(scoring, "load_pipeline", lambda uri: (pipeline, "demo"))
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    rows = bench.run_bench([1, 2], settings, month="2013-01", spark=spark)
    assert [r.rows for r in rows] == [3000, 6000]
    table = bench.markdown_table(rows)
    assert table.count("\n") == 3 and "| 2x | 6,000 |" in table


def test_periods_are_parsed():
    from week10_cloud.scoring import days_of

    assert days_of(day="2013-09-01") == [dt.date(2013, 9, 1)]
    assert len(days_of(month="2013-02")) == 28 and len(days_of(year="2013")) == 365
    with pytest.raises(ValueError, match="exactly one"):
        days_of(day="2013-09-01", month="2013-09")
    with pytest.raises(ValueError, match="2013-13"):
        days_of(month="2013-13")


def test_predictions_frame_keeps_keys_and_version(scoring_flights):
    from week10_cloud.scoring import KEY_COLUMNS, predictions_frame

    frame = predictions_frame(scoring_flights.head(3), np.array([0.1, 0.5, math.nan]), "7")
    assert list(frame.columns) == [*KEY_COLUMNS, "probability", "model_version"]
    assert isinstance(frame, pd.DataFrame) and set(frame["model_version"]) == {"7"}
