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
# # Is the challenger better on live traffic? An A/B test you can look at every day
#
# A challenger that beats the champion on a holdout has earned a trial, not a promotion. The
# trial is an A/B test: a share of the flights goes to the challenger, both arms are scored once
# the flights have landed, and a test decides. This lab plans the test's size, assigns flights to
# arms the way every worker agrees on, shows why a z-test looked at every day lies, and runs the
# sequential test (mSPRT) that does not.
#
# `USE_MY_CODE = True` runs the lesson on your own `exercises/` code instead of the reference.

# %%
# %load_ext autoreload
# %autoreload 2
USE_MY_CODE = False  # True: run this lesson on your own exercises/ code

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import load_solution
from week13_retrain.aa import simulate_aa

assign = load_solution("week13", "assign", exercises=USE_MY_CODE)
planning = load_solution("week13", "planning", exercises=USE_MY_CODE)
sequential = load_solution("week13", "sequential", exercises=USE_MY_CODE)

# %% [markdown]
# ## 1. Plan the size first
#
# How many flights does it take to see an improvement, with 80 % power at the 5 % level? It
# depends on the metric. An error rate moving from 19 % to 18 % is a small change of a noisy
# yes/no; a per-flight log loss uses every flight's probability, not only which side of the
# threshold it fell on.

# %%
plans = [
    planning.plan_test("error rate 19 % -> 18 %", planning.proportion_effect(0.19, 0.18), share=s)
    for s in (0.5, 0.2)
] + [planning.plan_test("log loss -0.01 (sd 0.5)", 0.01 / 0.5, share=s) for s in (0.5, 0.2)]
display(pd.DataFrame([p.__dict__ for p in plans]).round({"effect": 3, "days": 1}))

# %% [markdown]
# Tens of thousands of flights per arm, weeks of traffic: an A/B test on this model is a
# commitment of months, which is why it is planned before it starts, not stopped when it looks
# good. The smaller the share sent to the challenger, the longer it takes.

# %%
effects = np.linspace(0.01, 0.06, 26)
fig, ax = plt.subplots(figsize=(6, 3.5))
for share in (0.5, 0.2):
    days = [planning.plan_test("log loss", float(e), share=share).days for e in effects]
    ax.plot(effects, days, label=f"challenger share {share:.0%}")
ax.set(xlabel="effect (difference / standard deviation)", ylabel="days of traffic", yscale="log")
ax.legend()
ax.set_title("Smaller effects need many more days")
fig.tight_layout()

# %% [markdown]
# ## 2. Assign arms the same way everywhere
#
# Each flight's arm is a salted SHA-256 of its id, so every worker, every run and the later
# analysis agree. Raising the share only moves flights to the challenger.

# %%
flights = [f"2013-09-14/UA/{n}/EWR" for n in range(1, 2001)]
at_10 = [assign.assign_arm(f, 0.10, "exp-1") for f in flights]
at_20 = [assign.assign_arm(f, 0.20, "exp-1") for f in flights]
moved_back = sum(a == "challenger" and b == "champion" for a, b in zip(at_10, at_20, strict=True))
print(f"challenger at 10 %: {at_10.count('challenger')}, at 20 %: {at_20.count('challenger')}")
print(f"flights that went back to the champion when the share rose: {moved_back}")

# %% [markdown]
# The observed split is checked before anything else: a sample ratio mismatch means something
# other than chance picks the arm, and then no comparison can be trusted.

# %%
print("20 % asked, 19.6 % seen:", assign.srm_check(8040, 1960, 0.2))
print("20 % asked, 23.0 % seen:", assign.srm_check(7700, 2300, 0.2))

# %% [markdown]
# ## 3. The A/A test: looking every day at a z-test
#
# Give both arms the *same* model: any "significant" difference is a false positive, and a test
# at the 5 % level should find one in 5 % of experiments. Looking at a fixed-horizon z-test every
# day and stopping at the first p < 0.05 gives it forty chances. The per-flight values below are
# drawn from a log loss-like distribution (the suite's `aa` command uses real ones).

# %%
rng = np.random.default_rng(7)
values = -np.log(rng.uniform(0.2, 1.0, 20_000))  # a skewed per-flight loss, like a log loss
result = simulate_aa(values, experiments=120, days=28, flights_per_day=400, seed=1)
rates = pd.Series(
    {
        "z-test, looked at daily": result.z_peeked,
        "z-test, once at the end": result.z_once,
        "mSPRT, looked at daily": result.msprt,
    }
)
errors = [1.96 * result.standard_error(r) for r in rates]
fig, ax = plt.subplots(figsize=(6, 3))
ax.barh(rates.index, rates.values, xerr=errors, color=["tab:red", "tab:gray", "tab:green"])
ax.axvline(0.05, color="black", linestyle="--", label="nominal 5 %")
ax.set(xlabel="false-positive rate (A/A)")
ax.legend()
fig.tight_layout()
display(rates.round(3))

# %% [markdown]
# The daily-peeked z-test "finds" a difference between two identical models several times more
# often than promised; looked at once, at the planned end, it keeps its 5 %. The mSPRT's p-value
# is valid at every look: it can be checked daily and stopped any day.

# %% [markdown]
# ## 4. A real difference, watched day by day
#
# Now the challenger's per-flight loss is 0.02 lower on average. Each day adds 400 flights (half
# to each arm); the mSPRT's always-valid p-value can only go down, and the test stops the first
# day it is below 0.05.

# %%
rng = np.random.default_rng(3)
champion_values, challenger_values = [], []
rows, p_before = [], 1.0
for day in range(1, 43):
    champion_values += list(rng.choice(values, 200))
    challenger_values += list(rng.choice(values, 200) - 0.02)
    a, b = sequential.ArmStats.of(champion_values), sequential.ArmStats.of(challenger_values)
    look = sequential.sequential_decision(a, b, tau=0.02, p_before=p_before)
    p_before = look.p_value
    rows.append({"day": day, "msprt_p": look.p_value, "z_p": sequential.z_test(a, b)[1]})
    if look.verdict != "continue":
        break
path = pd.DataFrame(rows).set_index("day")
fig, ax = plt.subplots(figsize=(6, 3.5))
path.plot(ax=ax, logy=True)
ax.axhline(0.05, color="black", linestyle="--")
ax.set(ylabel="p-value", title=f"stopped on day {path.index[-1]}: {look.verdict}")
fig.tight_layout()

# %% [markdown]
# The z-test's p-value wanders and crosses 0.05 on early, lucky days; the mSPRT's only
# decreases and crosses once the evidence is there. Its price is a few more days than a
# fixed-horizon test that happens to be looked at on exactly the right day.
#
# ## Your turn
#
# 1. Set `share=0.2` in the A/A simulation: does the peeked z-test get better or worse?
# 2. Make the challenger *worse* by 0.02 in section 4: what verdict does the mSPRT give?
# 3. `uv run python -m week13_retrain simulate --from 2013-09-01 --to 2013-12-31` runs the whole
#    policy on real days: which A/B tests ended, and why?
