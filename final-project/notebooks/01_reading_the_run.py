# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Reading a production run: what happened, and was retraining worth it?
#
# `uv run capstone simulate` ran production from September to December 2013 and wrote
# `results.json`. This lab reads the committed run (`final-project/results/`), replays its
# decisions, recomputes the headline number with your `recovered_share`, and shows why the watch
# after a promotion compares the two models flight by flight.
#
# `USE_MY_CODE = True` runs the lesson on your own `exercises/` code instead of the reference.
# Point `RUN` at your own run's folder to read it instead.

# %%
# %load_ext autoreload
# %autoreload 2
USE_MY_CODE = False  # True: run this lesson on your own exercises/ code

import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import load_solution
from course.paths import REPO_ROOT

policy = load_solution("final-project", "policy", exercises=USE_MY_CODE)
RUN = REPO_ROOT / "final-project" / "results"
results = json.loads((RUN / "results.json").read_text())
print(results["command"], "-", results["days"], "days,", f"{results['flights_served']:,} flights")

# %% [markdown]
# ## 1. What production decided
#
# Every decision has its day and its reason: the first champion, each retrain (and whether the
# challenger was admitted to a test), each A/B test's end, each watch after a promotion.

# %%
display(pd.DataFrame(results["decisions"])[["day", "kind", "version", "decision", "reason"]])

# %% [markdown]
# ## 2. The months, against never retraining
#
# The static champion is the first model, never replaced: what "doing nothing" would have
# served. The policy's numbers are what production actually served.

# %%
months = pd.DataFrame(results["months"])
fig, axis = plt.subplots(figsize=(8, 3))
axis.plot(months["month"], months["policy_auc"], "o-", label="retraining policy")
axis.plot(months["month"], months["static_auc"], "s--", label="never retrained")
axis.axhline(results["first_champion"]["valid_auc"], color="grey", ls=":", label="validation")
axis.set(xlabel="month of 2013", ylabel="ROC-AUC")
axis.legend()
display(months[["month", "flights", "observed", "policy_auc", "static_auc", "auc_gain"]].round(4))

# %% [markdown]
# The champion lost ROC-AUC between its validation months and production. How much of that did
# the policy win back? Your `recovered_share` gives the report's headline.

# %%
summary, first = results["summary"], results["first_champion"]
share = policy.recovered_share(first["valid_auc"], summary["static_auc"], summary["policy_auc"])
print(
    f"validation {first['valid_auc']:.4f}, never retrained {summary['static_auc']:.4f}, "
    f"policy {summary['policy_auc']:.4f}: {share:.1%} of the loss recovered"
)

# %% [markdown]
# ## 3. Why the watch compares flight by flight
#
# Some evenings are hard for every model (a storm, a ground stop): the loss of one flight
# varies far more from flight to flight than between two models. Comparing two means side by
# side keeps that spread; comparing each flight with itself cancels it. Below, a new champion
# is 0.02 worse on every flight, hidden in a shared spread of 2.0.

# %%
rng = np.random.default_rng(0)
old = 0.4 + 2.0 * rng.standard_normal(3000)
new = old + 0.02 + 0.05 * rng.standard_normal(3000)
paired = policy.should_roll_back(new, old, min_flights=1000)
unpaired_se = np.sqrt(new.var(ddof=1) / len(new) + old.var(ddof=1) / len(old))
print("paired:  ", paired.reason)
print(f"unpaired: difference {new.mean() - old.mean():+.4f}, standard error {unpaired_se:.4f}")

# %% [markdown]
# The paired standard error is about forty times smaller: the same flights, judged against
# themselves, show a difference the two averages cannot.
#
# ## Your turn
#
# - Run `uv run capstone simulate --fast --from 2013-09-01 --to 2013-10-15 --out my-run` and
#   point `RUN` at `Path("my-run")`: which decisions changed with the shorter models?
# - Change the drift trigger's level in `Plan.policy` (`week13_retrain.triggers.TriggerRules`)
#   and run again: how many retrains, and did the months move?
