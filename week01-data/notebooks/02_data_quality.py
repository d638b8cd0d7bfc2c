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
# # Week 2 — Is the raw data fit to learn from?
#
# A model learns whatever the data says, mistakes included. This lab walks through the raw
# flights table the way a data engineer would before letting it near a model: how times are
# stored, which flights never arrived, which values are impossible, and how to join tables
# without creating or losing rows. Each step is a function of `week01_data` — and one of your
# exercises.
#
# Set `USE_MY_CODE = True` to run the lab on your own `exercises/`.

# %%
# %load_ext autoreload
# %autoreload 2
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import data, load_solution
from week01_data.validate import flights_schema, violations, weather_schema

USE_MY_CODE = False  # True: run this lesson on your own exercises/ code
clean = load_solution("week01", "clean", exercises=USE_MY_CODE)
target = load_solution("week01", "target", exercises=USE_MY_CODE)
join = load_solution("week01", "join", exercises=USE_MY_CODE)
validate = load_solution("week01", "validate", exercises=USE_MY_CODE)

flights = data.load_table("flights")
weather = data.load_table("weather")

# %% [markdown]
# ## 1. Clock times are integers
#
# `dep_time` 517 means 05:17, not 517 minutes. Treating it as a number makes 12:59 and 13:00
# look 41 "minutes" apart. `hhmm_to_minutes` (exercise 1) converts it; note 2400, the midnight
# that ends a day.

# %%
sample = flights["dep_time"].head(5)
display(pd.DataFrame({"raw": sample, "minutes after midnight": clean.hhmm_to_minutes(sample)}))

# %%
print("departures recorded as 2400:", (flights["dep_time"] == 2400).sum())
fig, ax = plt.subplots(figsize=(9, 3))
ax.hist(flights["dep_time"].dropna(), bins=240, color="tab:gray")
ax.set(title="Raw dep_time: the gaps at xx60-xx99 betray the HHMM encoding", xlabel="dep_time")

# %% [markdown]
# The empty stretches between 60 and 99 in every hundred are the giveaway: these are clock
# times, not quantities.
#
# ## 2. Which flights never arrived?
#
# No column says "cancelled". Missing values do: no `dep_time` means the flight never left; a
# `dep_time` without an `arr_delay` means it left and was diverted (exercise 2).

# %%
status = clean.flight_status(flights)
display(status.value_counts())

# %% [markdown]
# 8,255 cancelled and 1,175 diverted flights have no arrival delay, so their label is
# unknown. Exercise 3 keeps it unknown (`<NA>`) instead of letting `NaN > 15` quietly say
# "on time":

# %%
labels = target.is_delayed(flights["arr_delay"])
display(pd.crosstab(status, labels.astype("string").fillna("<NA>")))

# %% [markdown]
# Every unknown label belongs to a flight that did not arrive, and no such flight is called
# on time.
#
# ## 3. Impossible values
#
# A declared schema states what every column must be. `violations` lists each broken rule with
# how many rows break it.

# %%
display(violations(flights, flights_schema()))

# %%
display(violations(weather, weather_schema()))

# %% [markdown]
# The flights pass; the weather has one wind reading of 1,048 mph, more than four times the
# strongest gust ever measured. The quarantine (exercise 5) sets that row aside with its reason
# instead of silently dropping or keeping it:

# %%
valid_weather, rejected_weather = validate.quarantine(weather, weather_schema())
print(f"{len(valid_weather):,} valid readings, {len(rejected_weather)} rejected")
display(rejected_weather[["origin", "time_hour", "wind_speed", "reason"]])

# %% [markdown]
# ## 4. Joins that keep every flight exactly once
#
# The weather table has one row per airport and hour. Joining on the hour alone would match
# each flight with three airports' readings; an inner join would drop the flights of hours
# without a reading. `join_weather` (exercise 4) joins on origin *and* the scheduled hour,
# keeping every flight.

# %%
week = data.flights_slice(month=1, days=range(1, 8))
wrong = week.merge(weather, on="time_hour", how="inner")
right = join.join_weather(week, valid_weather)
display(
    pd.Series(
        {"flights": len(week), "joined on the hour only": len(wrong), "join_weather": len(right)}
    )
)

# %% [markdown]
# Three times too many rows is the classic symptom of a missing join key. Using the
# *scheduled* hour also matters: the weather at the actual departure hour is only known after
# the flight has left, and a model must not learn from the future.
#
# ## 5. Seasonal drift, already visible
#
# Monthly delay rates change a lot, which is the problem weeks 3 and 11 will meet again.

# %%
monthly = (
    flights.assign(is_delayed=labels).groupby("month")["is_delayed"].mean().rename("delay rate")
)
ax = monthly.plot(
    kind="bar",
    figsize=(9, 3),
    color="tab:blue",
    title="Share of flights delayed > 15 min, per month of 2013",
)
ax.set_ylabel("delay rate")

# %% [markdown]
# A model trained on the first half of the year will meet a summer with a third more delays
# and an autumn with fewer: validate by time, never by random split.
