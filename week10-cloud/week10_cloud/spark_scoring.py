"""Batch scoring on Spark: the same probabilities as pandas, on as many machines as you have.

What each executor needs is small and plain: the booster's own bytes (XGBoost's UBJSON format,
:meth:`xgboost.Booster.save_raw`) and the encoder's layout (column order, ``category -> index``
maps, read from the pipeline by week05's :class:`~week05_ml_api.fastpath.FastModel`). That is
:class:`ModelPayload`, broadcast once to every executor.

Why not broadcast the fitted pipeline? Spark would pickle it, and a pickle of an sklearn
``Pipeline`` only loads where the same Python, scikit-learn and XGBoost versions are installed,
and it runs code while it loads. The booster's bytes are a documented format that any XGBoost
reads; the maps are strings and floats.

Each executor then runs :func:`score_batch` on its slices of the data (``mapInPandas``): encode
with week05's encoding (the one that equals the pipeline's to 1e-6), predict with the booster.
Features are week03's registry columns (:data:`week03_ml.features.FEATURES`), never recomputed
here.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from week05_ml_api.fastpath import FastModel

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

#: The column that carries each row's identity through Spark and back.
ROW_ID = "row_id"
#: The column of the delay probability in Spark's output.
PROBABILITY = "probability"


@dataclass(frozen=True)
class ModelPayload:
    """Everything an executor needs to score, in plain types: ``booster`` (XGBoost's UBJSON
    bytes), ``columns`` (the model's input columns, in order) and ``maps`` (``{column:
    {category: index}}`` for the categorical ones)."""

    booster: bytes
    columns: tuple[str, ...]
    maps: dict[str, dict[str, float]]


def model_payload(pipeline: Pipeline) -> ModelPayload:
    """The :class:`ModelPayload` of a week-3 XGBoost ``pipeline``.

    The layout (columns, maps) is week05's :meth:`FastModel.from_pipeline`; the booster is
    written with ``save_raw("ubj")`` and turned into ``bytes`` (XGBoost returns a bytearray).
    """
    fast = FastModel.from_pipeline(pipeline)
    raw = bytes(fast.booster.save_raw("ubj"))
    maps = {column: dict(categories) for column, categories in fast.maps.items()}
    return ModelPayload(raw, tuple(fast.columns), maps)


def score_batch(batch: pd.DataFrame, payload: ModelPayload) -> np.ndarray:
    """Delay probabilities (float64, one per row of ``batch``) with ``payload``'s model.

    Loads the booster from ``payload.booster`` (a fresh ``xgboost.Booster``, one thread: Spark
    already runs one task per core), encodes ``batch[payload.columns]`` with week05's
    :meth:`FastModel.encode_columns` (unknown or missing category -> NaN) and predicts. A
    column missing from ``batch`` raises ``KeyError`` naming it.
    """
    import xgboost

    missing = [c for c in payload.columns if c not in batch.columns]
    if missing:
        raise KeyError(f"batch lacks the model's input column(s) {missing}")
    booster = xgboost.Booster()
    booster.load_model(bytearray(payload.booster))
    booster.set_param({"nthread": 1})
    model = FastModel(payload.columns, payload.maps, booster)
    values: dict[str, Any] = {c: batch[c].to_numpy() for c in payload.columns}
    return model.predict_matrix(model.encode_columns(values, len(batch)))


def spark_session(master: str = "local[2]", app_name: str = "week10-scoring") -> SparkSession:
    """A Spark session on ``master``, quiet and local-friendly: no UI, the driver bound to
    127.0.0.1 (a laptop's hostname may not resolve), Arrow for pandas exchange, few shuffle
    partitions, executors on this very Python (the venv that has week05 and XGBoost)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.session.timeZone", "UTC")
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    log.info("spark %s on %s", spark.version, master)
    return spark


def _scorer(broadcast: Any) -> Any:
    """The ``mapInPandas`` function: one payload per task, every batch of the task scored."""

    def score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        payload = ModelPayload(**broadcast.value)
        for batch in batches:
            yield pd.DataFrame(
                {ROW_ID: batch[ROW_ID].to_numpy(), PROBABILITY: score_batch(batch, payload)}
            )

    return score


def score_spark(spark: SparkSession, features: DataFrame, payload: ModelPayload) -> DataFrame:
    """``(row_id, probability)`` for every row of the Spark DataFrame ``features`` (which has
    :data:`ROW_ID` and the model's input columns). Lazy: nothing runs until it is collected or
    written. The payload is broadcast as plain types (bytes, strings, floats), never a model
    object."""
    plain = {"booster": payload.booster, "columns": payload.columns, "maps": payload.maps}
    broadcast = spark.sparkContext.broadcast(plain)
    schema = f"{ROW_ID} long, {PROBABILITY} double"
    return features.select(ROW_ID, *payload.columns).mapInPandas(_scorer(broadcast), schema)


def strings_or_none(values: pd.Series) -> np.ndarray:
    """An object array of ``values`` with every missing value (NaN, None) as ``None``: what
    Arrow needs for a string column (pandas marks a missing string with a float NaN)."""
    out = values.to_numpy(dtype=object).copy()
    out[values.isna().to_numpy()] = None
    return out


def to_spark(spark: SparkSession, features: pd.DataFrame, columns: tuple[str, ...]) -> DataFrame:
    """The model's input ``columns`` of a pandas ``features`` frame as a Spark DataFrame, with
    :data:`ROW_ID` = the row's position. Categorical values become strings or null (Arrow
    needs one type per column; pandas keeps missing strings as a float NaN)."""
    frame = pd.DataFrame({ROW_ID: np.arange(len(features), dtype="int64")})
    for column in columns:
        values = features[column]
        if values.dtype == object:
            frame[column] = strings_or_none(values)
        else:
            frame[column] = values.to_numpy()
    return spark.createDataFrame(frame)


def score_frame_spark(
    spark: SparkSession, features: pd.DataFrame, payload: ModelPayload, partitions: int = 4
) -> np.ndarray:
    """Probabilities of every row of the pandas ``features``, computed by Spark, in row order
    (for the parity check and small jobs: the rows travel through the driver)."""
    frame = to_spark(spark, features, payload.columns).repartition(partitions)
    result = score_spark(spark, frame, payload).toPandas().sort_values(ROW_ID)
    if len(result) != len(features):
        raise RuntimeError(f"spark scored {len(result)} rows of {len(features)}")
    return result[PROBABILITY].to_numpy(dtype="float64")
