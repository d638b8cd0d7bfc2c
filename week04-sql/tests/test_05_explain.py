"""Exercise 6: reading a query plan (``query_plan``); reference check of the index lesson."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

TAILNUM = "N14228"  # flew several times in the first days of January


def _plans(explain, engine) -> tuple[list[str], list[str]]:
    """Plans without and with the lesson index, inside a transaction that is rolled back."""
    from week04_sql.explain import PLANE_QUERY, create_lesson_index, refresh_statistics

    with engine.connect() as conn, conn.begin() as transaction:
        refresh_statistics(conn)
        without = explain.query_plan(conn, PLANE_QUERY, {"tailnum": TAILNUM})
        create_lesson_index(conn)
        refresh_statistics(conn)
        with_index = explain.query_plan(conn, PLANE_QUERY, {"tailnum": TAILNUM})
        transaction.rollback()
    return without, with_index


@pytest.mark.exercise("query_plan")
@pytest.mark.points(2)
@pytest.mark.hint(
    "SQLite's plan comes from EXPLAIN QUERY PLAN (plain EXPLAIN lists bytecode); keep each "
    "row's 'detail' text, as a string"
)
def test_the_plan_reads_the_whole_table_without_an_index(explain, loaded):
    without, _ = _plans(explain, loaded)
    assert isinstance(without, list) and all(isinstance(line, str) for line in without), (
        f"return a list of strings, got {without!r:.80}"
    )
    text = " | ".join(without)
    assert "Init" not in without and "OpenRead" not in text, (
        f"{text[:80]!r} is bytecode: SQLite needs EXPLAIN QUERY PLAN"
    )
    assert "SCAN flights" in text or "Seq Scan on flights" in text, (
        f"plan {text!r}: without an index on tailnum the database must read every flight"
    )


@pytest.mark.exercise("query_plan")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the plan of the query you were given, with the caller's parameters bound: :tailnum has "
    "no value otherwise"
)
def test_the_plan_uses_the_new_index(explain, loaded):
    from week04_sql.explain import uses_index

    _, with_index = _plans(explain, loaded)
    assert uses_index(with_index, "ix_flights_tailnum"), (
        f"plan {with_index}: with ix_flights_tailnum the lookup should go through the index"
    )


#: What PostgreSQL's EXPLAIN answers for PLANE_QUERY: one row per line, column "QUERY PLAN".
PG_PLAN = [
    "Sort  (cost=101.10..101.12 rows=8 width=24)",
    "  Sort Key: flight_date",
    "  ->  Seq Scan on flights  (cost=0.00..100.98 rows=8 width=24)",
    "        Filter: ((tailnum)::text = 'N14228'::text)",
]


class PostgresExplain:
    """A connection that says it is PostgreSQL and answers EXPLAIN as PostgreSQL does: one row
    per line of the plan, in a single column named ``QUERY PLAN`` (the rows come from a real
    SQLite result). Grading has no PostgreSQL server; this records which SQL and which
    parameters the function sends."""

    def __init__(self, conn) -> None:
        self._conn = conn
        self.dialect = postgresql.psycopg2.dialect()
        self.engine = SimpleNamespace(
            dialect=self.dialect,
            name=self.dialect.name,
            url=sa.engine.make_url("postgresql+psycopg2://"),
        )
        self.sent: list[tuple[str, dict]] = []

    def execute(self, statement, parameters=None, execution_options=None):
        if isinstance(statement, str):
            text, bound = statement, {}
        else:
            text, bound = str(statement), dict(statement.compile().params)
        self.sent.append((" ".join(text.split()), {**bound, **dict(parameters or {})}))
        rows = " UNION ALL ".join(f'SELECT {sql_literal(line)} AS "QUERY PLAN"' for line in PG_PLAN)
        return self._conn.exec_driver_sql(rows)

    exec_driver_sql = execute


def sql_literal(line: str) -> str:
    return "'" + line.replace("'", "''") + "'"


@pytest.mark.exercise("query_plan")
@pytest.mark.points(2)
@pytest.mark.hint(
    "PostgreSQL has no EXPLAIN QUERY PLAN (a syntax error there): its statement is plain "
    "EXPLAIN before the query, with the parameters bound; each row is one line of the plan"
)
def test_on_postgresql_the_plan_comes_from_explain(explain):
    from week04_sql.explain import PLANE_QUERY

    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        pg = PostgresExplain(conn)
        plan = explain.query_plan(pg, PLANE_QUERY, {"tailnum": TAILNUM})
    engine.dispose()
    assert pg.sent, "nothing was sent to the database"
    sql, params = pg.sent[-1]
    words = sql.upper().split()
    assert words[:1] == ["EXPLAIN"] and words[1:3] != ["QUERY", "PLAN"], (
        f"sent {sql[:60]!r} to PostgreSQL: there the statement is EXPLAIN <sql> "
        "(EXPLAIN QUERY PLAN is SQLite's and a syntax error on PostgreSQL)"
    )
    assert " ".join(PLANE_QUERY.split()) in sql, f"sent {sql!r}: EXPLAIN then the query itself"
    assert params.get("tailnum") == TAILNUM, (
        f"parameters sent: {params}: bind the caller's params, :tailnum has no value otherwise"
    )
    assert plan == PG_PLAN, (
        f"got {plan}: on PostgreSQL every row of EXPLAIN is one line of the plan, as a string"
    )


@pytest.mark.exercise("query_plan")
@pytest.mark.points(1)
@pytest.mark.hint(
    "only ask for the plan: EXPLAIN QUERY PLAN / EXPLAIN never runs the query, so never "
    "execute the query itself (not even to check it)"
)
def test_the_query_itself_is_not_run(explain, loaded):
    count = sa.text("SELECT COUNT(*) FROM flights WHERE carrier = 'AA'")
    with loaded.connect() as conn, conn.begin() as transaction:
        before = conn.execute(count).scalar_one()
        plan = explain.query_plan(
            conn, "DELETE FROM flights WHERE carrier = :carrier", {"carrier": "AA"}
        )
        after = conn.execute(count).scalar_one()
        transaction.rollback()
    assert after == before > 0, (
        f"American's flights went from {before} to {after}: asking for the plan ran the DELETE"
    )
    assert plan and all(isinstance(line, str) for line in plan), f"no plan lines: {plan!r}"


def test_compare_plans_leaves_no_index_behind(db):
    from week04_sql.explain import compare_plans
    from week04_sql.load import days_of, load_days

    load_days(db, days_of(1, [1, 2]))
    plans = compare_plans(db, TAILNUM)
    assert not any("ix_flights_tailnum" in line for line in plans["without index"])
    assert any("ix_flights_tailnum" in line for line in plans["with index"])
    names = {ix["name"] for ix in sa.inspect(db).get_indexes("flights")}
    assert "ix_flights_tailnum" not in names
