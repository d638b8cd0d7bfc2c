"""Exercise 3 — where a day's rows live in the raw zone.

Fill in the function below, then check it with ``uv run course grade week09``.
The reference solution lives in ``week09_data_pipeline/raw.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from week09_data_pipeline.raw import RAW_TABLES


def partition_path(root: Path, table: str, day: dt.date) -> Path:
    """The one file that holds ``table``'s rows of flight date ``day`` under ``root``:
    ``root / table / "date=2013-09-02" / "part-0.parquet"``.

    ``table`` must be one of ``RAW_TABLES`` (``ValueError`` naming it otherwise). ``day``
    must be a ``date``: a ``datetime`` (a logical date passed as it came) is refused with a
    ``TypeError``, because its time and time zone do not belong in a partition name.

    Steps:
      1. ``table not in RAW_TABLES`` -> ``ValueError`` naming the table and listing the allowed.
      2. ``isinstance(day, dt.datetime) or not isinstance(day, dt.date)`` -> ``TypeError``
         (careful: a ``datetime`` *is* a ``date`` for ``isinstance``; so is a pandas
         ``Timestamp``).
      3. Return ``Path(root) / table / f"date={day.isoformat()}" / "part-0.parquet"``.
    """
    # TODO: your code here
    raise NotImplementedError("partition_path")
