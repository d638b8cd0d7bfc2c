"""Exercises 1 and 2 — an idempotent load, and rows that break a foreign key set aside.

Pipelines are retried: a day may be loaded twice, or again after a fix upstream. A load that is
*idempotent* leaves the database exactly as one run would, whatever the number of runs. A row
that breaks a rule is not dropped silently either: it is set aside with the rule it broke.

Check your work with ``uv run course grade week04``; stuck, ``uv run course hint week04 upsert``
(or ``set_aside_orphans``) shows one hint step at a time. The reference solution lives in
``week04_sql/load.py``: look only once you are done.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from week04_sql.schema import primary_key


def upsert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """Write ``rows`` into ``table`` so that writing them again changes nothing (an upsert).

    Each row is identified by the table's primary key (``primary_key(table)`` lists its
    columns, in order): a row with a new key is added; a row whose key is already stored
    replaces that stored row's other values. This is what makes a re-run of a load harmless
    and a corrected re-load effective.

    Args:
        conn: an open connection inside a transaction the caller commits; SQLite or
            PostgreSQL (``conn.dialect.name`` says which).
        table: a table with a primary key (one of the week's tables, or any other).
        rows: one dict per row, column name -> value; every dict has the same keys, and no
            primary key appears twice in one call.

    Returns:
        The number of rows given (each one was inserted or updated); ``0`` for an empty list,
        which sends nothing to the database.

    Raises:
        sqlalchemy.exc.IntegrityError: from the database, when a row breaks a constraint other
            than its own primary key (another UNIQUE column, say). Such a row is refused; it is
            never merged into the row of another key.

    Invariants (checked):
        - idempotent: the same rows written twice leave the table as written once;
        - a row written again with corrected values is stored with the new values;
        - rows whose keys are not in ``rows`` are untouched (loading one day keeps the others);
        - a composite key (weather's ``origin`` + ``time_hour``) is matched on all its columns;
        - a table whose every column is in the key: writing a stored row again is no error;
        - the same call works on PostgreSQL: one check hands you a connection whose dialect is
          PostgreSQL (grading runs SQLite underneath it; with ``COURSE_POSTGRES_URL`` set, the
          reference checks also run on a real PostgreSQL server).
    """
    # TODO: your code here
    raise NotImplementedError("upsert")


def set_aside_orphans(
    frame: pd.DataFrame, column: str, known: set[str], parent: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``frame`` into the rows a foreign key accepts and the orphans, each with a reason.

    A foreign key makes the database refuse a whole load for one unknown code. Checking it
    first, in pandas, lets the good rows through and keeps the bad ones with the rule they
    broke, so nothing disappears without a trace.

    Args:
        frame: the rows to load (not modified).
        column: the child column checked, e.g. ``"carrier"``.
        known: the key values of the parent table, e.g. every carrier of ``airlines``.
        parent: the parent table's name, used in the reason, e.g. ``"airlines"``.

    Returns:
        ``(kept, orphans)``. ``kept``: the rows whose ``column`` value is in ``known`` or
        missing, with ``frame``'s columns only. ``orphans``: the other rows, with ``frame``'s
        columns plus ``reason``, one sentence per row naming the column, the value as ``repr``
        writes it (quoted: ``'ZZ'``) and the parent table, e.g.
        ``"carrier: 'ZZ' is not a key of airlines"``.

    Invariants (checked):
        - a missing value (None, NaN) is not an orphan: a foreign key only constrains values
          that are there;
        - every row of ``frame`` is in exactly one of the two frames, in ``frame``'s order.
    """
    # TODO: your code here
    raise NotImplementedError("set_aside_orphans")
