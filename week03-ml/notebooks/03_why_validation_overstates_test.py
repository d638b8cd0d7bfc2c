# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.16.0
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 — Why the validation score overstates the test score: seasonal drift
#
# Every model in this week scores higher on July-August (validation) than on
# September-December (test). Nothing leaked: the world changed. This lab shows how, and why
# the "naive" XGBoost on week 1's columns lost to a logistic regression before the past-only
# features were added.
#
# **Run it on your own code:** set `USE_MY_CODE = True` to use your `exercises/` files
# (`split.py`, `evaluate.py`) instead of the reference.

# %%
USE_MY_CODE = False

# %load_ext autoreload
# %autoreload 2
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import load_solution
from week01_data.target import TARGET, labelled
from week03_ml.features import BASIC_FEATURES, CATEGORICAL, FEATURES
from week03_ml.models import XGBParams, fit_model, make_xgboost, predict_proba
from week03_ml.plots import plot_monthly_auc
from week03_ml.train import load_flights

split = load_solution("week03", "split", exercises=USE_MY_CODE)
evaluate = load_solution("week03", "evaluate", exercises=USE_MY_CODE)

flights = labelled(load_flights())
parts = split.split_by_time(flights)

# %% [markdown]
# ## The seasons are different worlds

# %%
monthly = flights.groupby("month")[TARGET].mean()
colors = ["tab:blue"] * 6 + ["tab:orange"] * 2 + ["tab:green"] * 4
ax = monthly.plot.bar(color=colors, figsize=(8, 3), title="Delay rate by month "
                      "(blue: train, orange: validation, green: test)")
ax.set_ylabel("share delayed > 15 min")
plt.tight_layout()

# %% [markdown]
# July and December are the worst months of the year, September-November the calmest: the
# validation window (27.6 % delayed) is far stormier than the test window (19.9 %).

# %% [markdown]
# ## Two XGBoost models, scored month by month
#
# The naive one uses week 1's 17 columns, `month` included; the full one uses this week's
# features (no `month`, past-only rates, recent weather). Both see the same 30,000 training
# flights of January-June, with fewer, larger boosting steps than the CLI uses (a fast lab),
# and are scored on 40,000 flights drawn from July-December.

# %%
train = parts.train.sample(30_000, random_state=0)
later = pd.concat([parts.valid.sample(14_000, random_state=0),
                   parts.test.sample(26_000, random_state=0)])
n_valid = 14_000
fast = XGBParams(n_estimators=150, learning_rate=0.1, n_jobs=1)  # one thread: a shared machine
basic_cat = [c for c in BASIC_FEATURES if c in CATEGORICAL]
basic_num = [c for c in BASIC_FEATURES if c not in CATEGORICAL]
models = {
    "naive (17 columns)": (fit_model(make_xgboost(fast, basic_cat, basic_num),
                                     train[BASIC_FEATURES], train[TARGET]), BASIC_FEATURES),
    "full features": (fit_model(make_xgboost(fast), train[FEATURES], train[TARGET]), FEATURES),
}
scores = {name: predict_proba(model, later[columns]) for name, (model, columns) in models.items()}
by_month = {name: evaluate.metrics_by_month(later["month"], later[TARGET], p)
            for name, p in scores.items()}
summary = pd.DataFrame({
    name: {"valid_roc_auc": evaluate.ranking_scores(later[TARGET][:n_valid],
                                                    p[:n_valid])["roc_auc"],
           "test_roc_auc": evaluate.ranking_scores(later[TARGET][n_valid:],
                                                   p[n_valid:])["roc_auc"]}
    for name, p in scores.items()
}).T
summary["drop"] = summary["valid_roc_auc"] - summary["test_roc_auc"]
display(summary.round(3))

# %%
ax = plot_monthly_auc(by_month)
ax.axvspan(8.5, 12.5, color="tab:green", alpha=0.08)
_ = ax.set_ylim(0.6, 0.8)

# %% [markdown]
# Both models lose AUC between the summer and the autumn, and the naive one loses about twice
# as much: its validation score promises what its test score does not keep.

# %% [markdown]
# ## What `month` does to a tree trained on January-June
#
# Trees cannot extrapolate: every month after June falls in the same leaf as June. For the
# naive model, a calm October flight looks like a stormy June flight.

# %%
mean_predicted = later.assign(predicted=scores["naive (17 columns)"]).groupby("month").agg(
    observed=(TARGET, "mean"), predicted=("predicted", "mean"))
ax = mean_predicted.plot(marker="o", figsize=(7, 3), title="Naive XGBoost: mean predicted "
                         "vs observed delay rate")
ax.set_ylabel("delay rate")
display(mean_predicted.round(3).T)

# %% [markdown]
# The naive model keeps predicting roughly the first half's delay rate: far too many delays
# for September-November, too few for December. Its *ranking*
# suffers too, because what separated late from on-time flights in June (thunderstorms) is
# not what separates them in November.
#
# ## What helps, and what does not
#
# - **Features that carry the current state** (yesterday's delay rate at the airport, the
#   carrier's last four weeks, the rain of the last hours) follow the season by themselves:
#   they are computed from recent days, so they drift with the world.
# - **Dropping `month`** removes a feature whose test values the model has never seen.
# - **Validation closer to test** (e.g. validate on August only) or **retraining monthly**
#   (week 13) shrink the gap; no amount of tuning on July removes it.
#
# ## Your turn
#
# 1. Move the windows (`split.split_by_time(flights, "2013-08-01", "2013-10-01")`) and rerun:
#    does the validation-test gap shrink when validation sits closer to test?
# 2. Add `"month"` back to the full model's features: what happens to October's AUC?
