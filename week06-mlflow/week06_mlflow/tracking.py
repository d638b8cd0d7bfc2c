"""Tracking one training run of week 3's model: what went in, what came out, where it came from.

A run records

* **parameters**: every field of week 3's :class:`~week03_ml.train.TrainConfig`, flattened
  (``xgboost.max_depth``, ``valid_start``, ...): :func:`config_params`;
* **metrics**: the threshold and validation AUC, the test window's scores and each test month's
  scores, also as a curve (step = month): :func:`score_metrics`, :func:`month_metrics`;
* **tags**: the model, the data windows and the code version (git commit): :func:`run_tags`;
* **artifacts**: ROC / PR / monthly-AUC plots and week 3's ``metadata.json``;
* **the model**, with a signature (:func:`build_signature`) and an input example.

``mlflow.sklearn.log_model`` infers the pip requirements in a subprocess by default (~15 s a
model here); :func:`pip_requirements` lists them instead, pinned to the versions installed.
MLflow is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import logging
import math
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.pipeline import Pipeline

from week01_data.target import TARGET
from week03_ml.artifact import (
    LIBRARIES,
    METADATA_FILE,
    build_metadata,
    pinned_requirement,
    trusted_types,
)
from week03_ml.models import ModelName, predict_proba
from week03_ml.split import Split
from week03_ml.train import ModelResult, TrainConfig, metadata_for, train_one, window_of

if TYPE_CHECKING:
    from mlflow.models import ModelSignature
    from mlflow.models.model import ModelInfo

log = logging.getLogger(__name__)

#: Where the model goes inside a run (``runs:/<run_id>/model``).
MODEL_NAME_IN_RUN = "model"
#: The scores of week 3's ``holdout_scores`` that are measured on the *test* window.
TEST_SCORES = ("roc_auc", "pr_auc", "precision", "recall", "f1")


def config_params(config: TrainConfig) -> dict[str, str | int | float | bool]:
    """Every field of ``config`` as a flat dict of MLflow parameters (exercise 1).

    Nested hyper-parameters are prefixed with their section (``"xgboost.max_depth": 5``,
    ``"logreg.C": 1.0``); plain fields keep their name (``"valid_start": "2013-07-01"``).
    Tuples become one comma-joined string (``"models": "baseline,logreg,xgboost"``) and the
    number of features is added as ``"n_features"``. Values stay ``str``/``int``/``float``/
    ``bool``: MLflow stores them as text, so a search compares ``params.xgboost.max_depth = '5'``.
    """
    params: dict[str, str | int | float | bool] = {}
    for key, value in asdict(config).items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                params[f"{key}.{inner}"] = inner_value
        elif isinstance(value, list | tuple):
            params[key] = ",".join(str(v) for v in value)
        else:
            params[key] = value
    params["n_features"] = len(config.features)
    return params


def score_metrics(scores: Mapping[str, float]) -> dict[str, float]:
    """Week 3's scores (:class:`~week03_ml.train.ModelResult` ``.scores``) as MLflow metric
    names (exercise 2).

    The test window's scores get a ``test_`` prefix (``roc_auc`` -> ``test_roc_auc``) so that
    nobody mistakes them for the validation scores; ``threshold`` and ``valid_roc_auc`` keep
    their names; any other key also keeps its name. NaN scores (a window with one class) are
    left out. Values are plain floats.
    """
    metrics: dict[str, float] = {}
    for key, value in scores.items():
        number = float(value)
        if math.isnan(number):
            continue
        name = f"test_{key}" if key in TEST_SCORES else key
        metrics[name] = number
    return metrics


def month_metrics(by_month: pd.DataFrame) -> dict[str, float]:
    """Each test month's scores (week 3's ``metrics_by_month`` table) as flat metrics
    (exercise 2): ``test_roc_auc_m04``, ``test_pr_auc_m04``, ``test_delay_rate_m04``,
    ``test_flights_m04`` for April. The month has two digits so the names sort in time order;
    NaN scores are left out."""
    metrics: dict[str, float] = {}
    for record in by_month.to_dict(orient="records"):
        month = int(record["month"])
        for column in ("roc_auc", "pr_auc", "delay_rate", "flights"):
            value = float(record[column])
            if not math.isnan(value):
                metrics[f"test_{column}_m{month:02d}"] = value
    return metrics


def build_signature(X: pd.DataFrame, proba: ArrayLike) -> ModelSignature:
    """The model's signature: its input columns and its output (exercise 3).

    Inputs: one column per column of ``X``, in order, all *optional* (any weather reading or
    plane detail can be missing at serving time): ``string`` for text columns and ``double``
    for every number, integers included, because a missing integer arrives as NaN, a float,
    and an ``long`` column would refuse it. Output: one 1-D ``float64`` array, the delay
    probability (``proba`` are predictions on ``X``, used for the output type).
    """
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema, TensorSpec

    columns: list[ColSpec | TensorSpec] = [
        ColSpec(
            "string" if not pd.api.types.is_numeric_dtype(X[c]) else "double",
            str(c),
            required=False,
        )
        for c in X.columns
    ]
    output = np.asarray(proba, dtype="float64")
    if output.ndim != 1:
        raise ValueError(f"proba must be 1-D (the delay probability), got shape {output.shape}")
    return ModelSignature(
        inputs=Schema(columns), outputs=Schema([TensorSpec(np.dtype("float64"), (-1,))])
    )


def git_commit(folder: Path | None = None) -> str | None:
    """The current git commit of ``folder`` (default: this file's), or ``None`` outside git."""
    where = folder or Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit or None


def run_tags(model: str, split: Split, commit: str | None = None) -> dict[str, str]:
    """Tags that say where a run came from: the model, the three data windows (first..last
    flight date), their sizes and the code version (``"unknown"`` outside git)."""
    tags = {"model": model, "code_version": commit or "unknown"}
    for name in ("train", "valid", "test"):
        frame = getattr(split, name)
        first, last = window_of(frame)
        tags[f"data.{name}_window"] = f"{first}..{last}"
        tags[f"data.{name}_rows"] = str(len(frame))
    return tags


def pip_requirements() -> list[str]:
    """What a fresh environment needs to load the model, pinned to the installed versions, so
    ``log_model`` does not infer them (~15 s a model, or the whole workspace's ``uv export``).
    Our own ``week03_ml`` (its ``LeakageGuard``) is not on PyPI: install this repository, or
    see ``code_paths`` in MLflow's docs."""
    return [pinned_requirement(name) for name in LIBRARIES]


def log_model(
    pipeline: Pipeline, metadata: dict[str, Any], X: pd.DataFrame, *, with_example: bool = True
) -> ModelInfo:
    """Log ``pipeline`` into the active run under ``model/``: skops format (no pickle) with its
    trusted types, a signature built on ``X``, five rows of ``X`` as input example (unless
    ``with_example`` is False), pinned pip requirements and week 3's metadata (readable with
    ``mlflow.models.get_model_info``)."""
    import mlflow.sklearn

    sample = X.head(200)
    proba = predict_proba(pipeline, sample)
    return mlflow.sklearn.log_model(
        pipeline,
        name=MODEL_NAME_IN_RUN,
        signature=build_signature(X, proba),
        input_example=X.head(5) if with_example else None,
        pip_requirements=pip_requirements(),
        serialization_format="skops",
        skops_trusted_types=trusted_types(pipeline),
        metadata=metadata,
    )


def log_plots(result: ModelResult, split: Split) -> None:
    """ROC, precision-recall and monthly ROC-AUC plots of the test window, as run artifacts
    under ``plots/``. Uses matplotlib's ``Figure`` directly: no pyplot state, no window."""
    import mlflow
    from matplotlib.figure import Figure

    from week03_ml.plots import plot_monthly_auc, plot_pr, plot_roc

    curves: dict[str, Any] = {result.name: (split.test[TARGET].astype(int), result.p_test)}
    for name, draw, size in (("roc", plot_roc, (4.5, 4)), ("pr", plot_pr, (4.5, 4))):
        figure = Figure(figsize=size)
        draw(curves, ax=figure.subplots())
        mlflow.log_figure(figure, f"plots/{name}.png")
    figure = Figure(figsize=(7, 3.5))
    plot_monthly_auc({result.name: result.by_month}, ax=figure.subplots())
    mlflow.log_figure(figure, "plots/monthly_auc.png")


@dataclass(frozen=True)
class TrackedRun:
    """A logged run: its id, where its model is (``runs:/...`` URI, ``None`` if not logged)
    and week 3's result (the fitted pipeline and its scores)."""

    run_id: str
    model_uri: str | None
    result: ModelResult | None


def log_training(
    result: ModelResult,
    split: Split,
    config: TrainConfig,
    *,
    with_model: bool = True,
    plots: bool = True,
) -> str | None:
    """Log everything about ``result`` into the *active* run; returns the model URI (or
    ``None`` when ``with_model`` is False)."""
    import mlflow

    mlflow.log_params(config_params(config))
    mlflow.set_tags(run_tags(result.name, split, git_commit()))
    mlflow.log_metrics({**score_metrics(result.scores), **month_metrics(result.by_month)})
    for month, auc in zip(result.by_month["month"], result.by_month["roc_auc"], strict=True):
        # the same numbers as a curve: the run page draws test AUC against the month
        if not math.isnan(float(auc)):
            mlflow.log_metric("test_roc_auc_by_month", float(auc), step=int(month))
    metadata = model_metadata(result, split, config)
    mlflow.log_dict(metadata, METADATA_FILE)
    if plots:
        log_plots(result, split)
    if not with_model:
        return None
    X = split.train[list(metadata["features"])]
    info = log_model(result.pipeline, metadata, X)
    return str(info.model_uri)


def model_metadata(result: ModelResult, split: Split, config: TrainConfig) -> dict[str, Any]:
    """Week 3's ``metadata.json`` content for ``result`` (features, threshold, windows...)."""
    return build_metadata(**metadata_for(result, split, config))


def attach_model(run_id: str, result: ModelResult, split: Split, config: TrainConfig) -> str:
    """Log ``result``'s model into the finished run ``run_id`` (reopened, then closed again):
    a search logs only its winner's model. Returns the model URI. (MLflow refuses to reopen a
    run of another experiment than the one ``mlflow.set_experiment`` made active.)"""
    import mlflow

    metadata = model_metadata(result, split, config)
    with mlflow.start_run(run_id=run_id, nested=mlflow.active_run() is not None):
        info = log_model(result.pipeline, metadata, split.train[list(metadata["features"])])
    return str(info.model_uri)


def train_and_track(
    split: Split,
    config: TrainConfig,
    *,
    model: ModelName = "xgboost",
    experiment_id: str | None = None,
    run_name: str | None = None,
    nested: bool = False,
    with_model: bool = True,
    plots: bool = True,
) -> TrackedRun:
    """Fit week 3's ``model`` on ``split`` with ``config`` (its threshold chosen on validation)
    and log the whole run; returns the run id, the model URI and week 3's result."""
    import mlflow

    with mlflow.start_run(experiment_id=experiment_id, run_name=run_name, nested=nested) as run:
        result = train_one(split, model, config)
        model_uri = log_training(result, split, config, with_model=with_model, plots=plots)
    log.info("run %s: %s valid AUC %.3f", run.info.run_id, model, result.scores["valid_roc_auc"])
    return TrackedRun(run.info.run_id, model_uri, result)


def log_saved_model(
    folder: Path,
    example: pd.DataFrame | None = None,
    *,
    experiment_id: str | None = None,
    run_name: str | None = None,
) -> TrackedRun:
    """Log a model folder written by week 3's ``save_model`` (``model.skops`` +
    ``metadata.json``) as a run with its model, so a model trained outside MLflow can be
    registered too. Parameters and metrics come from the metadata; ``example`` (rows with the
    model's features) gives the signature and input example; without it the signature comes
    from the metadata's dtypes and no example is logged."""
    import mlflow

    from week03_ml.artifact import load_model

    pipeline, metadata = load_model(folder)
    features = list(metadata["features"])
    X = (
        example[features]
        if example is not None
        else _example_frame(features, metadata.get("dtypes", {}))
    )
    with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as run:
        mlflow.log_params(
            {f"{metadata['model']}.{k}": v for k, v in metadata.get("params", {}).items()}
        )
        mlflow.log_metrics(score_metrics(metadata.get("metrics", {})))
        mlflow.set_tags(
            {
                "model": str(metadata["model"]),
                "source_folder": str(folder),
                "code_version": git_commit() or "unknown",
                "data.train_window": "..".join(metadata["training_window"]),
            }
        )
        mlflow.log_dict(metadata, METADATA_FILE)
        info = log_model(pipeline, metadata, X, with_example=example is not None)
    return TrackedRun(run.info.run_id, str(info.model_uri), None)


def _example_frame(features: Sequence[str], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """One row per feature with the metadata's dtype: ``"x"`` for text, 0.0 for numbers
    (only its column types matter: it shapes the signature)."""
    text = ("object", "string", "str", "category")
    return pd.DataFrame([{c: ("x" if dtypes.get(c, "float64") in text else 0.0) for c in features}])
