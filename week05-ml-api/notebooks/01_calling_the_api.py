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
# # Week 5 — Calling the model's API and reading its errors
#
# Week 3 left us a folder: the fitted scikit-learn Pipeline and `metadata.json`.
# This lab puts it behind an HTTP API and plays the client: ask whether the service is ready,
# what it serves, score one flight and a thousand, and — most of the lab — send it wrong
# input and read what comes back. A good API answers a mistake with a **422 that names the
# field and the rule**; a bad one answers with a 500 and a stack trace in the logs.
#
# We run the app in-process with FastAPI's `TestClient`: the same app `python -m week05_ml_api
# serve` runs under uvicorn, without a port. Set `USE_MY_CODE = True` to use your own
# `exercises/` for the parts that are exercises (error details, batch chunks).

# %%
# %load_ext autoreload
# %autoreload 2
import json

import pandas as pd
from fastapi.testclient import TestClient
from IPython.display import display  # shows a table when run as a script too
from pydantic import ValidationError

from course import load_solution
from week05_ml_api.app import create_app
from week05_ml_api.sample import demo_flights, demo_model, request_rows, scoring_flights
from week05_ml_api.schemas import FlightFeatures
from week05_ml_api.settings import Settings

USE_MY_CODE = False  # True: run this lesson on your own exercises/ code
errors = load_solution("week05", "errors", exercises=USE_MY_CODE)
batch = load_solution("week05", "batch", exercises=USE_MY_CODE)

# %% [markdown]
# ## 1. A model to serve
#
# The real one comes from `python -m week03_ml train` (a minute on the whole year). For the
# lesson we fit the same XGBoost pipeline on three weeks of January with 40 trees (a few
# seconds the first time; then it is cached) and save it with week 3's `save_model`: the
# folder has exactly the same shape.

# %%
flights = demo_flights()
model_dir = demo_model()
rows = request_rows(scoring_flights(flights))  # 22-28 January: flights the model never saw
print(sorted(p.name for p in model_dir.iterdir()), f"{len(rows):,} request bodies")

# %% [markdown]
# ## 2. Is it ready? What does it serve?
#
# `/health/live` answers "is the process alive?", `/health/ready` "may it get traffic?" —
# only once the model is loaded (the app's *lifespan* loads it before the first request).
# `/model` tells a client which model answers: version (a hash of the two files), features,
# threshold, the weeks it learned from.

# %%
settings = Settings(model_dir=model_dir, admin_token="lesson-token", max_batch=1000,
                    _env_file=None)
client = TestClient(create_app(settings)).__enter__()  # __enter__ runs the lifespan
for path in ("/health/live", "/health/ready"):
    answer = client.get(path)
    print(path, answer.status_code, answer.json())
info = client.get("/model").json()
display(
    {k: info[k] for k in ("model_version", "model", "threshold", "training_window", "fast_path")}
)

# %% [markdown]
# ## 3. One flight, then many
#
# Every answer carries `model_version`: when two replicas disagree, or yesterday's answers
# differ from today's, that field says which model spoke.

# %%
answer = client.post("/predict", json=rows[0])
print(answer.status_code)
display(answer.json())

# %%
chunks = list(batch.chunked(rows[:2500], settings.max_batch))  # stay under the cap
answers = [client.post("/predict/batch", json={"flights": c}).json() for c in chunks]
probabilities = [p["probability"] for a in answers for p in a["predictions"]]
display(pd.Series(probabilities).describe())

# %% [markdown]
# One request above the cap is refused with **413 Payload Too Large**, not cut short (the
# caller would silently miss answers) and not a 500 (the server is fine; the request is not).

# %%
too_big = client.post("/predict/batch", json={"flights": rows[:1001]})
print(too_big.status_code, too_big.json())

# %% [markdown]
# ## 4. Reading the errors
#
# Each mistake below is one learners and clients really make. The body of every 422 lists
# `field`, `rule`, `message` and the rejected `input` — enough to fix the request without
# reading the server's code.

# %%
mistakes = {
    "hour 25": {**rows[0], "dep_hour": 25},
    "misspelt field": {**rows[0], "dep_hr": 7},
    "origin not in NYC": {**rows[0], "origin": "BOS"},
    "lower-case carrier": {**rows[0], "carrier": "b6"},
    "missing carrier": {k: v for k, v in rows[0].items() if k != "carrier"},
    "text for a number": {**rows[0], "distance": "far"},
}
table = []
for name, body in mistakes.items():
    response = client.post("/predict", json=body)
    for detail in response.json()["detail"]:
        table.append({"mistake": name, "status": response.status_code, "field": detail["field"],
                      "rule": detail["rule"], "message": detail["message"]})
display(pd.DataFrame(table))

# %% [markdown]
# In a batch, the field names the row: `flights[1].dep_hour`. That is `error_details`
# (exercise 1) at work on pydantic's raw errors — here called directly:

# %%
try:
    FlightFeatures.model_validate({**rows[0], "dep_hour": 99, "humid": 140})
except ValidationError as exc:
    raw = exc.errors()
print(json.dumps(raw[0], default=str)[:160], "...")
display(errors.error_details([{**e, "loc": ("body", "flights", 1, *e["loc"])} for e in raw]))

# %% [markdown]
# ## 5. A new airline: an unknown category
#
# `"ZZ"` is a well-formed carrier code the model never saw. That is not the client's mistake,
# so it is not a 422: the model predicts it as a *missing* carrier (XGBoost's learned default
# branch — exactly what the Pipeline does) and says so in `unknown_categories`. Set
# `WEEK05_UNKNOWN_CATEGORIES=reject` if your product prefers a 422.

# %%
known = client.post("/predict", json=rows[0]).json()
new = client.post("/predict", json={**rows[0], "carrier": "ZZ"}).json()
display(pd.DataFrame([known, new], index=["B6 (known)", "ZZ (new)"])[
    ["probability", "delayed", "unknown_categories"]])

# %% [markdown]
# ## 6. Swapping the model without a restart
#
# `POST /admin/reload` (bearer token) loads a model folder *then* swaps one reference: requests
# already running finish on the old model, the next ones use the new one, none fails (the
# checks hammer the server during reloads). Without the token: 401.

# %%
other = demo_model(n_estimators=8)  # a second, smaller model
print(client.post("/admin/reload", json={"model_dir": str(other)}).status_code)
swap = client.post("/admin/reload", json={"model_dir": str(other)},
                   headers={"Authorization": "Bearer lesson-token"})
print(swap.status_code, swap.json())
print(client.post("/predict", json=rows[0]).json()["model_version"])

# %% [markdown]
# ## Your turn
#
# 1. Exercise 1 (`exercises/errors.py`): make `error_details` pass, then set
#    `USE_MY_CODE = True` and rerun section 4's last cell.
# 2. Exercise 2 (`exercises/batch.py`): the cap and `chunked`. What should a client do with
#    a 413? What would it do with a 500?
# 3. Send `{"flights": []}`. Which rule fires, and why is an empty batch a 422, not a 200?
# 4. Look at `/metrics` after a few repeated requests: what is the cache's hit rate?

# %%
display(client.__exit__(None, None, None))
