"""When does Spark pay off? Score the same data 1x, 4x, 16x with pandas and with Spark.

The data is week03's featured year (or one month), written once as Parquet; ``k`` copies of
that file in one folder make the ``k``x dataset, read by both engines from local disk (no
bucket in the timing: the network would dominate both). Each engine reads, scores every row
and reduces the probabilities to one sum (so nothing is skipped and nothing large comes back).

* pandas: one process, week03's pipeline ``predict_proba`` (XGBoost on 2 threads);
* Spark: ``mapInPandas`` with the broadcast booster on ``settings.spark_master``, one task per
  file; the session's start-up (JVM, ~10 s) is timed apart, as a cluster would already run.

Timings are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from week03_ml.features import FEATURES
from week03_ml.models import predict_proba
from week10_cloud.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BenchRow:
    """One size, both engines."""

    factor: int
    rows: int
    pandas_seconds: float
    spark_seconds: float

    @property
    def pandas_rate(self) -> float:
        return self.rows / self.pandas_seconds

    @property
    def spark_rate(self) -> float:
        return self.rows / self.spark_seconds


def prepare(folder: Path, features: pd.DataFrame, factors: list[int]) -> dict[int, Path]:
    """``{factor: folder}`` with ``factor`` copies of ``features[FEATURES]`` as Parquet."""
    from week10_cloud.spark_scoring import ROW_ID, strings_or_none

    folder.mkdir(parents=True, exist_ok=True)
    base = folder / "base.parquet"
    frame = features[FEATURES].copy()
    for column in frame.select_dtypes("object").columns:
        frame[column] = strings_or_none(frame[column])
    frame.insert(0, ROW_ID, np.arange(len(frame), dtype="int64"))
    frame.to_parquet(base, index=False)
    out = {}
    for factor in factors:
        target = folder / f"x{factor}"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        for i in range(factor):
            shutil.copyfile(base, target / f"part-{i:03d}.parquet")
        out[factor] = target
    return out


def time_pandas(pipeline: Any, folder: Path) -> tuple[int, float]:
    """``(rows, seconds)`` of reading ``folder`` and scoring it in this process."""
    start = time.perf_counter()
    total, rows = 0.0, 0
    for path in sorted(folder.glob("*.parquet")):  # one file at a time: memory stays flat
        frame = pd.read_parquet(path)
        for column in frame.select_dtypes("object").columns:
            frame[column] = frame[column].where(frame[column].notna(), np.nan)
        total += float(predict_proba(pipeline, frame[FEATURES]).sum())
        rows += len(frame)
    return rows, time.perf_counter() - start


def time_spark(spark: Any, payload: Any, folder: Path) -> tuple[int, float]:
    """``(rows, seconds)`` of reading ``folder`` and scoring it with Spark."""
    from pyspark.sql import functions as F

    from week10_cloud.spark_scoring import PROBABILITY, score_spark

    start = time.perf_counter()
    frame = spark.read.parquet(str(folder))
    result = score_spark(spark, frame, payload).agg(
        F.count("*").alias("n"), F.sum(PROBABILITY).alias("s")
    )
    n = int(result.collect()[0]["n"])
    return n, time.perf_counter() - start


def run_bench(
    factors: list[int],
    settings: Settings,
    month: str | None = None,
    spark: Any = None,
    console: Console | None = None,
) -> list[BenchRow]:
    """Time both engines on each of ``factors``; print a table as it goes."""
    from week10_cloud.scoring import days_of, featured_days, load_pipeline
    from week10_cloud.spark_scoring import model_payload, spark_session

    console = console or Console()
    pipeline, _ = load_pipeline(settings.model_uri)
    days = days_of(month=month) if month else days_of(year="2013")
    folders = prepare(settings.data_dir / "bench", featured_days(days), factors)
    own = spark is None
    if own:
        start = time.perf_counter()
        spark = spark_session(settings.spark_master, "week10-bench")
        console.print(
            f"Spark session on {settings.spark_master}: {time.perf_counter() - start:.1f} s"
        )
    payload = model_payload(pipeline)
    time_spark(spark, payload, folders[factors[0]])  # warm-up: JIT, Python workers
    rows = []
    table = Table("copies", "rows", "pandas rows/s", "spark rows/s", "faster")
    try:
        for factor in factors:
            n, pandas_s = time_pandas(pipeline, folders[factor])
            m, spark_s = time_spark(spark, payload, folders[factor])
            if m != n:
                raise RuntimeError(f"spark read {m} rows, pandas {n}")
            row = BenchRow(factor, n, pandas_s, spark_s)
            rows.append(row)
            table.add_row(
                f"{factor}x",
                f"{n:,}",
                f"{row.pandas_rate:,.0f}",
                f"{row.spark_rate:,.0f}",
                "spark" if spark_s < pandas_s else "pandas",
            )
            log.info("%dx: %d rows, pandas %.1f s, spark %.1f s", factor, n, pandas_s, spark_s)
    finally:
        if own:
            spark.stop()
    console.print(table)
    return rows


def markdown_table(rows: list[BenchRow]) -> str:
    """The README's table."""
    lines = [
        "| copies | rows | pandas s | pandas rows/s | Spark s | Spark rows/s | faster |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.factor}x | {r.rows:,} | {r.pandas_seconds:.1f} | {r.pandas_rate:,.0f} | "
            f"{r.spark_seconds:.1f} | {r.spark_rate:,.0f} | "
            f"{'Spark' if r.spark_seconds < r.pandas_seconds else 'pandas'} |"
        )
    return "\n".join(lines)
