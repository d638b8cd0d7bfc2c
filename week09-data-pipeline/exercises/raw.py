"""Exercise 3 — where a day's rows live in the raw zone.

The raw, validated and quarantine zones keep one Parquet file per table and flight date, so a
day is the unit of work: landing it again replaces its one file. Every reader (Spark, DuckDB,
pyarrow) finds a day by the folder name, which makes that name a contract.

Write the function below, then check it with ``uv run course grade week09``. Stuck?
``uv run course hint week09 partition_path`` shows one hint step per call.
The reference solution lives in ``week09_data_pipeline/raw.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from week09_data_pipeline.raw import RAW_TABLES


def partition_path(root: Path, table: str, day: dt.date) -> Path:
    """The one file that holds ``table``'s rows of flight date ``day`` in the zone at ``root``.

    The layout is the Hive one, which readers turn into a ``date`` column:
    ``<root>/<table>/date=<YYYY-MM-DD>/part-0.parquet``. The date is zero-padded ISO text
    (``date=2013-01-05``, never ``date=2013-1-5``), so the folders sort in time order. Nothing
    is created or read: this only names the file.

    Args:
        root: the zone's folder, relative or absolute (kept as given).
        table: one of ``RAW_TABLES``.
        day: the flight date.

    Returns:
        A ``pathlib.Path``; for ``root=Path("zone")``, ``table="flights"`` and 2 September 2013
        it is ``Path("zone/flights/date=2013-09-02/part-0.parquet")``.

    Raises:
        ValueError: when ``table`` is not one of ``RAW_TABLES``; the message shows the table
            quoted as ``repr`` shows it and lists the allowed tables, e.g.
            ``"table must be one of ['flights', 'weather', 'schedule'], got 'flight'"``.
        TypeError: when ``day`` is anything but a plain ``datetime.date``: a ``datetime`` (a
            logical date passed as it came; its time and time zone do not belong in a folder
            name), a pandas ``Timestamp``, a string. The message contains the word ``date``,
            e.g. ``"day must be a date (the flight date), got '2013-09-02'"``.
    """
    # TODO: your code here
    raise NotImplementedError("partition_path")
