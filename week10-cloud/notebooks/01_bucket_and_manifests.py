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
# # A bucket you can break, and manifests you can check
#
# No cloud account needed: moto serves the S3 protocol on 127.0.0.1, so every call below is
# the call that would go to AWS or MinIO. Only `AWS_ENDPOINT_URL` would change.
#
# 1. land two days of flights in the raw zone, one partition a day (week09's layout);
# 2. list one month by its prefix, download with the checksum verified;
# 3. tamper with an object and watch the download refuse it;
# 4. validate the Kubernetes manifests strictly, then break one.
#
# `USE_MY_CODE = True` runs the lesson on your own `exercises/` code instead of the reference.

# %%
USE_MY_CODE = False  # True: run this lesson on your own exercises/ code

import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import display  # shows a table when run as a script too

from course import load_solution
from week10_cloud.emulator import FAKE_CREDENTIALS, s3_emulator
from week10_cloud.manifests import MANIFEST_DIR, check_manifests
from week10_cloud.settings import get_settings
from week10_cloud.storage import ChecksumError, ensure_bucket, land_raw, list_keys, make_client

keys = load_solution("week10", "keys", exercises=USE_MY_CODE)
storage = load_solution("week10", "storage", exercises=USE_MY_CODE)
settings_module = load_solution("week10", "settings", exercises=USE_MY_CODE)

server = s3_emulator()
endpoint = server.__enter__()  # stopped in the last cell
settings = get_settings(endpoint_url=endpoint, **FAKE_CREDENTIALS)
display(settings_module.describe_settings(settings))

# %% [markdown]
# The secrets show as `**********`: this dict is safe to log. Now a client and a bucket, and
# two days of September landed in the raw zone.

# %%
client = make_client(settings)
ensure_bucket(client, settings.bucket)
land_raw(client, settings.bucket, [dt.date(2013, 9, 1), dt.date(2013, 9, 2)])
prefix = keys.month_prefix("flights", 2013, 9)
display(prefix, list_keys(client, settings.bucket, prefix))

# %% [markdown]
# One listing per month: the prefix ends with `date=2013-09-`, so October never matches.
# A download checks the SHA-256 the object was published with:

# %%
key = keys.partition_key("flights", dt.date(2013, 9, 1))
day = pd.read_parquet(io.BytesIO(storage.download(client, settings.bucket, key)))
display(day[["year", "month", "day", "carrier", "flight", "origin", "dest"]].head())

# %% [markdown]
# Someone overwrites the object behind our back, keeping the old checksum in its metadata:

# %%
head = client.head_object(Bucket=settings.bucket, Key=key)
client.put_object(Bucket=settings.bucket, Key=key, Body=b"not parquet", Metadata=head["Metadata"])
try:
    storage.download(client, settings.bucket, key)
except ChecksumError as error:
    print("refused:", error)

# %% [markdown]
# ## The manifests
#
# Strict schema validation (Kubernetes pinned), then the cross-checks: probe paths among the
# API's real routes, pinned images, matching selectors, CPU requests for the HPA.

# %%
display(check_manifests())

# %%
broken = Path(tempfile.mkdtemp()) / "k8s"
shutil.copytree(MANIFEST_DIR, broken)
deployment = broken / "deployment.yaml"
text = deployment.read_text().replace("path: /health/ready", "path: /healthz")
deployment.write_text(text.replace("week05-ml-api:0.1.0", "week05-ml-api:latest"))
for problem in check_manifests(broken):
    print("-", problem)

# %%
server.__exit__(None, None, None)
shutil.rmtree(broken.parent)
