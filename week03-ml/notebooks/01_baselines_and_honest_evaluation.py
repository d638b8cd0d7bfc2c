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
# # 01 — Baselines and honest evaluation
#
# **The question:** at scheduled departure, will this flight arrive more than 15 minutes late?
# Before any clever model, we need a measurement we can trust. This lab builds one:
# a split by *time*, a baseline that any model must beat, a threshold chosen on validation
# only, and a first logistic regression.
#
# **Run it on your own code:** the graded modules are loaded with `load_solution`. With
# `USE_MY_CODE = False` the lesson uses the reference solution; set it to `True` and the same
# cells run on your `exercises/` files (`split.py`, `features.py`, `evaluate.py`).

# %%
USE_MY_CODE = False

# %load_ext autoreload
# %autoreload 2
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import load_solution
from week01_data.target import TARGET, labelled
from week03_ml.features import BASIC_FEATURES, CATEGORICAL
from week03_ml.models import (
    XGBParams,
    fit_model,
    make_baseline,
    make_logreg,
    make_xgboost,
    predict_proba,
)
from week03_ml.plots import plot_calibration, plot_pr, plot_roc
from week03_ml.train import load_flights

split = load_solution("week03", "split", exercises=USE_MY_CODE)
features = load_solution("week03", "features", exercises=USE_MY_CODE)
evaluate = load_solution("week03", "evaluate", exercises=USE_MY_CODE)

# %% [markdown]
# ## The data, split by time
#
# `load_flights()` is week 1's joined table (flights + planes + weather, labelled) with this
# week's features added. We keep only flights whose label is known and split them by date:
# train on January-June, choose things on July-August, and touch September-December once, at
# the end.

# %%
flights = labelled(load_flights())
parts = split.split_by_time(flights)
sizes = pd.Series(parts.sizes())
rates = pd.Series({name: getattr(parts, name)[TARGET].mean() for name in sizes.index})
display(pd.DataFrame({"flights": sizes, "delay_rate": rates.round(3)}))

# %% [markdown]
# The windows are not alike: summer (validation) is the worst season for delays and autumn
# (test) the calmest. Every score below has to be read with that in mind.

# %% [markdown]
# ## A baseline: always say the average
#
# The majority model predicts the training delay rate for every flight. Its ROC-AUC is 0.5 by
# construction; its PR-AUC is the base rate. Any model must beat both.

# %%
basic_cat = [c for c in BASIC_FEATURES if c in CATEGORICAL]
basic_num = [c for c in BASIC_FEATURES if c not in CATEGORICAL]
# a 30,000-flight sample of the training window keeps this lab fast; the CLI uses all of it
train = parts.train.sample(30_000, random_state=0)
baseline = fit_model(make_baseline(), train[BASIC_FEATURES], train[TARGET])
logreg = fit_model(make_logreg(categorical=basic_cat, numeric=basic_num),
                   train[BASIC_FEATURES], train[TARGET])

scores = {}
for name, model in {"baseline": baseline, "logreg": logreg}.items():
    p_valid = predict_proba(model, parts.valid[BASIC_FEATURES])
    p_test = predict_proba(model, parts.test[BASIC_FEATURES])
    scores[name] = evaluate.holdout_scores(parts.valid[TARGET], p_valid,
                                           parts.test[TARGET], p_test)
display(pd.DataFrame(scores).T.round(3))

# %% [markdown]
# The logistic regression on week 1's 17 columns ranks delays clearly better than chance
# (test ROC-AUC about 0.70), and its F1 at the validation threshold beats the baseline's
# "everything is delayed" F1.

# %% [markdown]
# ## What a random split would have told us
#
# A random split mixes July into training and January into testing: flights of the same
# stormy afternoon land on both sides, and a flexible model (XGBoost here, on the same 17
# columns and 30,000 training flights) learns *that afternoon* rather than delays. We train
# it twice: on a random split and on the time split.

# %%
def xgb_test_auc(train_rows: pd.DataFrame, test_rows: pd.DataFrame) -> float:
    # one thread: on a busy shared machine XGBoost's two threads wait on each other
    model = fit_model(make_xgboost(XGBParams(n_jobs=1), basic_cat, basic_num),
                      train_rows[BASIC_FEATURES], train_rows[TARGET])
    p = predict_proba(model, test_rows[BASIC_FEATURES])
    return evaluate.ranking_scores(test_rows[TARGET], p)["roc_auc"]


shuffled = flights.sample(50_000, random_state=1)
random_auc = xgb_test_auc(shuffled.iloc[:30_000], shuffled.iloc[30_000:])
time_auc = xgb_test_auc(train, parts.test.sample(20_000, random_state=1))
print(f"XGBoost ROC-AUC: random split {random_auc:.3f}  vs  time split (test) {time_auc:.3f}")

# %% [markdown]
# The random split promises far more than the model delivers on later months: the honest
# number is the time split's.

# %% [markdown]
# ## The threshold: chosen on validation, never on test
#
# Choosing the threshold on the test window and reporting the test F1 is a quiet form of
# cheating: the reported F1 is the best of many tries on the very data it claims to predict.

# %%
p_valid = predict_proba(logreg, parts.valid[BASIC_FEATURES])
p_test = predict_proba(logreg, parts.test[BASIC_FEATURES])
honest = evaluate.choose_threshold(parts.valid[TARGET], p_valid)
cheat = evaluate.choose_threshold(parts.test[TARGET], p_test)
print(f"threshold from validation {honest:.3f}: test F1 "
      f"{evaluate.scores_at(parts.test[TARGET], p_test, honest)['f1']:.3f}")
print(f"threshold from test       {cheat:.3f}: test F1 "
      f"{evaluate.scores_at(parts.test[TARGET], p_test, cheat)['f1']:.3f}  (not reproducible)")

# %% [markdown]
# The gap is the optimism of tuning on the test set; the honest number is the first one.

# %% [markdown]
# ## Curves: ranking, precision-recall, calibration

# %%
curves = {"baseline": (parts.test[TARGET], predict_proba(baseline, parts.test[BASIC_FEATURES])),
          "logreg": (parts.test[TARGET], p_test)}
fig, axes = plt.subplots(1, 3, figsize=(14, 4))
plot_roc(curves, axes[0])
plot_pr(curves, axes[1])
plot_calibration(curves, axes[2])
fig.tight_layout()

# %% [markdown]
# Calibration shows the drift: trained on a stormy first half, the model predicts more delays
# than the calm autumn delivers (its points sit below the diagonal).

# %% [markdown]
# ## Leakage: a perfect model that cannot exist
#
# `dep_delay` is only known once the plane has left. A model that sees it looks superb, and
# is useless at scheduled departure. The guard refuses it by name.

# %%
try:
    fit_model(make_logreg(categorical=basic_cat, numeric=[*basic_num, "dep_delay"]),
              train[[*BASIC_FEATURES, "dep_delay"]], train[TARGET])
except ValueError as error:
    print(f"refused: {error}")

# %% [markdown]
# The refusal names the column, so the fix is obvious: drop it from the inputs.
#
# ## Your turn
#
# 1. Implement `split_by_time`, `check_no_leakage`, `choose_threshold`, `holdout_scores` in
#    `exercises/`, set `USE_MY_CODE = True`, and rerun this notebook.
# 2. Move the validation window to September-October (`valid_start="2013-09-01"`,
#    `test_start="2013-11-01"`): how do the threshold and the test F1 change?
# 3. `uv run course grade week03` tells you what is left.
