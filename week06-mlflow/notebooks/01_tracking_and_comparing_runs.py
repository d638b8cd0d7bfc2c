# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.16.4
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Which run made this model? Tracking and comparing runs
#
# In week 3 a model was a folder: `model.skops` and `metadata.json`. Three weeks and
# twenty experiments later, nobody remembers which parameters, which data window or which
# commit produced the file in production. **Experiment tracking** writes all of that down
# at the moment of training, in a store everybody can query.
#
# This lab:
# 1. logs one training run of week 3's XGBoost: parameters, metrics, tags, plots, the model;
# 2. reads it back, as a teammate (or the MLflow UI) would;
# 3. runs a small hyper-parameter search as *child runs* of one parent run;
# 4. compares the candidates and picks the best one **on validation, not on test**.
#
# Everything goes to a temporary store, so running this notebook never touches your own
# `mlruns.db`. To see the runs in the UI, point `mlflow ui` at the store printed below.

# %%
# %load_ext autoreload
# %autoreload 2

import logging
import shutil
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import load_solution

logging.getLogger("mlflow").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")

# Set to True to run the lesson on your own functions in week06-mlflow/exercises/
USE_MY_CODE = False
tracking = load_solution("week06", "tracking", exercises=USE_MY_CODE)
search = load_solution("week06", "search", exercises=USE_MY_CODE)

# %% [markdown]
# ## A store of our own
#
# MLflow writes runs to the store named by `MLFLOW_TRACKING_URI`. The course's default is a
# SQLite file in the current folder (`sqlite:///mlruns.db`) with files under `./mlartifacts`;
# here we make a fresh one in a temporary folder.

# %%
import mlflow

from week06_mlflow.settings import get_settings, new_local_store, use_store

# A fixed folder under the system's temp dir, emptied at each run: you can open it in the UI
# afterwards, and runs never pile up.
folder = Path(tempfile.gettempdir()) / "week06-lesson1"
shutil.rmtree(folder, ignore_errors=True)
settings = get_settings(mlflow_tracking_uri=new_local_store(folder),
                        mlflow_artifact_root=folder / "artifacts",
                        mlflow_experiment_name="lesson-01")
experiment_id = use_store(settings)
print("store:", settings.mlflow_tracking_uri)
print(f"look at it with:  uv run mlflow ui --backend-store-uri {settings.mlflow_tracking_uri}")

# %% [markdown]
# ## A small real data window
#
# The first week of January to May 2013: train on January-February, validate on March, test
# on April-May. Week 3's code, unchanged, does the split, the features and the threshold.

# %%
from week03_ml.models import XGBParams
from week03_ml.train import TrainConfig, split_labelled
from week06_mlflow.data import load_flights

flights = load_flights(months=[1, 2, 3, 4, 5], days=range(1, 8))
config = TrainConfig(valid_start="2013-03-01", test_start="2013-04-01", models=("xgboost",),
                     xgboost=XGBParams(n_estimators=20, max_depth=3, learning_rate=0.3,
                                       n_jobs=1))
split = split_labelled(flights, config)
display(split.sizes())

# %% [markdown]
# ## What a run records
#
# **Parameters** are the inputs we chose. A frozen dataclass flattens into dotted names, so
# a search later can ask for `params.xgboost.max_depth = '3'` (exercise 1):

# %%
params = tracking.config_params(config)
display(pd.Series(params).drop("features").to_frame("value").head(12))

# %% [markdown]
# **Metrics** are the outputs we measured. Week 3's scores mix windows: `valid_roc_auc` is
# measured on validation, `roc_auc` on test. The names make the window explicit (exercise 2):

# %%
example_scores = {"threshold": 0.2, "roc_auc": 0.66, "pr_auc": 0.3, "valid_roc_auc": 0.65}
display(tracking.score_metrics(example_scores))

# %% [markdown]
# The **signature** says which columns the model takes and what it returns. MLflow checks
# requests against it when the model is served. `infer_signature` would declare `dep_hour`
# a `long`, and then refuse a request where it is missing (NaN is a float); ours declares
# every number a `double` and every column optional (exercise 3):

# %%
X = split.train[list(config.features)]
signature = tracking.build_signature(X, [0.1] * len(X))
print(str(signature)[:400], "...")

# %% [markdown]
# ## One tracked run
#
# `train_and_track` fits week 3's model and logs everything in one run: parameters, metrics
# (overall and per test month), tags (data windows, git commit), three plots,
# `metadata.json`, and the model with its signature, an input example and pinned pip
# requirements (so `log_model` does not spend ~15 s guessing them).

# %%
from week06_mlflow.tracking import train_and_track

run = train_and_track(split, config, experiment_id=experiment_id, run_name="first-run")
stored = mlflow.get_run(run.run_id)
print("run id:", run.run_id)
print("model :", run.model_uri)
display(
    pd.Series({k: v for k, v in stored.data.metrics.items() if not k.endswith(("_m04", "_m05"))})
)

# %% [markdown]
# The tags answer "where did it come from?": the exact data windows and the code version.

# %%
display({k: v for k, v in stored.data.tags.items() if not k.startswith("mlflow.")})

# %% [markdown]
# ## A search as child runs
#
# Four candidates (two depths × two learning rates). Each is a *child* of one parent run, so
# the UI folds them under it and `search_runs` finds them by the tag
# `mlflow.parentRunId`. Only the winner's model is logged: the others are a few numbers each.

# %%
from week06_mlflow.search import child_runs, param_grid, run_search

grid = param_grid(config.xgboost, max_depth=[2, 4], learning_rate=[0.1, 0.3])
result = run_search(split, config, grid, experiment_id=experiment_id, run_name="search")
runs = child_runs(result.run_id, experiment_id)
columns = ["tags.mlflow.runName", "params.xgboost.max_depth", "params.xgboost.learning_rate",
           "metrics.valid_roc_auc", "metrics.test_roc_auc"]
display(runs[columns])

# %% [markdown]
# ## Compare the candidates
#
# Validation AUC (what we select on) against test AUC (what we report). If the two disagree
# about the order, choosing on test would have picked a different model and reported a
# score that was tuned, not measured.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
labels = [f"depth {d}, lr {r}" for d, r in zip(runs["params.xgboost.max_depth"],
                                                 runs["params.xgboost.learning_rate"],
                                                 strict=True)]
axes[0].barh(labels, runs["metrics.valid_roc_auc"], label="validation", alpha=0.8)
axes[0].barh(labels, runs["metrics.test_roc_auc"], label="test", alpha=0.5)
axes[0].set(xlim=(0.55, 0.72), xlabel="ROC-AUC", title="Each candidate")
axes[0].legend(loc="lower right")
axes[1].scatter(runs["metrics.valid_roc_auc"], runs["metrics.test_roc_auc"])
for label, x, y in zip(labels, runs["metrics.valid_roc_auc"], runs["metrics.test_roc_auc"],
                       strict=True):
    axes[1].annotate(label, (x, y), fontsize=8)
axes[1].set(xlabel="validation ROC-AUC", ylabel="test ROC-AUC", title="Validation vs test")
fig.tight_layout()

# %% [markdown]
# The best run by the validation metric (exercise 4). Asking for a test metric is refused:

# %%
best = search.best_run(runs)
print("best on validation:", best["tags.mlflow.runName"], round(best["metrics.valid_roc_auc"], 4))
try:
    search.best_run(runs, "test_roc_auc")
except ValueError as error:
    print("refused:", error)

# %% [markdown]
# ## Test AUC month by month
#
# The run logged `test_roc_auc_by_month` with the month as step: the UI draws it as a curve.
# The same history is one call away:

# %%
history = mlflow.MlflowClient().get_metric_history(run.run_id, "test_roc_auc_by_month")
display(
    pd.DataFrame({"month": [m.step for m in history], "test_roc_auc": [m.value for m in history]})
)

# %% [markdown]
# ## Your turn
#
# * Fill in `config_params`, `score_metrics`/`month_metrics`, `build_signature` and
#   `best_run` in `week06-mlflow/exercises/`, set `USE_MY_CODE = True`, run again.
# * Open the store in the UI: `uv run mlflow ui --backend-store-uri <the URI printed above>`,
#   then <http://127.0.0.1:5000>. Find the parent run `search` and unfold its children;
#   tick them all and press *Compare*: the parallel-coordinates plot shows which parameter
#   moves `valid_roc_auc`. Open `first-run`: *Artifacts* holds the plots, `metadata.json` and
#   `model/` (its `MLmodel` file shows the signature and the skops format).
# * Why does the search log only the winner's model? What would you lose, and gain, by
#   logging every candidate's (`run_search(..., all_models=True)`)?
