"""A small real model and real request rows, for the tests, the notebooks and the benchmark.

The lessons need *a* model of the course's shape in seconds, not week 3's in a minute:
:func:`train_demo_model` fits week 3's XGBoost pipeline on three real weeks with few trees and
saves it with week 3's ``save_model``, the folder the API serves in production.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from course.paths import cache_dir
from week01_data.target import TARGET, labelled
from week03_ml.artifact import FORMAT_VERSION, MODEL_FILE, build_metadata, save_model
from week03_ml.features import FEATURES, dtypes_of
from week03_ml.models import XGBParams, fit_model, make_xgboost, predict_proba
from week03_ml.train import load_flights, window_of

log = logging.getLogger(__name__)

#: Days of January 2013 the demo model sees: three weeks to train, the fourth to score.
TRAIN_DAYS = range(1, 22)
SCORE_DAYS = range(22, 29)
#: Bump when train_demo_model changes, so cached demo models are rebuilt.
DEMO_VERSION = 2


def demo_flights(days: range = range(1, 29), month: int = 1) -> pd.DataFrame:
    """Week 1's joined table with week 3's features for some real days (all three airports)."""
    return load_flights([month], days=days)


def train_demo_model(
    folder: Path, flights: pd.DataFrame | None = None, n_estimators: int = 40
) -> Path:
    """Fit week 3's XGBoost pipeline on 1-21 January and save it into ``folder`` (a few
    seconds); ``flights`` is :func:`demo_flights` (built when not given). The threshold is the
    training days' delay rate: a demo model needs *a* threshold, not a tuned one."""
    flights = labelled(demo_flights() if flights is None else flights)
    train = flights[flights["day"].isin(TRAIN_DAYS)]
    test = flights[flights["day"].isin(SCORE_DAYS)]
    # one thread: on a shared 2-core machine, two threads wait on each other more than they help
    params = replace(XGBParams(), n_estimators=n_estimators, min_child_weight=10.0, n_jobs=1)
    pipeline = fit_model(make_xgboost(params), train[FEATURES], train[TARGET])
    p_test = predict_proba(pipeline, test[FEATURES])
    from sklearn.metrics import roc_auc_score

    metadata = build_metadata(
        model="xgboost",
        target=TARGET,
        features=FEATURES,
        dtypes=dtypes_of(train[FEATURES]),
        threshold=float(train[TARGET].mean()),
        metrics={"roc_auc": float(roc_auc_score(test[TARGET], p_test))},
        training_window=window_of(train),
        test_window=list(window_of(test)),
        params={"n_estimators": n_estimators},
    )
    return save_model(pipeline, metadata, folder)


def demo_model(n_estimators: int = 40) -> Path:
    """The demo model's folder in the course's cache, trained on first use (a few seconds).
    It is written under a temporary name and renamed, so two processes training at once never
    leave a half-written model behind."""
    name = f"demo-model-{n_estimators}-trees-v{DEMO_VERSION}-format{FORMAT_VERSION}"
    folder = cache_dir() / "week05" / name
    if (folder / MODEL_FILE).exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".demo-", dir=folder.parent))
    train_demo_model(tmp / "model", n_estimators=n_estimators)
    try:
        (tmp / "model").rename(folder)
    except OSError:  # another process won the race: its model is as good as ours
        log.info("demo model already written by another process")
    shutil.rmtree(tmp, ignore_errors=True)
    return folder


def scoring_flights(flights: pd.DataFrame) -> pd.DataFrame:
    """The flights of the days the demo model never saw (22-28 January): "production traffic"."""
    return flights[flights["day"].isin(SCORE_DAYS)].reset_index(drop=True)


def request_rows(flights: pd.DataFrame, n: int | None = None) -> list[dict[str, Any]]:
    """The first ``n`` (default: all) flights as API request bodies: the model's features as
    Python values, a missing one ``None`` (JSON null)."""
    frame = flights[FEATURES] if n is None else flights[FEATURES].head(n)
    cells = frame.astype(object).where(frame.notna(), None)  # type: ignore[call-overload]
    return cells.to_dict(orient="records")  # (pandas' stubs do not allow None as `other`)
