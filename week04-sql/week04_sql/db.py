"""Connecting to the database, and the two places where SQLite and PostgreSQL differ.

Everything else in the week is portable SQL built with SQLAlchemy 2. The differences live here:

* SQLite enforces foreign keys only when asked (``PRAGMA foreign_keys = ON`` per connection),
  and Python's driver must be told to let SQLAlchemy open transactions, or DDL auto-commits;
* "days since 1970-01-01" for a DATE is ``julianday()`` arithmetic on SQLite and a plain
  subtraction on PostgreSQL (:class:`day_number`), which the trailing windows order by.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from week04_sql.settings import get_settings

log = logging.getLogger(__name__)

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def make_engine(url: str | None = None, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: the ``DATABASE_URL`` setting).

    A SQLite file's folder is created here (never on import) and foreign keys are switched on
    for every connection. Raises ``ValueError`` for a backend the week does not support.

    ``read_only``: for a reader such as the online store's lookups. On PostgreSQL each
    statement then runs on its own (AUTOCOMMIT): no BEGIN and ROLLBACK round trips per request,
    and psycopg keeps its prepared statements. At PostgreSQL's default isolation (read
    committed) each statement of a transaction sees its own snapshot anyway, so the answers are
    the same. Nothing changes on SQLite, where a transaction costs no round trip.
    """
    url = url or get_settings().database_url
    parsed = sa.engine.make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        shown = parsed.render_as_string(hide_password=True)  # never the password itself
        raise ValueError(f"DATABASE_URL must be sqlite or postgresql, got {backend!r} ({shown})")
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, **kwargs)
    if read_only and backend == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    if backend == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
    log.debug("engine for %s", parsed.render_as_string(hide_password=True))
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 driver opens transactions itself and only before INSERT/UPDATE/DELETE,
    # so a CREATE INDEX would commit on its own. Hand transactions to SQLAlchemy instead (the
    # recipe from SQLAlchemy's SQLite docs): BEGIN is emitted by _sqlite_begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN")


class day_number(FunctionElement[int]):
    """Whole days since 1970-01-01 of a DATE column: ``day_number(flights.c.flight_date)``.

    Window frames such as ``RANGE BETWEEN 7 PRECEDING AND 1 PRECEDING`` need a number to count
    days on; both backends agree on this one.
    """

    type = sa.Integer()
    inherit_cache = True
    name = "day_number"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    (arg,) = element.clauses
    return f"CAST(julianday({compiler.process(arg, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    (arg,) = element.clauses
    return f"({compiler.process(arg, **kw)} - DATE '1970-01-01')"


@compiles(day_number)
def _day_number_other(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    raise sa.exc.CompileError(f"day_number is not defined for dialect {compiler.dialect.name!r}")
