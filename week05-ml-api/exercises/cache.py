"""Exercise 5 — the prediction cache's key.

A cache is only as good as its key. It must change whenever the answer could change — *any*
input field, and the model's version (after a hot reload the old answers are stale) — and must
not change when nothing that matters did (the order of the fields in the JSON body).

Check your work with ``uv run course grade week05``; stuck? ``uv run course hint week05
cache_key`` gives one hint step at a time. The reference solution lives in
``week05_ml_api/cache.py``: look only once you are done.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def cache_key(features: Mapping[str, Any], model_version: str) -> str:
    """A short text that identifies "these features, scored by this model version".

    The prediction cache answers a request from memory when its key was seen before, so two
    requests get the same key exactly when they must get the same answer. Several workers (and
    replicas sharing a Redis) look up each other's keys, so the key cannot depend on the
    process that computed it.

    Args:
        features: one flight's features as the request sent them (name -> ``str``, ``int``,
            ``float`` or ``None``), in any order.
        model_version: the version of the model that scores them (``"131649f689d7"``).

    Returns:
        A non-empty string of hexadecimal digits (``0-9a-f``), at most 128 characters long.

    Raises:
        Nothing for JSON-like feature values.

    Invariants (checked):
        - The same items in another order give the same key.
        - Changing any one field's value gives another key; ``None`` (unknown) and ``0.0``
          (none) are different values.
        - Another model version gives another key for the same features.
        - The same inputs give the same key every time, in this process and in any other
          (Python's built-in ``hash()`` of a ``str`` changes from one process to the next).
    """
    # TODO: your code here
    raise NotImplementedError("cache_key")
