"""Exercise 5: the cache key — every field, the model version, and nothing else."""

from __future__ import annotations

import json
import os
import string
import subprocess
import sys

import pytest

from week05_ml_api.cache import PredictionCache


@pytest.mark.exercise("cache_key")
@pytest.mark.points(1)
@pytest.mark.hint("json.dumps(..., sort_keys=True) makes the order of the fields irrelevant")
def test_field_order_does_not_matter(cache, rows):
    row = rows[0]
    reordered = dict(reversed(list(row.items())))
    assert cache.cache_key(row, "v1") == cache.cache_key(reordered, "v1"), (
        "the same flight with its fields in another order is the same request"
    )


@pytest.mark.exercise("cache_key")
@pytest.mark.points(2)
@pytest.mark.hint(
    "hash *every* field: a key of carrier/origin/dest/hour serves one flight's answer to another"
)
def test_every_field_changes_the_key(cache, rows):
    row = rows[3]
    base = cache.cache_key(row, "v1")
    ignored = []
    for name, value in row.items():
        changed = {
            **row,
            name: (
                "XX" if isinstance(value, str) else (value or 0) + 1 if value is not None else 1.0
            ),
        }
        if cache.cache_key(changed, "v1") == base:
            ignored.append(name)
    assert not ignored, f"changing {ignored} did not change the key: wrong cached answers"


@pytest.mark.exercise("cache_key")
@pytest.mark.points(2)
@pytest.mark.hint("put the model version into the key: after a reload, old answers are stale")
def test_model_version_changes_the_key(cache, rows):
    assert cache.cache_key(rows[0], "v1") != cache.cache_key(rows[0], "v2"), (
        "a new model must not answer with the old model's cached probabilities"
    )


@pytest.mark.exercise("cache_key")
@pytest.mark.points(1)
@pytest.mark.hint("None (unknown) and 0.0 (no rain) are different inputs: don't `or 0`")
def test_none_is_not_zero(cache, rows):
    row = {**rows[0], "precip": 0.0}
    assert cache.cache_key(row, "v1") != cache.cache_key({**row, "precip": None}, "v1")


@pytest.mark.exercise("cache_key")
@pytest.mark.points(1)
@pytest.mark.hint("return a str (e.g. hexdigest()), the same for the same input every time")
def test_key_is_a_stable_string(cache, rows):
    first = cache.cache_key(rows[0], "v1")
    assert isinstance(first, str), f"expected a str key, got {type(first).__name__}"
    assert first and set(first) <= set(string.hexdigits), (
        f"key {first[:40]!r}: the docstring promises a hex digest (e.g. .hexdigest())"
    )
    assert first == cache.cache_key(dict(rows[0]), "v1")
    assert len(first) <= 128, "a key should be short: hash the payload"


#: Computes cache_key in a fresh interpreter, on the module bound by ``solution_source`` (your
#: exercises/cache.py when grading, the reference otherwise).
_OTHER_PROCESS = """
import json, sys
row, version = json.load(sys.stdin)
print(cache.cache_key(row, version))
"""


@pytest.mark.exercise("cache_key")
@pytest.mark.points(3)
@pytest.mark.budget(60)
@pytest.mark.hint(
    "hash() of a str is salted per process (PYTHONHASHSEED): use hashlib on a "
    "serialised payload instead"
)
def test_same_key_in_every_process(cache, rows, solution_source):
    here = cache.cache_key(rows[0], "v1")
    code = solution_source("cache", "cache") + _OTHER_PROCESS
    elsewhere = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps([rows[0], "v1"]),
            capture_output=True,
            text=True,
            timeout=25,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert done.returncode == 0, f"cache_key failed in a new process: {done.stderr[-500:]}"
        elsewhere.append(done.stdout.strip())
    assert elsewhere == [here, here], (
        f"this process says {here[:16]}..., two others say {[k[:16] for k in elsewhere]}: "
        "workers and replicas sharing a cache would never hit each other's keys. Is the key "
        "built with hash()? It differs between processes; hashlib does not"
    )


def test_the_cache_evicts_the_least_recently_used():
    lru = PredictionCache(maxsize=2)
    assert lru.get("a") is None
    lru.put("a", 0.1)
    lru.put("b", 0.2)
    assert lru.get("a") == 0.1
    lru.put("c", 0.3)  # evicts b, the least recently used
    assert lru.get("b") is None and lru.get("c") == 0.3 and lru.get("a") == 0.1
    lru.clear()
    assert lru.get("a") is None
    off = PredictionCache(maxsize=0)
    off.put("a", 1.0)
    assert off.get("a") is None, "size 0 switches the cache off"
