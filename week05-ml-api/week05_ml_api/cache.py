"""A small prediction cache, with a hit-rate metric: the role Redis plays in production.

The same flight is scored again and again (a departures board refreshing, a client retrying):
answering from memory costs microseconds instead of a model call. Everything depends on the
key: it must change whenever the answer could change — *any* input field, and the model's
version (after a hot reload the old answers are stale) — and must not change when nothing that
matters did (the order of the fields in the JSON body).

The cache is in-process (one per worker) by default; with several replicas, a shared Redis with
the same key and a TTL is the production version.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any


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
    """A thread-safe LRU map ``key -> probability`` with hit/miss counters; size 0 disables it."""

    def __init__(self, maxsize: int = 10_000) -> None:
        if maxsize < 0:
            raise ValueError(f"maxsize must be >= 0, got {maxsize}")
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> float | None:
        """The cached probability, or ``None`` (a miss)."""
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: str, value: float) -> None:
        """Remember ``value``; the least recently used entry goes when the cache is full."""
        if self.maxsize == 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

    @property
    def hit_rate(self) -> float:
        """Hits / lookups (0.0 before the first lookup)."""
        lookups = self.hits + self.misses
        return self.hits / lookups if lookups else 0.0
