"""Exercises 1-2: an idempotent upsert (``upsert``) and setting orphans aside
(``set_aside_orphans``); then reference checks of the whole loader on real days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from week04_sql import schema

AIRLINES = [
    {"carrier": "AA", "name": "American Airlines Inc."},
    {"carrier": "UA", "name": "United Air Lines Inc."},
]


def _airlines(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return conn.execute(sa.select(schema.airlines).order_by("carrier")).all()


@pytest.mark.exercise("upsert")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a plain INSERT fails on the second run, because the key is already there: a row whose "
    "primary key is stored must update that row instead"
)
def test_loading_twice_changes_nothing(load, db):
    for _ in range(2):
        with db.begin() as conn:
            load.upsert(conn, schema.airlines, AIRLINES)
    got = _airlines(db)
    assert len(got) == 2, f"{len(got)} rows after loading 2 rows twice: the load is not idempotent"
    assert got == [tuple(r.values()) for r in AIRLINES]


@pytest.mark.exercise("upsert")
@pytest.mark.points(2)
@pytest.mark.hint(
    "ON CONFLICT DO NOTHING (insert or ignore) keeps the stale values: on a conflict, every "
    "column outside the key must take the incoming row's value"
)
def test_reloading_a_corrected_row_updates_it(load, db):
    with db.begin() as conn:
        load.upsert(conn, schema.airlines, AIRLINES)
    fixed = [{"carrier": "UA", "name": "United Airlines"}]
    with db.begin() as conn:
        load.upsert(conn, schema.airlines, fixed)
    got = dict(_airlines(db))
    assert got["UA"] == "United Airlines", (
        f"UA is still named {got['UA']!r}: a re-run must apply corrected values, not ignore them"
    )
    assert got["AA"] == "American Airlines Inc.", "a row that was not reloaded must not change"


@pytest.mark.exercise("upsert")
@pytest.mark.points(1)
@pytest.mark.hint(
    "never empty the table before inserting: loading one day must keep the others' rows"
)
def test_loading_some_rows_keeps_the_others(load, db):
    with db.begin() as conn:
        load.upsert(conn, schema.airlines, AIRLINES)
    with db.begin() as conn:
        written = load.upsert(conn, schema.airlines, [{"carrier": "DL", "name": "Delta"}])
        nothing = load.upsert(conn, schema.airlines, [])
    assert [c for c, _ in _airlines(db)] == ["AA", "DL", "UA"], "earlier rows were lost"
    assert (written, nothing) == (1, 0), "return the number of rows written (0 for no rows)"


@pytest.mark.exercise("upsert")
@pytest.mark.points(1)
@pytest.mark.hint(
    "the conflict target is the table's whole primary key (weather's is origin and "
    "time_hour); week04_sql.schema.primary_key lists a table's key columns"
)
def test_upsert_on_a_composite_key(load, db):
    base = {"year": 2013, "month": 1, "day": 1, "hour": 5, "temp": 39.0}
    t10, t11 = dt.datetime(2013, 1, 1, 10), dt.datetime(2013, 1, 1, 11)
    with db.begin() as conn:
        conn.execute(
            schema.airports.insert(),
            [
                {"faa": code, "name": code, "lat": 0.0, "lon": 0.0, "alt": 0}
                for code in ("EWR", "JFK")
            ],
        )
        rows = [
            {**base, "origin": "EWR", "time_hour": t10},
            {**base, "origin": "JFK", "time_hour": t10},
            {**base, "origin": "EWR", "time_hour": t11},
        ]
        load.upsert(conn, schema.weather, rows)
        load.upsert(conn, schema.weather, [{**rows[0], "temp": 41.0}])
    with db.connect() as conn:
        temps = conn.execute(
            sa.select(schema.weather.c.origin, schema.weather.c.temp).order_by(
                "time_hour", "origin"
            )
        ).all()
    assert temps == [("EWR", 41.0), ("JFK", 39.0), ("EWR", 39.0)], (
        f"got {temps}: weather's key is (origin, time_hour), only EWR at 10:00 should change"
    )


class PostgresOverSQLite:
    """A connection that says it is PostgreSQL, for grading without a PostgreSQL server.

    Every statement is compiled for PostgreSQL and handled as SQLAlchemy handles it before the
    real driver sees it: the statement's own values and the ones passed to ``execute`` merged,
    ``IN`` lists expanded into one placeholder per value, a list of rows run once per row.
    The SQL that comes out runs on a real SQLite connection (``INSERT ... ON CONFLICT (key)
    DO UPDATE SET col = excluded.col``, ``DELETE ... WHERE key IN (...)`` read the same on
    both). So a statement PostgreSQL cannot compile fails here as it would there, and a
    portable one works as it would there; ``test_the_stand_in_judges_upserts_as_postgresql``
    runs the same upserts on a real server to prove it."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn
        self.dialect = postgresql.psycopg2.dialect(paramstyle="named")
        self.engine = SimpleNamespace(
            dialect=self.dialect,
            name=self.dialect.name,
            url=sa.engine.make_url("postgresql+psycopg2://"),
        )

    def execute(self, statement, parameters=None, execution_options=None):
        sets = list(parameters) if isinstance(parameters, list | tuple) else [parameters or {}]
        sets = sets or [{}]
        compiled = statement.compile(dialect=self.dialect, column_keys=list(sets[0]))
        values = [compiled.construct_params(dict(one)) for one in sets]
        if compiled.post_compile_params or compiled.literal_execute_params:
            if len(values) > 1:  # SQLAlchemy refuses this on every driver
                raise sa.exc.InvalidRequestError(
                    "'literal_execute' or 'expanding' parameters can't be used with executemany()"
                )
            # what the driver path does to an IN list: one placeholder per value
            expanded = compiled._process_parameters_for_postcompile(values[0])
            return self._conn.exec_driver_sql(expanded.statement, expanded.parameters)
        return self._conn.exec_driver_sql(compiled.string, values if len(values) > 1 else values[0])


@contextmanager
def _as_postgresql(db, backend: str) -> Iterator:
    """A transaction on a PostgreSQL connection: the stand-in over SQLite, or the real server."""
    with db.begin() as conn:
        yield PostgresOverSQLite(conn) if backend == "sqlite" else conn


def _upsert_through_postgresql(upsert, db, backend: str) -> list[tuple[str, str]]:
    """Load AIRLINES twice, then correct UA, through a PostgreSQL connection; the rows stored."""
    fixed = [{"carrier": "UA", "name": "United Airlines"}]
    for rows in (AIRLINES, AIRLINES, fixed):
        with _as_postgresql(db, backend) as pg:
            upsert(pg, schema.airlines, rows)
    return _airlines(db)


@pytest.mark.exercise("upsert")
@pytest.mark.points(2)
@pytest.mark.hint(
    "grading runs on SQLite, but upsert must also work on PostgreSQL: a statement built with "
    "SQLite's own insert does not compile for PostgreSQL, and PostgreSQL's ON CONFLICT DO "
    "UPDATE needs the primary key as its conflict target"
)
def test_upsert_works_on_postgresql_too(load, db, backend):
    """On SQLite (grading), through a connection that says it is PostgreSQL; on ``postgresql``
    (``COURSE_POSTGRES_URL`` set), on the real server."""
    try:
        got = _upsert_through_postgresql(load.upsert, db, backend)
    except NotImplementedError:
        raise
    except Exception as exc:
        pytest.fail(
            f"on a PostgreSQL connection the upsert raised {type(exc).__name__}: {exc}. "
            "Is every statement one PostgreSQL understands (SQLite's insert(...) with "
            "on_conflict_do_update does not compile there; its DO UPDATE needs the conflict "
            "target)?",
            pytrace=False,
        )
    assert got == [("AA", "American Airlines Inc."), ("UA", "United Airlines")], (
        f"got {got} after loading twice and correcting UA through PostgreSQL's SQL"
    )


# --- the PostgreSQL stand-in judges as the server does --------------------------------------


def _delete_listed_then_insert(conn, table, rows):
    """Portable: delete the incoming keys (an IN list of values), then insert."""
    if not rows:
        return 0
    (key,) = schema.primary_key(table)
    conn.execute(sa.delete(table).where(table.c[key].in_([row[key] for row in rows])))
    conn.execute(sa.insert(table), rows)
    return len(rows)


def _delete_expanding_then_insert(conn, table, rows):
    """Portable: the same, the IN list an expanding parameter given to execute."""
    (key,) = schema.primary_key(table)
    stmt = sa.delete(table).where(table.c[key].in_(sa.bindparam("keys", expanding=True)))
    conn.execute(stmt, {"keys": [row[key] for row in rows]})
    conn.execute(sa.insert(table), rows)
    return len(rows)


def _sqlite_insert_everywhere(conn, table, rows):
    """Wrong on PostgreSQL: SQLite's own insert on every backend."""
    from sqlalchemy.dialects import sqlite

    stmt = sqlite.insert(table)
    stmt = stmt.on_conflict_do_update(index_elements=["carrier"], set_={"name": stmt.excluded.name})
    conn.execute(stmt, rows)
    return len(rows)


def _do_nothing(conn, table, rows):
    """Wrong everywhere: a conflict keeps the stale row."""
    conn.execute(postgresql.insert(table).on_conflict_do_nothing(), rows)
    return len(rows)


def _plain_insert(conn, table, rows):
    """Wrong everywhere: the second run breaks the primary key."""
    conn.execute(sa.insert(table), rows)
    return len(rows)


RIGHT = [("AA", "American Airlines Inc."), ("UA", "United Airlines")]


@pytest.mark.parametrize(
    ("upsert", "expected"),
    [
        pytest.param(None, RIGHT, id="the-reference"),
        pytest.param(_delete_listed_then_insert, RIGHT, id="delete-in-list-then-insert"),
        pytest.param(_delete_expanding_then_insert, RIGHT, id="delete-expanding-then-insert"),
        pytest.param(_sqlite_insert_everywhere, AttributeError, id="sqlite-insert"),
        pytest.param(
            _do_nothing,
            [("AA", "American Airlines Inc."), ("UA", "United Air Lines Inc.")],
            id="do-nothing",
        ),
        pytest.param(_plain_insert, sa.exc.IntegrityError, id="plain-insert"),
    ],
)
def test_the_stand_in_judges_upserts_as_postgresql(db, backend, upsert, expected):
    """What the graded check sees on SQLite (the stand-in) is what a real PostgreSQL does:
    portable upserts with IN lists pass, the wrong ones fail, on both."""
    from week04_sql.load import upsert as reference

    if isinstance(expected, type):
        with pytest.raises(expected):
            _upsert_through_postgresql(upsert or reference, db, backend)
    else:
        assert _upsert_through_postgresql(upsert or reference, db, backend) == expected


_CODES = sa.Table(
    "codes",
    sa.MetaData(),
    sa.Column("code", sa.String(2), primary_key=True),
    sa.Column("name", sa.String(20), unique=True),
    sa.Column("seats", sa.Integer),
)
_CREW = sa.Table(
    "crew",
    sa.MetaData(),
    sa.Column("tailnum", sa.String(8), primary_key=True),
    sa.Column("pilot", sa.String(20), primary_key=True),
    sa.UniqueConstraint("pilot"),
)


@pytest.mark.exercise("upsert")
@pytest.mark.points(1)
@pytest.mark.hint(
    "the conflict target is the primary key, also for ON CONFLICT DO NOTHING on a table "
    "with no other column: without a target, SQLite applies the clause to whichever UNIQUE "
    "constraint clashes, and a row of another key is overwritten or a row vanishes"
)
@pytest.mark.parametrize(
    ("table", "first", "clash"),
    [
        pytest.param(
            _CODES,
            {"code": "AA", "name": "American", "seats": 10},
            {"code": "ZZ", "name": "American", "seats": 99},
            id="another-unique-column",
        ),
        pytest.param(
            _CREW,
            {"tailnum": "N1", "pilot": "Ann"},
            {"tailnum": "N2", "pilot": "Ann"},
            id="key-columns-only",
        ),
    ],
)
def test_only_the_primary_key_is_the_conflict_target(load, db, table, first, clash):
    table.create(db)
    with db.begin() as conn:
        for _ in range(2):
            load.upsert(conn, table, [first])
    clash_raised = False
    with db.connect() as conn:
        try:
            with conn.begin():
                load.upsert(conn, table, [clash])
        except sa.exc.IntegrityError:
            clash_raised = True  # the new key breaks the other UNIQUE constraint: an error
        stored = [dict(row) for row in conn.execute(sa.select(table)).mappings()]
    assert first in stored, (
        f"table holds {stored}: a row with the new key {clash} overwrote the row of another "
        "key; ON CONFLICT without the primary key as target updates whichever row clashes"
    )
    assert clash_raised or clash in stored, (
        f"the row {clash} breaks a UNIQUE constraint but was neither written nor refused: "
        "it vanished silently (ON CONFLICT DO NOTHING without the primary key as target)"
    )


FLIGHTS = pd.DataFrame({"carrier": ["AA", "ZZ", "UA", None, "ZZ"], "flight": [1, 2, 3, 4, 5]})


@pytest.mark.exercise("set_aside_orphans")
@pytest.mark.points(2)
@pytest.mark.hint(
    "an orphan's value is not among the known keys; its reason names the column, the value "
    "as repr writes it and the parent table, e.g. \"carrier: 'ZZ' is not a key of airlines\""
)
def test_orphans_are_set_aside_with_the_reason(load):
    _, orphans = load.set_aside_orphans(FLIGHTS, "carrier", {"AA", "UA"}, "airlines")
    assert orphans["flight"].tolist() == [2, 5], (
        f"orphans are flights {orphans['flight'].tolist()}: ZZ is not a known carrier"
    )
    reasons = orphans["reason"].tolist()
    assert all("'ZZ'" in r and "airlines" in r and "carrier" in r for r in reasons), (
        f"reasons {reasons}: say which column, which value and which parent table"
    )


@pytest.mark.exercise("set_aside_orphans")
@pytest.mark.points(1)
@pytest.mark.hint("a foreign key only constrains values that are there: NULL is not an orphan")
def test_missing_values_are_not_orphans_and_no_row_is_lost(load):
    kept, orphans = load.set_aside_orphans(FLIGHTS, "carrier", {"AA", "UA"}, "airlines")
    assert len(kept) + len(orphans) == len(FLIGHTS), "every row is either kept or set aside"
    assert kept["flight"].tolist() == [1, 3, 4], (
        f"kept {kept['flight'].tolist()}: flight 4 has no carrier (NULL), which a foreign key "
        "allows"
    )
    assert "reason" not in kept.columns, "only the orphans carry a reason"


# --- reference checks of the whole loader -------------------------------------------------


def test_loading_the_same_days_twice_leaves_identical_tables(db):
    from week04_sql.load import days_of, load_days, snapshot

    days = days_of(1, [1, 2])
    first = load_days(db, days)
    with db.connect() as conn:
        before = snapshot(conn)
    load_days(db, days)
    with db.connect() as conn:
        after = snapshot(conn)
    assert before["flights"][0] == first["flights"].loaded > 1500
    assert after == before, "a second load of the same days changed a row count or a checksum"


def test_checksum_sees_a_changed_value(db):
    from week04_sql.load import load_tables, snapshot

    load_tables(db, {"airlines": pd.DataFrame(AIRLINES)})
    with db.connect() as conn:
        before = snapshot(conn)["airlines"]
    load_tables(db, {"airlines": pd.DataFrame([{"carrier": "UA", "name": "United"}])})
    with db.connect() as conn:
        after = snapshot(conn)["airlines"]
    assert after[0] == before[0] and after[1] != before[1]


def test_bad_rows_are_set_aside_with_their_reason(db):
    from course import data
    from week04_sql.load import load_tables, snapshot

    flights = data.flights_slice(1, days=[1]).head(5).copy()
    flights.loc[1, "carrier"] = "ZZ"  # no such airline
    flights.loc[2, "month"] = 13  # breaks week01's rule
    flights.loc[3, ["month", "carrier", "flight"]] = [13, *flights.loc[2, ["carrier", "flight"]]]
    flights = pd.concat([flights, flights.iloc[[0]]], ignore_index=True)  # a repeated key
    frames = {
        "airlines": data.load_table("airlines"),
        "airports": data.load_table("airports"),
        "flights": flights,
    }
    results = load_tables(db, frames)
    assert results["flights"].loaded == 2
    reasons = sorted(results["flights"].rejected["reason"])
    assert len(reasons) == 4
    assert any("'ZZ' is not a key of airlines" in r for r in reasons)
    assert sum(r.startswith("month") for r in reasons) == 2
    assert any("repeats an earlier row" in r for r in reasons)
    with db.connect() as conn:
        stored = conn.execute(sa.select(schema.rejected_rows.c.reason)).scalars().all()
        before = snapshot(conn)
    assert sorted(stored) == reasons, (
        "every rejected row is kept with its reason, even two with the same broken key"
    )
    load_tables(db, frames)
    with db.connect() as conn:
        assert snapshot(conn) == before, "loading the same bad rows again stores them once"


def test_prepare_rejects_an_unknown_table(db):
    from week04_sql.load import prepare

    with db.connect() as conn, pytest.raises(ValueError, match="got 'flight'"):
        prepare(conn, "flight", pd.DataFrame())


def test_days_of_checks_the_month():
    from week04_sql.load import days_of

    assert len(days_of(2)) == 28 and days_of(1, [1, 31])[-1] == dt.date(2013, 1, 31)
    with pytest.raises(ValueError, match="month must be 1-12, got 13"):
        days_of(13)
