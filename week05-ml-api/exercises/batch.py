"""Exercise 2 — the batch cap and the 413.

A batch endpoint without a cap lets one request hold a worker for seconds. Past the cap the
server answers **413 Payload Too Large**: not a 500 (the server is fine), not a silent
truncation (the caller would miss answers). The client side splits its work in chunks.
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

    Steps:
      1. ``cap < 1`` -> ``ValueError`` naming the value.
      2. More than ``cap`` -> ``raise BatchTooLarge(size, cap)`` (it writes the message).
         Exactly ``cap`` is fine.
    """
    # TODO: your code here
    raise NotImplementedError("check_batch_size")


def chunked(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive chunks of ``items`` of at most ``size`` (the last may be shorter), in order.

    >>> [len(c) for c in chunked(list(range(2500)), 1000)]
    [1000, 1000, 500]

    ``size < 1`` -> ``ValueError``. No empty chunk at the end, none at all for no items.
    """
    # TODO: your code here (a generator: use `yield`)
    raise NotImplementedError("chunked")
