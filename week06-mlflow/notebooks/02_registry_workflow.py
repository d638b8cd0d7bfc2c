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
# # The registry: champion, challenger, and a promotion that can say no
#
# A run says how a model was made. The **registry** says which model is *in use*: a named
# model (`flight-delay`) has numbered versions, and **aliases** point at them:
#
# * `champion`: the version production serves, loaded as `models:/flight-delay@champion`;
# * `challenger`: a candidate waiting for its comparison;
# * `previous`: the champion before the last promotion, so a rollback is one alias move.
#
# A challenger replaces the champion only if it is better **by a margin, on the same recent
# flights**: the "condition step" of a training pipeline. Every decision, refused ones
# included, is written on the version: who, when, both scores, why.

# %%
# %load_ext autoreload
# %autoreload 2

import logging
import shutil
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import load_solution

logging.getLogger("mlflow").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")

# Set to True to run the lesson on your own functions in week06-mlflow/exercises/
USE_MY_CODE = False
registry = load_solution("week06", "registry", exercises=USE_MY_CODE)

# %% [markdown]
# ## A temporary store and three candidate models
#
# The same small window as lesson 1. Three models of very different quality: week 3's
# baseline (it predicts the average delay rate: ROC-AUC 0.5), a tiny XGBoost (five stumps)
# and a larger one.

# %%
from mlflow import MlflowClient

from week03_ml.models import XGBParams
from week03_ml.train import TrainConfig, split_labelled
from week06_mlflow.data import load_flights
from week06_mlflow.settings import get_settings, new_local_store, use_store
from week06_mlflow.tracking import train_and_track

# A fixed folder under the system's temp dir, emptied at each run: you can open it in the UI
# afterwards, and runs never pile up.
folder = Path(tempfile.gettempdir()) / "week06-lesson2"
shutil.rmtree(folder, ignore_errors=True)
settings = get_settings(mlflow_tracking_uri=new_local_store(folder),
                        mlflow_artifact_root=folder / "artifacts",
                        mlflow_experiment_name="lesson-02")
experiment_id = use_store(settings)
flights = load_flights(months=[1, 2, 3, 4, 5], days=range(1, 8))


def config_with(**xgb: object) -> TrainConfig:
    params = XGBParams(n_estimators=20, max_depth=3, learning_rate=0.3, n_jobs=1)
    return TrainConfig(valid_start="2013-03-01", test_start="2013-04-01", models=("xgboost",),
                       xgboost=XGBParams(**{**params.__dict__, **xgb}))


split = split_labelled(flights, config_with())
runs = {
    "small xgboost": train_and_track(split, config_with(max_depth=1, n_estimators=5),
                                     experiment_id=experiment_id, plots=False),
    "baseline": train_and_track(split, config_with(), model="baseline",
                                experiment_id=experiment_id, plots=False),
    "larger xgboost": train_and_track(split, config_with(max_depth=3, n_estimators=40,
                                                         learning_rate=0.1),
                                      experiment_id=experiment_id, plots=False),
}
display(pd.Series({name: run.result.scores["valid_roc_auc"] for name, run in runs.items()},
          name="valid_roc_auc"))

# %% [markdown]
# ## The rule first (exercise 5)
#
# `promotion_decision` is plain arithmetic, so it is easy to test: promote when
# `challenger >= champion + margin`. A gain smaller than the margin is noise, and a swap has
# a cost (caches, dashboards, the risk of the unknown).

# %%
for champion, challenger in [(None, 0.60), (0.65, 0.66), (0.65, 0.652), (0.65, 0.60)]:
    decision = registry.promotion_decision(champion, challenger, margin=0.005)
    print(f"champion {champion}, challenger {challenger}: {decision.promote!s:5}  "
          f"{decision.reason}")

# %% [markdown]
# ## Register, compare, promote
#
# `register` makes the model a new version of `flight-delay` and points `challenger` at it;
# `promote` scores challenger and champion **on the same flights** (here the test window
# stands in for "last month's traffic"), applies the rule, moves the aliases (exercise 6)
# and writes the decision on the version.

# %%
from week06_mlflow.registry import describe, promote, register

name = settings.mlflow_model_name
recent = split.test
log = []
for label in ["small xgboost", "baseline", "larger xgboost"]:
    version = register(runs[label].model_uri, name)
    decision = promote(name, recent, who="lesson-02")
    log.append({"candidate": label, "version": version.version, "promoted": decision.promote,
                "reason": decision.reason})
display(pd.DataFrame(log))

# %% [markdown]
# The baseline was refused and the larger model promoted. The registry now reads:

# %%
display(describe(name))

# %% [markdown]
# Each decision is on the version it concerns, as tags (machine-readable) and in the
# description (human-readable): who decided, when, with which scores.

# %%
client = MlflowClient()
refused = client.get_model_version(name, "2")
print(refused.description)
display({k: v for k, v in refused.tags.items() if k.startswith("promotion.")})

# %% [markdown]
# ## What production loads
#
# `load_champion(name)` resolves `models:/flight-delay@champion` and returns week 3's model
# type, `Model` (pipeline, metadata, version), as `Model.load(folder)` does for a folder, with
# the registered name added. This is what week 5's API calls when it serves from the registry.
# Its predictions are the logged model's, to the last bit.

# %%
from week03_ml.artifact import Model
from week06_mlflow.registry import load_champion

champion = load_champion(name)
X = recent[champion.features]
same = np.allclose(champion.predict_proba(recent),
                   runs["larger xgboost"].result.pipeline.predict_proba(X)[:, 1])
print(f"champion {champion.name} v{champion.version} is the larger xgboost:", same,
      "| threshold:", round(champion.threshold, 3))

# %% [markdown]
# The three candidates on the comparison flights, with the margin the challenger had to clear:

# %%
from week06_mlflow.registry import score_on

scores = {
    label: score_on(Model(run.result.pipeline, champion.metadata, label), recent)
    for label, run in runs.items()
}
fig, ax = plt.subplots(figsize=(6, 2.8))
ax.barh(list(scores), list(scores.values()), color=["tab:blue", "tab:grey", "tab:green"])
ax.axvline(scores["small xgboost"] + 0.005, color="black", linestyle=":",
           label="first champion + margin")
ax.set(xlim=(0.45, 0.7), xlabel="ROC-AUC on the comparison flights")
ax.legend(loc="lower right")
fig.tight_layout()

# %% [markdown]
# ## Rollback is one alias move
#
# Something goes wrong with the new champion at 3 a.m. The previous champion is one alias
# away; no retraining, no file copying, and the history stays in the registry.

# %%
aliases = client.get_registered_model(name).aliases
print("before:", aliases)
client.set_registered_model_alias(name, "champion", str(aliases["previous"]))
print("after: ", client.get_registered_model(name).aliases)

# %% [markdown]
# ## Your turn
#
# * Fill in `promotion_decision` and `move_aliases` in `week06-mlflow/exercises/registry.py`,
#   set `USE_MY_CODE = True` and run again: the table above should not change.
# * Run the whole workflow from a terminal against the course's default store:
#   `uv run python -m week06_mlflow train --months 1,2,3,4,5 --days 1-7 --valid-start
#   2013-03-01 --test-start 2013-04-01 --n-estimators 20`, then `promote --months 4,5
#   --days 1-7`, then `show`.
# * Start a real server (`uv run mlflow server --host 127.0.0.1 --port 5000
#   --backend-store-uri sqlite:///server.db --artifacts-destination ./server-artifacts`),
#   `export MLFLOW_TRACKING_URI=http://127.0.0.1:5000` and run the same commands: open
#   *Models* in the UI and find the aliases and the promotion tags.
# * Which margin would you choose, and on how many flights? (Hint: week 3's notebook 03
#   shows how much ROC-AUC moves from one month to the next by chance.)
