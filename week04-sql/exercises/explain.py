"""Exercise 6 — ask the database how it will run a query.

A query plan says whether the database reads a whole table (``SCAN`` / ``Seq Scan``) or jumps
to the rows through an index (``SEARCH ... USING INDEX`` / ``Index Scan``). Both backends show it
without running the query, each with its own statement.

Check your work with ``uv run course grade week04``; stuck, ``uv run course hint week04
query_plan`` shows one hint step at a time. The reference is ``week04_sql/explain.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def query_plan(conn: Connection, sql: str, params: Mapping[str, Any]) -> list[str]:
    """The plan the database would use for ``sql`` with ``params``, one line per step.

    Args:
        conn: an open connection, SQLite or PostgreSQL (``conn.dialect.name`` says which).
        sql: a query with named placeholders such as ``:tailnum``, the way
            ``sqlalchemy.text`` reads them.
        params: a value for each placeholder.

    Returns:
        The plan as a list of strings. SQLite: the ``detail`` text of each row that
        ``EXPLAIN QUERY PLAN <sql>`` returns, e.g. ``SCAN flights`` or ``SEARCH flights
        USING INDEX ix_flights_tailnum (tailnum=?)`` (plain ``EXPLAIN`` on SQLite lists
        virtual-machine instructions, not a plan). PostgreSQL: each row of
        ``EXPLAIN <sql>`` (its single column, named ``QUERY PLAN``), as it comes, indentation
        kept, e.g. ``  ->  Seq Scan on flights  (cost=...)``.

    Invariants (checked):
        - the query itself is not run: asking for the plan of a DELETE deletes nothing;
        - what is sent is the backend's keyword(s), a space, then ``sql`` unchanged, with
          ``params`` bound (``EXPLAIN QUERY PLAN`` is a syntax error on PostgreSQL);
        - after an index is created on the filtered column, the plan names that index.
    """
    # TODO: your code here
    raise NotImplementedError("query_plan")
