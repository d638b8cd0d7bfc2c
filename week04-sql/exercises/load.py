"""Exercises 1 and 2 — an idempotent load, and rows that break a foreign key set aside.

Fill in the two functions below, then check them with ``uv run course grade week04``.
The reference solution lives in ``week04_sql/load.py``: look only once you are done.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from week04_sql.schema import primary_key


def upsert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows`` into ``table``; a row whose primary key exists replaces the stored values.

    Running it twice with the same rows leaves the table unchanged (idempotent); a row loaded
    again with corrected values updates the stored row; rows of other keys are untouched.
    Returns the number of rows written. Works on SQLite and PostgreSQL.

    Steps:
      1. No rows -> return 0.
      2. Pick the dialect's insert: ``postgresql.insert`` when ``conn.dialect.name ==
         "postgresql"``, else ``sqlite.insert``; ``stmt = insert(table)``.
      3. ``keys = primary_key(table)``; for every other column ``c``, take the incoming value
         ``stmt.excluded[c.name]``.
      4. ``stmt.on_conflict_do_update(index_elements=keys, set_={...})`` (a table with no
         other column: ``on_conflict_do_nothing``).
      5. ``conn.execute(stmt, rows)`` and return ``len(rows)``.
    """
    # TODO: your code here
    raise NotImplementedError("upsert")


def set_aside_orphans(
    frame: pd.DataFrame, column: str, known: set[str], parent: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``frame`` into ``(kept, orphans)``: orphans name a ``column`` value not in ``known``.

    ``known`` holds the keys of the ``parent`` table. A missing value (NULL) is not an orphan:
    a foreign key only constrains values that are there. ``orphans`` carries a ``reason``
    naming the column, the bad value and the parent table, e.g.
    ``"carrier: 'ZZ' is not a key of airlines"``. No row is lost or duplicated.

    Steps:
      1. ``bad = frame[column].notna() & ~frame[column].isin(known)``.
      2. ``orphans = frame[bad].copy()``; add the ``reason`` column, one sentence per row
         (``f"{column}: {value!r} is not a key of {parent}"``).
      3. Return ``frame[~bad].copy(), orphans``.
    """
    # TODO: your code here
    raise NotImplementedError("set_aside_orphans")
