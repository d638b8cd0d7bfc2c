"""Reading a query plan: the same query with and without an index.

``EXPLAIN QUERY PLAN`` (SQLite) and ``EXPLAIN`` (PostgreSQL) show how the database means to
run a query without running it. Looking up one plane's flights without an index on
``tailnum`` reads the whole table (``SCAN flights`` / ``Seq Scan``); with the index it jumps to
the matching rows (``SEARCH flights USING INDEX`` / ``Index Scan`` or ``Bitmap Index Scan``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

#: The index of the lesson; deliberately not part of the schema (an ``Index`` object on
#: ``flights`` would join its metadata, and ``create_schema`` would build it).
LESSON_INDEX = "ix_flights_tailnum"

#: One plane's flights: a selective filter on a column without an index of its own.
PLANE_QUERY = (
    "SELECT flight_date, carrier, flight, origin, dest FROM flights "
    "WHERE tailnum = :tailnum ORDER BY flight_date"
)


def query_plan(conn: Connection, sql: str, params: Mapping[str, Any]) -> list[str]:
    """The plan the database would use for ``sql`` with ``params``, one line per step.

    SQLite: ``EXPLAIN QUERY PLAN <sql>``, keeping each row's ``detail`` text (plain
    ``EXPLAIN`` on SQLite lists virtual-machine opcodes, not a plan). PostgreSQL:
    ``EXPLAIN <sql>``, one line per row. The query itself is not run.
    """
    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    rows = conn.execute(sa.text(prefix + sql), dict(params)).all()
    return [str(row[-1]) for row in rows]


def uses_index(plan: list[str], index: str) -> bool:
    """True when a plan from :func:`query_plan` mentions ``index`` by name."""
    return any(index in line for line in plan)


def create_lesson_index(conn: Connection) -> None:
    """``CREATE INDEX ix_flights_tailnum ON flights (tailnum)``."""
    conn.execute(sa.text(f"CREATE INDEX {LESSON_INDEX} ON flights (tailnum)"))


def drop_lesson_index(conn: Connection) -> None:
    """Drop the lesson index if it is there."""
    conn.execute(sa.text(f"DROP INDEX IF EXISTS {LESSON_INDEX}"))


def refresh_statistics(conn: Connection) -> None:
    """``ANALYZE``: let the planner know the table sizes (PostgreSQL needs it after a load)."""
    conn.execute(sa.text("ANALYZE flights" if conn.dialect.name == "postgresql" else "ANALYZE"))


def compare_plans(engine: Engine, tailnum: str) -> dict[str, list[str]]:
    """Plans of :data:`PLANE_QUERY` for ``tailnum`` without, then with :data:`LESSON_INDEX`.

    Leaves the database without the lesson index, as it found it.
    """
    with engine.begin() as conn:
        drop_lesson_index(conn)
        refresh_statistics(conn)
        without = query_plan(conn, PLANE_QUERY, {"tailnum": tailnum})
        create_lesson_index(conn)
        refresh_statistics(conn)
        with_index = query_plan(conn, PLANE_QUERY, {"tailnum": tailnum})
        drop_lesson_index(conn)
    return {"without index": without, "with index": with_index}
