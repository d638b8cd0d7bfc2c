"""A small hyper-parameter search, logged as child runs of one parent run, and the pick of the
best candidate by a *validation* metric.

    parent = run_search(split, config, param_grid(max_depth=[3, 5], learning_rate=[0.1, 0.3]))
    best = find_best_child(parent.run_id, experiment_id)      # a row of mlflow.search_runs

The MLflow UI shows the children folded under the parent; ``search_runs`` finds them with the
tag MLflow sets on every nested run, ``tags.mlflow.parentRunId``. The best run is chosen on the
validation window: choosing on the test window would make the test score the number we tuned,
and it would no longer tell us how the model does on flights it has never seen.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace

import pandas as pd

from week03_ml.models import XGBParams
from week03_ml.split import Split
from week03_ml.train import TrainConfig
from week06_mlflow.tracking import TrackedRun, attach_model, config_params, train_and_track

log = logging.getLogger(__name__)

#: The metric the search optimises: ROC-AUC on the validation window.
SELECTION_METRIC = "valid_roc_auc"


def param_grid(base: XGBParams | None = None, **choices: Sequence[object]) -> list[XGBParams]:
    """Every combination of ``choices`` (field name -> values) on top of ``base``.

    >>> len(param_grid(max_depth=[3, 5], learning_rate=[0.1, 0.3]))
    4

    Raises ``ValueError`` naming a field that ``XGBParams`` does not have.
    """
    base = base or XGBParams()
    known = {f.name for f in fields(XGBParams)}
    unknown = sorted(set(choices) - known)
    if unknown:
        raise ValueError(f"XGBParams has no field {unknown}; fields are {sorted(known)}")
    names = list(choices)
    return [
        replace(base, **dict(zip(names, values, strict=True)))  # type: ignore[arg-type]
        for values in itertools.product(*(choices[n] for n in names))
    ]


def best_run(runs: pd.DataFrame, metric: str = SELECTION_METRIC) -> pd.Series:
    """The row of ``runs`` (a ``mlflow.search_runs`` frame) with the highest ``metric``
    (exercise 4).

    Only finished runs (``status == "FINISHED"``) with a value for ``metrics.<metric>`` count;
    on a tie the first such row wins (``search_runs`` lists the newest first). Raises
    ``ValueError`` when ``metric`` is a test metric (``test_...``: never select on the test
    window), when ``runs`` has no ``metrics.<metric>`` column, or when no run qualifies; each
    message names ``metric``.
    """
    if metric.startswith("test"):
        raise ValueError(
            f"metric must be a validation metric, got {metric!r}: choosing on the "
            "test window makes the test score optimistic"
        )
    column = f"metrics.{metric}"
    if column not in runs.columns:
        raise ValueError(
            f"runs have no column {column!r}; metrics logged: "
            f"{sorted(c for c in runs.columns if c.startswith('metrics.'))}"
        )
    candidates = runs[(runs["status"] == "FINISHED") & runs[column].notna()]
    if candidates.empty:
        raise ValueError(f"no finished run has a value for {metric!r} among {len(runs)} runs")
    # argmax returns the first of equal maxima: on a tie the first row (the newest run) wins
    return candidates.iloc[int(candidates[column].to_numpy().argmax())]


def child_runs(
    parent_run_id: str, experiment_id: str, metric: str = SELECTION_METRIC
) -> pd.DataFrame:
    """The child runs of ``parent_run_id``, best ``metric`` first (``mlflow.search_runs``)."""
    import mlflow

    runs = mlflow.search_runs(
        experiment_ids=[experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{parent_run_id}'",
        order_by=[f"metrics.{metric} DESC"],
        output_format="pandas",
    )
    assert isinstance(runs, pd.DataFrame)  # output_format="pandas"
    return runs


def find_best_child(
    parent_run_id: str, experiment_id: str, metric: str = SELECTION_METRIC
) -> pd.Series:
    """The best child run of a search by the validation ``metric`` (see :func:`best_run`)."""
    return best_run(child_runs(parent_run_id, experiment_id, metric), metric)


@dataclass(frozen=True)
class SearchResult:
    """A finished search: the parent run, its children (in grid order) and the best child's
    run id and model URI."""

    run_id: str
    children: list[TrackedRun]
    best_run_id: str
    best_model_uri: str


def run_search(
    split: Split,
    config: TrainConfig,
    grid: Sequence[XGBParams],
    *,
    experiment_id: str | None = None,
    run_name: str = "xgboost-search",
    metric: str = SELECTION_METRIC,
    all_models: bool = False,
    on_candidate: Callable[[int, TrackedRun], None] | None = None,
) -> SearchResult:
    """Train one XGBoost per entry of ``grid`` on ``split``, each logged as a child run of one
    parent run; the parent records the grid, the best child and its score.

    Only the best child gets its model logged (``all_models=True``: every child), chosen with
    ``search_runs`` by the validation ``metric``. ``on_candidate(i, run)`` is called after each
    candidate (a progress bar's hook).
    """
    import mlflow

    if not grid:
        raise ValueError("grid must hold at least one XGBParams, got an empty grid")
    children: list[TrackedRun] = []
    with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as parent:
        mlflow.log_params(
            {
                k: v
                for k, v in config_params(config).items()
                if not k.startswith(("xgboost.", "logreg."))
            }
        )
        mlflow.log_params({"candidates": len(grid), "selection_metric": metric})
        for i, params in enumerate(grid):
            candidate = replace(config, models=("xgboost",), xgboost=params)
            child = train_and_track(
                split,
                candidate,
                model="xgboost",
                experiment_id=experiment_id,
                run_name=f"candidate-{i:02d}",
                nested=True,
                plots=False,
                with_model=all_models,
            )
            children.append(child)
            if on_candidate is not None:
                on_candidate(i, child)
        experiment = experiment_id or parent.info.experiment_id
        best = find_best_child(parent.info.run_id, experiment, metric)
        best_value = float(best[f"metrics.{metric}"])
        mlflow.set_tags({"best_run_id": str(best["run_id"]), "search": "grid"})
        if not math.isnan(best_value):
            mlflow.log_metric(f"best_{metric}", best_value)
        position = next(i for i, c in enumerate(children) if c.run_id == best["run_id"])
        best_child = children[position]
        model_uri = best_child.model_uri
        if model_uri is None:
            assert best_child.result is not None  # train_and_track always returns it
            model_uri = attach_model(
                best_child.run_id,
                best_child.result,
                split,
                replace(config, models=("xgboost",), xgboost=grid[position]),
            )
    log.info(
        "search %s: best child %s with %s %.4f",
        parent.info.run_id,
        best_child.run_id,
        metric,
        best_value,
    )
    return SearchResult(parent.info.run_id, children, best_child.run_id, model_uri)
