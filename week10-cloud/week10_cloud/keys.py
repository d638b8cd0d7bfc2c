"""Where a day lives in the bucket: the raw zone's layout, moved from a folder to object keys.

::

    s3://flight-delay/raw/flights/date=2013-09-01/part-0.parquet          (week09's raw zone)
    s3://flight-delay/features/flights/date=2013-09-01/part-0.parquet     (week03's features)
    s3://flight-delay/predictions/flights/date=2013-09-01/part-0.parquet  (this week's scores)

The layout is week09's, not a copy of it: :func:`partition_key` asks
:func:`week09_data_pipeline.raw.partition_path` for the path under a relative root and writes it
with ``/`` (an object key is not a file path: no leading ``/``, no ``\\`` on Windows). A bucket has
no folders; a "folder" is a shared prefix, and listing one prefix is one cheap request where
listing the bucket reads every key ever written (:func:`month_prefix`).
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
    """
    if zone not in ZONES:
        raise ValueError(f"zone must be one of {list(ZONES)}, got {zone!r}")
    # as_posix: "/" on every OS (a Windows path would join with "\\")
    return partition_path(Path(zone), table, day).as_posix()


def month_prefix(table: str, year: int, month: int, zone: str = "raw") -> str:
    """The key prefix shared by every partition of ``table`` in one month, and by nothing
    else: ``"raw/flights/date=2013-09-"`` (the trailing ``-`` keeps 2013-1 from matching
    2013-10..12). Built from :func:`partition_key`, so the two never disagree."""
    first = partition_key(table, dt.date(year, month, 1), zone)
    return first[: first.index("date=") + len("date=YYYY-MM-")]
