"""Training and comparing the models on a time split: the week's whole experiment in one call.

    flights = load_flights()                    # week 1's joined table + this week's features
    results = train_and_evaluate(flights)       # baseline, logreg, xgboost
    comparison_table(results)                   # the README's table

Every model is fitted on the training window only; its threshold is chosen on the validation
window; its scores are measured on the test window, overall and month by month.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

import course.data as data
from course.paths import cache_dir
from week01_data.dataset import build_dataset
from week01_data.target import TARGET, labelled
from week01_data.validate import quarantine, weather_schema
from week03_ml.evaluate import holdout_scores, metrics_by_month, ranking_scores
from week03_ml.features import (
    BASIC_FEATURES,
    CATEGORICAL,
    FEATURES,
    build_features,
    check_no_leakage,
    dtypes_of,
)
from week03_ml.models import (
    MODEL_NAMES,
    LogRegParams,
    ModelName,
    XGBParams,
    fit_model,
    make_model,
    predict_proba,
)
from week03_ml.split import TEST_START, VALID_START, Split, flight_date, split_by_time

log = logging.getLogger(__name__)

#: Named feature sets: ``basic`` is week 1's 17 columns, ``full`` adds the past-only rates.
FEATURE_SETS: dict[str, list[str]] = {"basic": BASIC_FEATURES, "full": FEATURES}


@dataclass(frozen=True)
class TrainConfig:
    """One experiment: where the windows start, which features, which models, their
    hyper-parameters."""

    valid_start: str = VALID_START
    test_start: str = TEST_START
    features: tuple[str, ...] = tuple(FEATURES)
    models: tuple[ModelName, ...] = MODEL_NAMES
    logreg: LogRegParams = field(default_factory=LogRegParams)
    xgboost: XGBParams = field(default_factory=XGBParams)

    def params_of(self, model: ModelName) -> dict[str, object]:
        """The hyper-parameters of ``model`` as a plain dict (empty for the baseline)."""
        if model == "logreg":
            return asdict(self.logreg)
        if model == "xgboost":
            return asdict(self.xgboost)
        return {}


@dataclass
class ModelResult:
    """A fitted model and how it scored."""

    name: ModelName
    pipeline: Pipeline
    scores: dict[str, float]  # threshold, test roc_auc/pr_auc/precision/recall/f1, valid_roc_auc
    by_month: pd.DataFrame  # test months, from metrics_by_month
    p_valid: np.ndarray
    p_test: np.ndarray


def load_flights(
    months: Sequence[int] | None = None,
    *,
    days: Iterable[int] | None = None,
    cache: bool = True,
) -> pd.DataFrame:
    """Week 1's joined table with this week's features; every flight of ``months`` (default:
    the whole year), only ``days`` of each month when given; unlabelled ones included (they are
    dropped later, after the aggregates). Later weeks use small windows (``months=[1],
    days=range(1, 29)``) to train a model in seconds.

    The whole year takes a few seconds to build, so it is kept as Parquet in the course's cache
    folder, under a name that changes whenever the code that builds it changes (the source of
    week 1's modules, :mod:`week03_ml.features` and :mod:`course.data`). ``cache=False``
    always rebuilds; a subset is never cached.
    """
    path = cache_dir() / "week03" / f"flights-features-{_code_version()}.parquet"
    whole_year = months is None and days is None
    if whole_year and cache and path.exists():
        cached = pd.read_parquet(path)
        for column in cached.select_dtypes("object").columns:
            # Parquet gives missing strings back as None; the encoders expect NaN, as built
            cached[column] = cached[column].where(cached[column].notna(), np.nan)
        return cached
    raw = None
    if not whole_year:
        chosen = list(months) if months is not None else list(range(1, 13))
        raw = data.flights_slice(chosen, days=None if days is None else list(days))
    weather, _ = quarantine(data.load_table("weather"), weather_schema())
    flights = build_features(build_dataset(raw).flights, weather)
    if whole_year and cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        flights.to_parquet(tmp)
        tmp.replace(path)  # atomic: a reader never sees half a file
        log.info("cached the featured flights at %s", path)
    return flights


def _code_version() -> str:
    """A short hash of the source files that decide what :func:`load_flights` returns."""
    import week01_data.clean
    import week01_data.dataset
    import week01_data.join
    import week01_data.target
    import week01_data.validate
    import week03_ml.features

    modules = [
        week01_data.clean,
        week01_data.dataset,
        week01_data.join,
        week01_data.target,
        week01_data.validate,
        week03_ml.features,
        data,
    ]
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(inspect.getfile(module)).read_bytes())
    return digest.hexdigest()[:12]


def split_labelled(flights: pd.DataFrame, config: TrainConfig) -> Split:
    """The labelled flights (known ``is_delayed``) split by time."""
    return split_by_time(labelled(flights), config.valid_start, config.test_start)


def window_of(frame: pd.DataFrame) -> tuple[str, str]:
    """First and last flight date of ``frame`` as ISO strings (``("", "")`` when empty)."""
    if frame.empty:
        return ("", "")
    dates = flight_date(frame)
    return (dates.min().date().isoformat(), dates.max().date().isoformat())


def _columns(config: TrainConfig) -> tuple[list[str], list[str]]:
    check_no_leakage(config.features)
    categorical = [c for c in config.features if c in CATEGORICAL]
    numeric = [c for c in config.features if c not in CATEGORICAL]
    return categorical, numeric


def train_one(split: Split, name: ModelName, config: TrainConfig) -> ModelResult:
    """Fit model ``name`` on the training window and score it (see the module docstring)."""
    categorical, numeric = _columns(config)
    columns = [*categorical, *numeric]
    params = config.logreg if name == "logreg" else config.xgboost
    pipeline = make_model(name, params, categorical, numeric)
    fit_model(pipeline, split.train[columns], split.train[TARGET])
    p_valid = predict_proba(pipeline, split.valid[columns])
    p_test = predict_proba(pipeline, split.test[columns])
    y_valid, y_test = split.valid[TARGET], split.test[TARGET]
    scores = holdout_scores(y_valid, p_valid, y_test, p_test)
    scores["valid_roc_auc"] = ranking_scores(y_valid, p_valid)["roc_auc"]
    by_month = metrics_by_month(split.test["month"], y_test, p_test)
    log.info("%s: valid AUC %.3f, test AUC %.3f", name, scores["valid_roc_auc"], scores["roc_auc"])
    return ModelResult(name, pipeline, scores, by_month, p_valid, p_test)


def train_and_evaluate(
    flights: pd.DataFrame,
    config: TrainConfig | None = None,
    on_model: Callable[[str], None] | None = None,
) -> list[ModelResult]:
    """Fit and score every model of ``config`` on ``flights`` (from :func:`load_flights`).

    ``on_model(name)`` is called after each model is done (a progress bar's hook).
    """
    config = config or TrainConfig()
    split = split_labelled(flights, config)
    if split.train.empty or split.valid.empty or split.test.empty:
        raise ValueError(
            f"every window needs flights, got {split.sizes()}: "
            "check valid_start / test_start against the months loaded"
        )
    results = []
    for name in config.models:
        results.append(train_one(split, name, config))
        if on_model is not None:
            on_model(name)
    return results


def comparison_table(results: Sequence[ModelResult]) -> pd.DataFrame:
    """One row per model: validation and test ROC-AUC, test PR-AUC, the threshold and test
    precision / recall / F1 at it."""
    columns = ["valid_roc_auc", "roc_auc", "pr_auc", "threshold", "precision", "recall", "f1"]
    rows = {r.name: {c: r.scores[c] for c in columns} for r in results}
    table = pd.DataFrame.from_dict(rows, orient="index")
    return table.rename(columns={"roc_auc": "test_roc_auc", "pr_auc": "test_pr_auc"})


def monthly_auc_table(results: Sequence[ModelResult]) -> pd.DataFrame:
    """Test ROC-AUC per month (rows) and model (columns)."""
    return pd.DataFrame({r.name: r.by_month.set_index("month")["roc_auc"] for r in results})


def metadata_for(result: ModelResult, split: Split, config: TrainConfig) -> dict[str, Any]:
    """The keyword arguments of :func:`week03_ml.artifact.build_metadata` for ``result``."""
    categorical, numeric = _columns(config)
    columns = [*categorical, *numeric]
    return {
        "model": result.name,
        "target": TARGET,
        "features": columns,
        "dtypes": dtypes_of(split.train[columns]),
        "threshold": result.scores["threshold"],
        "metrics": result.scores,
        "training_window": window_of(split.train),
        "validation_window": list(window_of(split.valid)),
        "test_window": list(window_of(split.test)),
        "metrics_by_month": result.by_month.to_dict(orient="records"),
        "params": config.params_of(result.name),
    }
