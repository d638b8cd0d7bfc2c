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
# # Week 5 — Where does a prediction's time go? Profiling and the fast path
#
# A first FastAPI wrapper around week 3's Pipeline answers ~190 requests a second on two
# workers; `mlflow models serve` ~100. Is XGBoost slow? This lab measures one request piece by
# piece, finds that the model is a small part of it, and builds the **fast path**: encode the
# request straight into a NumPy row with precomputed `category -> index` maps and call the
# booster — with *exactly* the Pipeline's answers. Set `USE_MY_CODE = True` to time your own
# `exercises/fastpath.py`.

# %%
# %load_ext autoreload
# %autoreload 2
import cProfile
import io
import pstats
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import load_solution
from week03_ml.artifact import load_model
from week05_ml_api.sample import demo_flights, demo_model, request_rows, scoring_flights

USE_MY_CODE = False  # True: run this lesson on your own exercises/ code
fastpath = load_solution("week05", "fastpath", exercises=USE_MY_CODE)

flights = demo_flights()
model_dir = demo_model()  # week 3's XGBoost pipeline on 1-21 January (cached after 1st run)
pipeline, metadata = load_model(model_dir)
rows = request_rows(scoring_flights(flights))
features = metadata["features"]
pipeline


# %% [markdown]
# ## 1. Timing the Pipeline path
#
# What a naive endpoint does per request: a one-row DataFrame, then `predict_proba`. We time
# it with `time.perf_counter` over many calls (the median is robust to the odd slow one).


# %%
def median_ms(fn, repeat: int = 100) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


numeric = [c for c, t in metadata["dtypes"].items() if t != "object"]
row = rows[0]


def to_frame(rs):
    return pd.DataFrame.from_records(rs, columns=features).astype(dict.fromkeys(numeric, "float64"))


frame = to_frame([row])
prepared = pipeline[:-1].transform(frame)
model = pipeline.named_steps["model"]
steps = {
    "build the DataFrame": median_ms(lambda: to_frame([row])),
    "ColumnTransformer": median_ms(lambda: pipeline[:-1].transform(frame)),
    "XGBClassifier.predict_proba": median_ms(lambda: model.predict_proba(prepared)),
    "whole Pipeline.predict_proba": median_ms(lambda: pipeline.predict_proba(frame)),
}
display(pd.Series(steps, name="ms per request").round(3))

# %% [markdown]
# The model itself is the small part: pandas and the ColumnTransformer's per-call machinery
# (column selection, checks, `hstack`) dominate. A profiler says the same, by function:

# %%
profiler = cProfile.Profile()
profiler.enable()
for _ in range(50):
    pipeline.predict_proba(to_frame([row]))
profiler.disable()
out = io.StringIO()
pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(12)
print("\n".join(out.getvalue().splitlines()[:30]))

# %% [markdown]
# ## 2. The fast path
#
# For week 3's XGBoost pipeline the preprocessing is tiny: each category becomes its index in
# the fitted `OrdinalEncoder` (unknown or missing -> NaN), numbers pass through. So:
#
# 1. once, at load time: `category_maps(encoder, columns)` — a dict per categorical column;
# 2. per request: `encode_rows(rows, columns, maps)` — plain dict lookups and one `np.array`;
# 3. `booster.inplace_predict(matrix)` — XGBoost without the sklearn wrapper.

# %%
prepare = pipeline.named_steps["prepare"]
categorical, numbers = list(prepare.transformers_[0][2]), list(prepare.transformers_[1][2])
columns = [*categorical, *numbers]
maps = fastpath.category_maps(prepare.named_transformers_["cat"], categorical)
booster = model.get_booster().copy()
booster.set_param({"nthread": 1})
print({c: len(m) for c, m in maps.items()}, "categories per column")
display(fastpath.encode_rows([row], columns, maps)[0, :8])

# %%
fast_ms = median_ms(lambda: booster.inplace_predict(fastpath.encode_rows([row], columns, maps)))
encode_ms = median_ms(lambda: fastpath.encode_rows([row], columns, maps))
pipeline_ms = steps["whole Pipeline.predict_proba"]
print(f"Pipeline {pipeline_ms:.2f} ms, fast path {fast_ms:.3f} ms "
      f"(encoding {encode_ms * 1000:.0f} µs): {pipeline_ms / fast_ms:.0f}x faster")

# %% [markdown]
# ## 3. Same answers, or it does not ship
#
# A faster wrong model is a bug. On every scoring flight (a week the model never saw), the two
# paths must agree to 1e-6 — the graded check uses the same tolerance. Missing values and
# unknown categories are in these rows: they are where hand-written encoders go wrong.

# %%
slow = pipeline.predict_proba(to_frame(rows))[:, 1]
fast = booster.inplace_predict(fastpath.encode_rows(rows, columns, maps))
print(f"{len(rows):,} flights, largest difference {np.max(np.abs(fast - slow)):.2e}")
unknown = {**row, "carrier": "ZZ", "plane_engine": None, "temp": None}
print("unknown carrier:", pipeline.predict_proba(to_frame([unknown]))[0, 1],
      booster.inplace_predict(fastpath.encode_rows([unknown], columns, maps))[0])

# %% [markdown]
# ## 4. Batch size: the fixed cost is paid once per request
#
# Per row, the Pipeline's overhead fades as batches grow; the fast path stays ahead because
# its encoding is cheaper too. This is why the API has a batch endpoint — and a cap.

# %%
sizes = [1, 10, 100, 1000]
per_row = {"Pipeline": [], "fast path": []}
for n in sizes:
    chunk = rows[:n]
    per_row["Pipeline"].append(median_ms(lambda c=chunk: pipeline.predict_proba(to_frame(c)),
                                         repeat=10) / n)
    per_row["fast path"].append(median_ms(
        lambda c=chunk: booster.inplace_predict(fastpath.encode_rows(c, columns, maps)),
        repeat=10) / n)
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, values in per_row.items():
    ax.loglog(sizes, values, marker="o", label=name)
ax.set(xlabel="rows per request", ylabel="ms per row", title="Cost per row vs batch size")
ax.legend()
display(pd.DataFrame(per_row, index=pd.Index(sizes, name="rows")).round(4))

# %% [markdown]
# ## 5. One flight: the booster's set-up, and treelite
#
# Profile `booster.inplace_predict` on one row and most of its time is set-up (the Python
# wrapper, then XGBoost preparing a prediction), not the trees. For single flights the service
# hands the same trees to treelite (`treelite.frontend.from_xgboost`, maintained by XGBoost's
# authors) and predicts with its GTIL; from 5 rows on the booster is faster again.

# %%
import treelite
import treelite.gtil

from week05_ml_api.fastpath import SMALL_BATCH

trees = treelite.frontend.from_xgboost(booster)
one = fastpath.encode_rows([row], columns, maps)
print(f"one flight: inplace_predict {median_ms(lambda: booster.inplace_predict(one)):.3f} ms, "
      f"treelite {median_ms(lambda: treelite.gtil.predict(trees, one, nthread=1)):.3f} ms; "
      f"the service uses treelite up to {SMALL_BATCH} rows")
chunks = [fastpath.encode_rows(rows[i:i + 4], columns, maps) for i in range(0, 2000, 4)]
small = np.concatenate([treelite.gtil.predict(trees, m, nthread=1).ravel() for m in chunks])
print(f"largest difference from the Pipeline: {np.max(np.abs(small - slow[:2000])):.1e}")

# %% [markdown]
# The service (`week05_ml_api.fastpath.FastModel`) does exactly this, chosen at load time, and
# falls back to the Pipeline for any other model shape. `week05-ml-api/benchmarks/bench.py`
# then measures the whole server against `mlflow models serve`: see the README's appendix.
#
# ## Your turn
#
# 1. Exercise 4 (`exercises/fastpath.py`): implement `category_maps` and `encode_rows`; set
#    `USE_MY_CODE = True`; section 3 must print a difference below 1e-6.
# 2. Map an unknown carrier to `-1` instead of NaN and rerun section 3: how large is the
#    difference now, and why is it silent?
# 3. Profile the fast path with cProfile like section 1: what is left?
