"""Exercise 1 — where a day lives in the bucket.

Week09 lands each day's flights as ``raw/flights/date=2013-09-01/part-0.parquet`` on disk; this
week the same layout becomes object keys in a bucket. The layout is defined once, in week09
(:func:`week09_data_pipeline.raw.partition_path`, imported below): a second copy of the
``date=`` format would drift from it one day. An object key is not a file path: it has no
leading ``/`` and uses ``/`` between its parts on every operating system, Windows included.

Check your work with ``uv run course grade week10``; stuck? ``uv run course hint week10
partition_key`` gives one hint step at a time. The reference solution lives in
``week10_cloud/keys.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from week09_data_pipeline.raw import partition_path

#: The zones of the bucket: the first part of every key.
ZONES = ("raw", "features", "predictions")


def partition_key(table: str, day: dt.date, zone: str = "raw") -> str:
    """The object key of ``table``'s partition for flight date ``day`` in ``zone``.

    Every job that reads or writes a day of the bucket asks this function, so readers and
    writers can never disagree on where a day lives.

    Args:
        table: one of week09's raw tables (``"flights"``, ``"weather"``, ``"schedule"``).
        day: the flight date, a ``datetime.date``.
        zone: one of :data:`ZONES`; ``"raw"`` when not given.

    Returns:
        The key as text, the zone first, then week09's layout below it:
        ``partition_key("flights", date(2013, 9, 1), "predictions")`` is
        ``"predictions/flights/date=2013-09-01/part-0.parquet"``.

    Raises:
        ValueError: for a zone outside :data:`ZONES`; the message names the zone given, e.g.
            ``"zone must be one of ['raw', 'features', 'predictions'], got 'scratch'"``.
        ValueError: for an unknown table (week09's rule and message).
        TypeError: when ``day`` is a ``datetime`` (a ``datetime`` is also a ``date`` in
            Python, but its time does not belong in a partition name); the message mentions
            ``date``, as week09's does.

    Invariants (checked):
        - The key has no leading ``/`` and no ``\\``, on every OS.
        - The ``date=`` part is exactly week09's (``date=2013-12-31``).
    """
    # TODO: your code here
    raise NotImplementedError("partition_key")


def month_prefix(table: str, year: int, month: int, zone: str = "raw") -> str:
    """The key prefix shared by every partition of ``table`` in one month, and by nothing else.

    Listing one prefix is one cheap request for a month; listing the whole bucket reads every
    key ever written, thousands after a year of daily partitions.

    Args:
        table: as in :func:`partition_key`.
        year: the year, e.g. ``2013``.
        month: the month, ``1`` to ``12``.
        zone: as in :func:`partition_key`; ``"raw"`` when not given.

    Returns:
        The beginning of the month's keys, up to and including the ``-`` after the month:
        ``month_prefix("flights", 2013, 9)`` is ``"raw/flights/date=2013-09-"``.

    Raises:
        The errors of :func:`partition_key` for a bad zone or table.

    Invariants (checked):
        - Every key of a day of that month (``partition_key``) starts with the prefix; no key
          of another month or another year does (January's prefix must not match October,
          November or December, nor January 2012).
        - It agrees with :func:`partition_key`'s layout (the same zone, table and ``date=``).
    """
    # TODO: your code here
    raise NotImplementedError("month_prefix")
