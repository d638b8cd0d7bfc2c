"""Exercise 6 — ask the database how it will run a query.

Check it with ``uv run course grade week04``; the reference is ``week04_sql/explain.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def query_plan(conn: Connection, sql: str, params: Mapping[str, Any]) -> list[str]:
    """The plan the database would use for ``sql`` with ``params``, one line per step.

    SQLite: ``EXPLAIN QUERY PLAN <sql>``, keeping each row's ``detail`` text (plain
    ``EXPLAIN`` on SQLite lists virtual-machine opcodes, not a plan). PostgreSQL:
    ``EXPLAIN <sql>``, one line per row. The query itself is not run.

    Steps:
      1. ``prefix = "EXPLAIN QUERY PLAN "`` when ``conn.dialect.name == "sqlite"``, else
         ``"EXPLAIN "``.
      2. ``rows = conn.execute(sa.text(prefix + sql), dict(params)).all()``.
      3. Return the last column of every row as a string: ``[str(row[-1]) for row in rows]``.
    """
    # TODO: your code here
    raise NotImplementedError("query_plan")
