"""Exercise 3: a parameterised filter (``flights_of_carrier``); reference checks of the
GROUP BY queries."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from week04_sql import schema

JAN2 = dt.date(2013, 1, 2)
INJECTION = "UA'; DROP TABLE flights;--"


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT COUNT(*) FROM flights")).scalar_one()


@pytest.mark.exercise("flights_of_carrier")
@pytest.mark.points(2)
@pytest.mark.hint(
    "filter on both the carrier and the flight date, order by the scheduled departure time, "
    "and select every flights column"
)
def test_the_carriers_flights_of_that_day(queries, loaded, jan_flights):
    with loaded.connect() as conn:
        got = queries.flights_of_carrier(conn, "UA", JAN2)
    expected = jan_flights[(jan_flights["carrier"] == "UA") & (jan_flights["day"] == 2)]
    assert len(got) == len(expected), (
        f"{len(got)} rows, expected {len(expected)} United flights on 2 January"
    )
    assert set(got["carrier"]) == {"UA"}, "only the carrier asked for"
    assert got["sched_dep_time"].is_monotonic_increasing, "order by scheduled departure time"
    missing = sorted(set(schema.flights.c.keys()) - set(got.columns))
    assert not missing, f"all flights columns, but {missing} are missing"


def _hostile_call(queries, db, carrier: str) -> tuple[pd.DataFrame, list[str]]:
    """Twenty United flights of 2 January in ``db``; the learner's call with ``carrier``, and
    the SQL text of every statement it sent."""
    from course import data
    from week04_sql.load import load_tables

    united = data.flights_slice(1, days=[2]).query("carrier == 'UA'").head(20)
    load_tables(
        db,
        {
            "airlines": data.load_table("airlines"),
            "airports": data.load_table("airports"),
            "flights": united,
        },
    )
    before = _count(db)
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    sa.event.listen(db, "before_cursor_execute", record)
    try:
        with db.connect() as conn:
            got = queries.flights_of_carrier(conn, carrier, JAN2)
    finally:
        sa.event.remove(db, "before_cursor_execute", record)
    assert _count(db) == before, f"{carrier!r} changed the flights table"
    return got, sent


@pytest.mark.exercise("flights_of_carrier")
@pytest.mark.points(1)
@pytest.mark.hint(
    "never build SQL with an f-string, % or +, even with the quotes doubled: send the carrier "
    "as a bound parameter, apart from the SQL text"
)
@pytest.mark.parametrize(
    ("carrier", "fragment"),
    [
        pytest.param(INJECTION, "DROP TABLE", id="drop-table"),
        pytest.param("UA' OR '1'='1", "OR '", id="or-true"),
        pytest.param("O'Hare", "Hare", id="a-quote"),
        pytest.param("UA'--", "UA'", id="quote-then-comment"),
    ],
)
def test_a_hostile_carrier_code_is_just_a_value(queries, db, carrier, fragment):
    got, sent = _hostile_call(queries, db, carrier)
    assert len(got) == 0, (
        f"{carrier!r} returned {len(got)} rows: the value was read as SQL, not as a carrier code"
    )
    pasted = [s for s in sent if fragment in s]
    assert not pasted, (
        f"the SQL text sent holds the value {carrier!r}: {pasted[0][:120]!r}; it must travel "
        "as a bound parameter, apart from the SQL (quoting it by hand is not enough)"
    )


@pytest.mark.exercise("flights_of_carrier")
@pytest.mark.points(1)
@pytest.mark.hint(
    "compare the carrier with =, not LIKE: in a LIKE pattern % matches any text and _ any "
    "one character, so '%' would find every carrier"
)
@pytest.mark.parametrize(
    "carrier",
    [
        pytest.param("%", id="percent"),
        pytest.param("_", id="underscore"),
        pytest.param("U%", id="a-prefix-pattern"),
    ],
)
def test_a_wildcard_is_just_a_character(queries, db, carrier):
    got, _ = _hostile_call(queries, db, carrier)
    assert len(got) == 0, (
        f"{carrier!r} returned {len(got)} of United's flights: it was read as a LIKE pattern "
        "or as SQL, not as a carrier code"
    )


@pytest.mark.exercise("flights_of_carrier")
@pytest.mark.points(1)
@pytest.mark.hint("compare flight_date with the date parameter, not with month/day columns")
def test_another_day_other_flights(queries, loaded):
    with loaded.connect() as conn:
        day2 = queries.flights_of_carrier(conn, "AA", JAN2)
        day3 = queries.flights_of_carrier(conn, "AA", JAN2 + dt.timedelta(days=1))
        none = queries.flights_of_carrier(conn, "AA", dt.date(2013, 2, 1))
    assert len(day2) and len(day3) and len(none) == 0, "filter on the date that was asked for"
    assert set(day2["day"]) == {2} and set(day3["day"]) == {3}


@pytest.mark.exercise("flights_of_carrier")
@pytest.mark.points(1)
@pytest.mark.hint(
    "give the date parameter a date type: SQLite stores dates as 'YYYY-MM-DD' text, and an "
    "untyped Timestamp is sent with a time, '2013-01-02 00:00:00', which matches nothing"
)
def test_a_timestamp_at_midnight_means_that_day(queries, loaded):
    on = pd.Timestamp(JAN2)  # how a date comes out of a DataFrame
    with loaded.connect() as conn:
        expected = queries.flights_of_carrier(conn, "AA", JAN2)
        got = queries.flights_of_carrier(conn, "AA", on)
    assert len(expected) > 0 and len(got) == len(expected), (
        f"{len(got)} flights for {on!r}, {len(expected)} for the date: sent untyped, a "
        "Timestamp reaches SQLite as '2013-01-02 00:00:00', which is not the stored '2013-01-02'"
    )


# --- reference checks ---------------------------------------------------------------------


def test_delay_rate_by_matches_week01(loaded, jan_flights):
    from week01_data.explore import delay_rate_by as pandas_rate
    from week01_data.target import add_target
    from week04_sql.queries import delay_rate_by

    with loaded.connect() as conn:
        got = delay_rate_by(conn, ["origin", "carrier"], dt.date(2013, 1, 1), JAN2)
    expected = pandas_rate(add_target(jan_flights[jan_flights["day"] <= 2]), ["origin", "carrier"])
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_delay_rate_by_refuses_an_unknown_column(loaded):
    from week04_sql.queries import delay_rate_by

    with loaded.connect() as conn, pytest.raises(ValueError, match="carrier; DROP"):
        delay_rate_by(conn, "carrier; DROP TABLE flights", JAN2, JAN2)
