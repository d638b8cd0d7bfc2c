"""The prediction cache's key, and the cache: the role Redis plays in production.

The same flight is scored again and again (a departures board refreshing, a client retrying):
answering from memory costs microseconds instead of a model call. Everything depends on the
key: it must change whenever the answer could change — *any* input field, and the model's
version (after a hot reload the old answers are stale) — and must not change when nothing that
matters did (the order of the fields in the JSON body).

The cache itself is cachetools' ``LRUCache`` (one per worker), behind a lock because gRPC
answers from a pool of threads. With several replicas, a shared Redis with the same key and a
TTL is the production version.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from typing import Any

from cachetools import LRUCache


def cache_key(features: Mapping[str, Any], model_version: str) -> str:
    """A hex digest identifying ``features`` (every field and value) scored by ``model_version``.

    Two mappings with the same items in another order get the same key; changing any value
    (``None`` and ``0.0`` are different values) or the version gives a different key. The key
    is the same in every process (each worker, each replica sharing a Redis): Python's
    ``hash()`` of a ``str`` is not, it changes from one process to the next.
    """
    payload = json.dumps([model_version, features], sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


class PredictionCache:
    """``key -> probability``, least recently used out first; ``maxsize`` 0 switches it off."""

    def __init__(self, maxsize: int = 10_000) -> None:
        self.maxsize = maxsize
        self._lru: LRUCache[str, float] = LRUCache(maxsize=max(maxsize, 1))
        self._lock = threading.Lock()

    def get(self, key: str) -> float | None:
        with self._lock:
            return self._lru.get(key)

    def put(self, key: str, value: float) -> None:
        if self.maxsize:
            with self._lock:
                self._lru[key] = value

    def clear(self) -> None:
        with self._lock:
            self._lru.clear()
