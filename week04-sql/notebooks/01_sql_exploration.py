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
# # Exploring the flights with SQL
#
# Week01 explored the flights with pandas. Here the same questions go to a database: the data
# team's warehouse, the production service's PostgreSQL, wherever the features will be computed
# when the model is live. We load two weeks of January 2013 into a throw-away SQLite file, then
# ask it questions with joins, `GROUP BY` and window functions, and plot the answers.
#
# `USE_MY_CODE = True` runs the lesson on your own `exercises/` code instead of the reference.

# %%
# %load_ext autoreload
# %autoreload 2
USE_MY_CODE = False  # True: run this lesson on your own exercises/ code

import datetime as dt
import tempfile

import matplotlib.pyplot as plt
import pandas as pd
import sqlalchemy as sa
from IPython.display import display  # shows a table when run as a script too

from course import load_solution
from week04_sql.db import make_engine
from week04_sql.load import days_of, load_days
from week04_sql.queries import delay_rate_by

queries = load_solution("week04", "queries", exercises=USE_MY_CODE)
features = load_solution("week04", "features", exercises=USE_MY_CODE)

# %% [markdown]
# ## Load two weeks into a database
#
# `make_engine` reads `DATABASE_URL` when it is given no URL; here we pass a temporary SQLite
# file so the lesson leaves nothing behind. `load_days` creates the tables, then upserts the
# airlines, airports, planes, and each day's weather and flights.

# %%
folder = tempfile.mkdtemp(prefix="week04-")
engine = make_engine(f"sqlite:///{folder}/flights.db")
results = load_days(engine, days_of(1, range(1, 15)))
display({name: (result.loaded, len(result.rejected)) for name, result in results.items()})

# %% [markdown]
# Every flight of 1-14 January loaded and nothing was set aside: the raw rows of these days keep
# every rule of the schema.
#
# ## A join: who flies from New York?
#
# `airlines` holds the full names; `flights` only the two-letter codes. A join brings them
# together, and `GROUP BY` counts the flights per airline.

# %%
busiest = pd.read_sql(
    sa.text(
        "SELECT a.name AS airline, COUNT(*) AS flights "
        "FROM flights f JOIN airlines a ON a.carrier = f.carrier "
        "GROUP BY a.name ORDER BY flights DESC"
    ),
    engine,
)
display(busiest.head(8))

# %% [markdown]
# Three airlines (United, JetBlue, ExpressJet) fly about half of the departures.
#
# ## GROUP BY: which carrier is late most often?
#
# `delay_rate_by` counts, per group, the flights whose label is known and the share that arrived
# more than 15 minutes late: the SQL twin of week01's pandas function.

# %%
rates = delay_rate_by(engine.connect(), "carrier", dt.date(2013, 1, 1), dt.date(2013, 1, 14))
ax = rates.sort_values("delay_rate").plot.barh(x="carrier", y="delay_rate", legend=False,
                                                figsize=(7, 4))
ax.set_xlabel("share of flights delayed > 15 min, 1-14 January 2013")
plt.show()

# %% [markdown]
# The spread between the most and the least punctual carrier is wide: the carrier is a strong
# feature, and its *recent* delay rate may be stronger still.
#
# ## A parameterised query
#
# A value always travels as a bound parameter. Pass anything, even an attack, and the database
# reads it as a value:

# %%
with engine.connect() as conn:
    united = queries.flights_of_carrier(conn, "UA", dt.date(2013, 1, 2))
    attack = queries.flights_of_carrier(conn, "UA'; DROP TABLE flights;--", dt.date(2013, 1, 2))
display(len(united), len(attack))

# %% [markdown]
# United's flights of 2 January come back; the "carrier" with SQL in it matches nothing, and
# the flights table is still there.
#
# ## Window functions: the delay rate of the previous seven days
#
# A window function computes over neighbouring rows without collapsing them. `trailing_counts`
# builds `SUM(flag) OVER w` and `COUNT(flag) OVER w` with `w = (PARTITION BY origin ORDER BY day
# RANGE BETWEEN 7 PRECEDING AND 1 PRECEDING)`: for each flight, the delayed and the labelled
# flights of its airport over the seven days *before* its date. Their ratio is the airport's
# recent delay rate (the model's own rates, `week04_sql.features.past_rate`, smooth it a little
# more). Here is its SQL:

# %%
from week04_sql.db import day_number
from week04_sql.schema import flights

delayed_7d, labelled_7d = features.trailing_counts(["origin"], 7)
trailing = sa.select(
    flights.c.origin,
    flights.c.flight_date,
    day_number(flights.c.flight_date).label("day"),
    (sa.cast(delayed_7d, sa.Float) / sa.func.nullif(labelled_7d, 0)).label("origin_rate_7d"),
)
print(trailing.compile(engine))

# %% [markdown]
# Next to it, the same day's own delay rate (which a model could *not* know at departure time):

# %%
per_flight = pd.read_sql(trailing, engine)
daily = per_flight.groupby(["origin", "flight_date"])["origin_rate_7d"].first().unstack("origin")
same_day = delay_rate_by(engine.connect(), ["origin", "flight_date"], dt.date(2013, 1, 1),
                         dt.date(2013, 1, 14))
same_day = same_day.pivot(index="flight_date", columns="origin", values="delay_rate")
fig, axes = plt.subplots(1, 3, figsize=(12, 3), sharey=True)
for ax, origin in zip(axes, ["EWR", "JFK", "LGA"], strict=True):
    ax.plot(pd.to_datetime(same_day.index), same_day[origin], "o-", label="that day")
    ax.plot(pd.to_datetime(daily.index), daily[origin], "s--", label="previous 7 days")
    ax.set_title(origin)
    ax.tick_params(axis="x", rotation=45)
axes[0].set_ylabel("share delayed")
axes[0].legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# The trailing rate is smooth and lags a bad day by one day: exactly what is knowable when a
# flight is about to leave. On 1 January it is empty, since there is no earlier day.
#
# ## Your turn
#
# * Set `USE_MY_CODE = True` once `flights_of_carrier` and `trailing_counts` are written in
#   `exercises/`, and run the notebook again: the plots should not change.
# * Change the window to 30 days: which airport has the worst month?
