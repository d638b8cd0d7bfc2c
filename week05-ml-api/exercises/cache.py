"""Exercise 5 — the prediction cache's key.

A cache is only as good as its key. It must change whenever the answer could change — *any*
input field, and the model's version (after a hot reload the old answers are stale) — and must
not change when nothing that matters did (the order of the fields in the JSON body).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def cache_key(features: Mapping[str, Any], model_version: str) -> str:
    """A hex digest identifying ``features`` (every field and value) scored by ``model_version``.

    Two mappings with the same items in another order get the same key; changing any value
    (``None`` and ``0.0`` are different values) or the version gives a different key. The key
    is the same in every process (each worker, each replica sharing a Redis): Python's
    ``hash()`` of a ``str`` is not, it changes from one process to the next.

    Hint: ``json.dumps(..., sort_keys=True)`` of the version and the features together, then a
    hash (``hashlib.blake2b(data, digest_size=16).hexdigest()``).
    """
    # TODO: your code here
    raise NotImplementedError("cache_key")
