"""The batch cap: how many flights one request may carry, and how a client stays under it.

A batch endpoint without a cap is a denial-of-service switch: one request with a million rows
holds a worker for seconds and its memory for longer. Past the cap the server answers **413
Payload Too Large** (the client sent too much; retrying the same request cannot help), never a
500 (the server is fine) and never a silent truncation (the caller would miss answers).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from week05_ml_api.exceptions import BatchTooLarge

T = TypeVar("T")


def check_batch_size(size: int, cap: int) -> None:
    """Raise :class:`~week05_ml_api.exceptions.BatchTooLarge` when ``size`` rows exceed ``cap``;
    ``cap`` rows are allowed. REST answers it with 413, gRPC with RESOURCE_EXHAUSTED.

    Its message names both numbers and the fix, e.g. ``"batch of 1001 flights exceeds the
    cap of 1000: split it into requests of at most 1000"``. A ``cap`` below 1 is a programming
    error: ``ValueError``.
    """
    if cap < 1:
        raise ValueError(f"cap must be at least 1, got {cap}")
    if size > cap:
        raise BatchTooLarge(size, cap)


def chunked(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive chunks of ``items`` of at most ``size`` (the last may be shorter), in order.

    >>> [len(c) for c in chunked(list(range(2500)), 1000)]
    [1000, 1000, 500]
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
