"""Exercise 4: the best run of a search, chosen on the validation window, never on test.

The graded checks give your ``best_run`` a frame shaped like ``mlflow.search_runs`` output;
the reference checks run a real three-candidate search as child runs and query it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

RUNS = pd.DataFrame(
    {
        "run_id": ["a", "b", "c", "d", "e"],
        "status": ["FINISHED", "FINISHED", "FINISHED", "FAILED", "FINISHED"],
        # b is best on validation; c is best on test (tuning on test would pick it)
        "metrics.valid_roc_auc": [0.70, 0.74, 0.72, 0.99, np.nan],
        "metrics.test_roc_auc": [0.69, 0.70, 0.73, 0.50, 0.80],
        "tags.mlflow.parentRunId": ["p"] * 5,
    }
)


@pytest.mark.exercise("best_run")
@pytest.mark.points(2)
@pytest.mark.hint("the highest metrics.valid_roc_auc: idxmax on that column, not on test")
def test_picks_the_best_validation_score(search):
    best = search.best_run(RUNS)
    assert best["run_id"] == "b", (
        f"run b has the best validation ROC-AUC (0.74), got {best['run_id']}: "
        "c is only best on TEST, which must never choose"
    )


@pytest.mark.exercise("best_run")
@pytest.mark.points(1)
@pytest.mark.hint("only runs whose status is FINISHED and whose metric is not NaN count")
def test_ignores_failed_and_unmeasured_runs(search):
    best = search.best_run(RUNS)
    assert best["run_id"] != "d", "run d FAILED: its 0.99 is not a result"
    only = RUNS[RUNS["run_id"].isin(["d", "e", "a"])]
    assert search.best_run(only)["run_id"] == "a", "d failed and e has no score: a is the best"


@pytest.mark.exercise("best_run")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a metric whose name starts with 'test' is refused with a ValueError naming it, even when "
    "the frame has that column"
)
@pytest.mark.parametrize(
    "metric",
    [
        pytest.param("test_roc_auc", id="test-auc"),
        pytest.param("test_f1", id="test-f1"),
    ],
)
def test_refuses_to_select_on_test(search, metric):
    with pytest.raises(ValueError, match=metric):
        search.best_run(RUNS.assign(**{f"metrics.{metric}": 0.5}), metric)


@pytest.mark.exercise("best_run")
@pytest.mark.points(1)
@pytest.mark.hint("a metric nobody logged, or no qualifying run: ValueError, not a KeyError")
def test_clear_errors(search):
    with pytest.raises(ValueError, match="valid_pr_auc"):
        search.best_run(RUNS, "valid_pr_auc")
    with pytest.raises(ValueError, match="valid_roc_auc"):
        search.best_run(RUNS[RUNS["status"] == "FAILED"])


@pytest.mark.exercise("best_run")
@pytest.mark.points(1)
@pytest.mark.hint("on equal scores the FIRST qualifying row wins (search_runs lists newest first)")
def test_a_tie_goes_to_the_first_row(search):
    runs = pd.DataFrame(
        {
            "run_id": ["x", "new", "old", "older"],
            "status": ["FAILED", "FINISHED", "FINISHED", "FINISHED"],
            "metrics.valid_roc_auc": [0.80, 0.74, 0.74, 0.70],
        }
    )
    got = search.best_run(runs)["run_id"]
    assert got == "new", (
        f"'new' and 'old' tie at 0.74: the first of them in the frame (the newest run) wins, "
        f"got {got!r}"
    )


@pytest.mark.exercise("best_run")
@pytest.mark.points(1)
@pytest.mark.hint("idxmax gives an index LABEL: look it up with .loc (or use positions throughout)")
def test_works_on_any_index(search):
    runs = RUNS.set_axis([40, 30, 20, 10, 0]).iloc[::-1]
    best = search.best_run(runs)
    assert isinstance(best, pd.Series), f"return one row (a Series), got {type(best).__name__}"
    assert best["run_id"] == "b", (
        f"with index labels that are not positions, got run {best['run_id']!r} instead of b: "
        "did you mix an index label (idxmax) with a position (iloc)?"
    )
    assert best["metrics.test_roc_auc"] == 0.70, "return the whole row, every column of it"


def test_param_grid_is_every_combination():
    from week06_mlflow.search import param_grid

    grid = param_grid(max_depth=[3, 5], learning_rate=[0.1, 0.3, 0.5])
    assert len(grid) == 6
    assert {(p.max_depth, p.learning_rate) for p in grid} == {
        (d, r) for d in (3, 5) for r in (0.1, 0.3, 0.5)
    }
    with pytest.raises(ValueError, match="max_dept"):
        param_grid(max_dept=[3])


@pytest.mark.slow
def test_search_logs_children_under_one_parent(searched, local_store, experiment_id):
    import mlflow

    from week06_mlflow.search import child_runs

    children = child_runs(searched.run_id, experiment_id)
    assert len(children) == 3, f"expected 3 child runs, got {len(children)}"
    assert set(children["params.xgboost.max_depth"]) == {"1", "3", "5"}
    parent = mlflow.get_run(searched.run_id)
    assert parent.data.params["candidates"] == "3"
    assert parent.data.tags["best_run_id"] == searched.best_run_id
    best_valid = children["metrics.valid_roc_auc"].max()
    assert parent.data.metrics["best_valid_roc_auc"] == pytest.approx(best_valid)


@pytest.mark.slow
def test_best_child_is_best_on_validation(searched, local_store, experiment_id):
    from week06_mlflow.search import child_runs, find_best_child

    best = find_best_child(searched.run_id, experiment_id)
    children = child_runs(searched.run_id, experiment_id)
    assert best["run_id"] == searched.best_run_id
    assert best["metrics.valid_roc_auc"] == children["metrics.valid_roc_auc"].max()
    assert searched.best_model_uri.startswith("models:/")
