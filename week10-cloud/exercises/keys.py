"""Exercise 1 — where a day lives in the bucket.

Week09 lands each day's flights as ``raw/flights/date=2013-09-01/part-0.parquet`` on disk; this
week the same layout becomes object keys. One definition of the layout exists, in week09
(:func:`week09_data_pipeline.raw.partition_path`): use it, never re-type the ``date=`` format.
An object key is not a file path: no leading ``/`` and ``/`` between parts on every OS.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from week09_data_pipeline.raw import partition_path

#: The zones of the bucket: the first part of every key.
ZONES = ("raw", "features", "predictions")


def partition_key(table: str, day: dt.date, zone: str = "raw") -> str:
    """The object key of ``table``'s partition for flight date ``day`` in ``zone``:
    ``"raw/flights/date=2013-09-01/part-0.parquet"``.

    ``zone`` must be one of :data:`ZONES` (``ValueError`` naming it). ``table`` and ``day``
    follow week09's rules (a known table; a ``date``, never a ``datetime``).

    Steps: check ``zone``; ask ``partition_path(Path(zone), table, day)``; return it with
    ``.as_posix()`` (``"/"`` even on Windows).
    """
    # TODO: your code here
    raise NotImplementedError("partition_key")


def month_prefix(table: str, year: int, month: int, zone: str = "raw") -> str:
    """The key prefix shared by every partition of ``table`` in one month, and by nothing
    else: ``"raw/flights/date=2013-09-"``.

    Listing this prefix is one request for a month; listing the bucket reads every key ever
    written. Build it from :func:`partition_key` of the month's first day, cut just after
    ``date=YYYY-MM-``. Mind the trailing ``-``: ``date=2013-1`` also matches October.
    """
    # TODO: your code here
    raise NotImplementedError("month_prefix")
