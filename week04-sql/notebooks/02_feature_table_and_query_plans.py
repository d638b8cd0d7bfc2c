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
# # Building the feature table in the database, and reading a query plan
#
# The model needs one row per flight: schedule, route, plane, the weather at the origin at the
# scheduled hour, and how late the carrier, the route and the airport have been lately. This
# lab builds that table with one SQL query, proves it equals the pandas version, and then asks
# the database *how* it runs a query, with and without an index.
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
from IPython.display import display  # shows a table when run as a script too

from course import load_solution
from week03_ml.features import AGGREGATES
from week04_sql.db import make_engine
from week04_sql.features import build_features
from week04_sql.load import days_of, load_days, snapshot
from week04_sql.parity import check_parity

features = load_solution("week04", "features", exercises=USE_MY_CODE)
load = load_solution("week04", "load", exercises=USE_MY_CODE)
explain = load_solution("week04", "explain", exercises=USE_MY_CODE)

# %% [markdown]
# ## An idempotent load
#
# We load 1-14 January into a temporary SQLite file, twice. The second load must change nothing;
# `snapshot` (row counts and a checksum of every table) is the proof.

# %%
engine = make_engine(f"sqlite:///{tempfile.mkdtemp(prefix='week04-')}/flights.db")
days = days_of(1, range(1, 15))
load_days(engine, days)
with engine.connect() as conn:
    first = snapshot(conn)
load_days(engine, days)
with engine.connect() as conn:
    second = snapshot(conn)
print("identical after a second load:", first == second)
display(pd.DataFrame(first, index=["rows", "checksum"]).T)

# %% [markdown]
# Same rows, same checksums: a retried job or a re-run of a day cannot duplicate anything,
# because every row is an upsert on its primary key. `load.upsert` is the piece doing it:

# %%
from week04_sql.schema import airlines

with engine.begin() as conn:
    load.upsert(conn, airlines, [{"carrier": "UA", "name": "United Air Lines Inc."}])
with engine.connect() as conn:
    print(snapshot(conn)["airlines"] == first["airlines"])

# %% [markdown]
# Upserting an unchanged row leaves the table's checksum as it was.
#
# ## The weather at the right hour
#
# `weather_join` LEFT JOINs each flight to its origin's weather on `(origin, time_hour)`, the
# scheduled hour in UTC in both tables. Print it to read the SQL:

# %%
print(features.weather_join())

# %% [markdown]
# ## The whole feature table
#
# `build_features` computes all 30 of the model's features in the database: the schedule, the
# plane, the weather at the scheduled hour and over the hours before it, and the six past delay
# rates, each a window function that only looks at *earlier* days. Every window, key and
# smoothing weight comes from week03's feature registry (`week03_ml.features.REGISTRY`), the one
# place a feature is declared.

# %%
with engine.connect() as conn:
    table = build_features(conn, dt.date(2013, 1, 8), dt.date(2013, 1, 14))
print(table.shape)
rates = list(AGGREGATES)
display(
    table[["flight_date", "carrier", "origin", "dest", "temp", *rates[:2], "is_delayed"]].head()
)

# %% [markdown]
# ## Parity: the database's features equal the model's
#
# The model was trained on week03's pandas features; a service that reads features from the
# database must see the same numbers, or it quietly serves a different model (training/serving
# skew). `check_parity` builds week03's table for the same days and compares every feature of
# every flight.

# %%
with engine.connect() as conn:
    problems = check_parity(conn, dt.date(2013, 1, 8), dt.date(2013, 1, 14))
display(problems or "the database and week03 agree on every feature of every flight")

# %% [markdown]
# No difference: both read the same declarations and treat cancelled flights, the same day and
# missing readings alike. Break one (say, `range_=(-days, 0)` in `trailing_counts`) and
# `check_parity` names the feature, the first flight and both values.
#
# ## Does the recent past predict a delay?

# %%
known = table.dropna(subset=["past_rate_dest_7d", "is_delayed"])
bins = pd.cut(known["past_rate_dest_7d"], [0, 0.15, 0.2, 0.25, 0.3, 1])
share = known.groupby(bins, observed=True)["is_delayed"].mean()
ax = share.plot.bar(figsize=(7, 3), rot=0)
ax.set_xlabel("destination's delay rate over the previous 7 days")
ax.set_ylabel("share delayed")
plt.show()

# %% [markdown]
# Flights leaving an airport that has been late all week are late more often: the trailing
# rate carries signal, and nothing in it comes from the future.
#
# ## Reading a query plan
#
# How does the database find one plane's flights? Without an index on `tailnum` it must read
# every row (`SCAN flights`); with one, it searches the index (`SEARCH ... USING INDEX`).

# %%
from week04_sql.explain import (
    PLANE_QUERY,
    create_lesson_index,
    drop_lesson_index,
    refresh_statistics,
)

with engine.begin() as conn:
    refresh_statistics(conn)
    print("without index:", explain.query_plan(conn, PLANE_QUERY, {"tailnum": "N14228"}))
    create_lesson_index(conn)
    print("with index:   ", explain.query_plan(conn, PLANE_QUERY, {"tailnum": "N14228"}))
    drop_lesson_index(conn)

# %% [markdown]
# The plan changes from a full scan to an index search: on the full year (336,776 flights)
# that is the difference between reading every row and reading a few dozen. On PostgreSQL
# (`DATABASE_URL=postgresql+psycopg://...`) the same code prints `Seq Scan` and `Bitmap Index
# Scan` / `Index Scan` lines instead.
#
# ## Your turn
#
# * Run the plan for `flights_of_carrier`'s query: which index does the database pick?
# * Set `USE_MY_CODE = True` and run the notebook on your own `upsert`, `weather_join` and
#   `query_plan`.
