"""Exercise 2 — the batch cap and the 413.

A batch endpoint without a cap lets one request hold a worker for seconds. Past the cap the
server answers **413 Payload Too Large**: not a 500 (the server is fine), not a silent
truncation (the caller would miss answers). The client side splits its work in chunks.

Check your work with ``uv run course grade week05``; stuck? ``uv run course hint week05
check_batch_size`` (or ``chunked``) gives one hint step at a time. The reference solution lives
in ``week05_ml_api/batch.py``: look only once you are done.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from week05_ml_api.exceptions import BatchTooLarge

T = TypeVar("T")


def check_batch_size(size: int, cap: int) -> None:
    """Refuse a batch of ``size`` rows when it is larger than ``cap``; allow it otherwise.

    The REST app answers :class:`~week05_ml_api.exceptions.BatchTooLarge` with 413 and the gRPC
    service with RESOURCE_EXHAUSTED; any other exception escaping here becomes a 500, which
    tells the caller the *server* is broken when it was the request that was too big.

    Args:
        size: the number of rows (flights) in the request, 0 or more.
        cap: the most rows one request may carry (the ``WEEK05_MAX_BATCH`` setting).

    Returns:
        ``None`` when ``size <= cap``: exactly ``cap`` rows are allowed.

    Raises:
        ValueError: when ``cap`` is below 1, whatever ``size`` is (a cap of 0 is the
            programmer's mistake, not the client's). Its message contains the bad value, e.g.
            ``"cap must be at least 1, got 0"``.
        BatchTooLarge: when ``size`` is larger than a valid ``cap``. Build it from the two
            numbers, the size first and the cap second: it keeps them as its ``size`` and
            ``cap`` attributes and writes the caller's message itself (``"batch of 1001 flights
            exceeds the cap of 1000: split it into requests of at most 1000"``).

    Invariants (checked):
        - 1, 999 and 1000 rows pass a cap of 1000; 1001 and 50,000 rows are refused with
          ``BatchTooLarge`` (``.size`` and ``.cap`` the two numbers), never another error.
        - A cap of 1 is valid: 1 row passes, 2 rows are refused.
        - Caps of 0 and -5 raise ``ValueError`` naming the cap.
    """
    # TODO: your code here
    raise NotImplementedError("check_batch_size")


def chunked(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive chunks of ``items``, each of at most ``size`` items, in order (client side).

    A client with 2,500 flights and a server cap of 1,000 sends three requests; the answers,
    read back in the same order, line up with the flights.

    >>> [len(c) for c in chunked(list(range(2500)), 1000)]
    [1000, 1000, 500]

    Args:
        items: the rows to send (any sequence: it has a length and can be sliced).
        size: the largest chunk, usually the server's cap.

    Yields:
        Lists of items: every chunk has exactly ``size`` items except the last, which may be
        shorter. A length that is a multiple of ``size`` gives no empty chunk at the end, and
        no items give no chunk at all.

    Raises:
        ValueError: when ``size`` is below 1; the message mentions ``size`` (e.g. ``"size must
            be at least 1, got 0"``). Raising it when the first chunk is asked for (the usual
            behaviour of a generator) is fine.

    Invariants (checked):
        - Every item appears once, in its original order, when the chunks are joined.
        - 2,000 items in chunks of 1,000 give exactly two chunks; 3 items in chunks of 1 give
          three.
    """
    # TODO: your code here (a generator: use `yield`)
    raise NotImplementedError("chunked")
