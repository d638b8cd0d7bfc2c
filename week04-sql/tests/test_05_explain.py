"""Exercise 6: reading a query plan (``query_plan``); reference check of the index lesson."""

from __future__ import annotations

import pytest

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
@pytest.mark.hint("SQLite: EXPLAIN QUERY PLAN (plain EXPLAIN lists bytecode); keep each row's "
                  "last column, the 'detail' text. PostgreSQL: EXPLAIN, one line per row")
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
@pytest.mark.hint("bind the parameters: conn.execute(text(prefix + sql), params)")
def test_the_plan_uses_the_new_index(explain, loaded):
    from week04_sql.explain import uses_index

    _, with_index = _plans(explain, loaded)
    assert uses_index(with_index, "ix_flights_tailnum"), (
        f"plan {with_index}: with ix_flights_tailnum the lookup should go through the index"
    )


def test_compare_plans_leaves_no_index_behind(db):
    import sqlalchemy as sa

    from week04_sql.explain import compare_plans
    from week04_sql.load import days_of, load_days

    load_days(db, days_of(1, [1, 2]))
    plans = compare_plans(db, TAILNUM)
    assert not any("ix_flights_tailnum" in line for line in plans["without index"])
    assert any("ix_flights_tailnum" in line for line in plans["with index"])
    names = {ix["name"] for ix in sa.inspect(db).get_indexes("flights")}
    assert "ix_flights_tailnum" not in names
