"""Reference checks of the online store: it serves, from the schedule alone, exactly the
features the model was trained on (the skew check), a day materialized twice changes nothing
and a failed one nothing at all, a broken window is named, and a lookup says clearly what it
cannot answer. A lookup of one flight is a few point reads by primary key, however many
groups and routes the store holds, and the routes it keeps in memory follow every
materialisation. (Its speed is measured by ``bench-lookup``, not asserted here.)"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from typer.testing import CliRunner

DAYS = range(1, 6)


@pytest.fixture
def store(db):
    """1-5 January loaded and materialized in an empty database of the backend."""
    from week04_sql.load import days_of, load_days
    from week04_sql.online import materialize

    load_days(db, days_of(1, DAYS))
    for day in DAYS:
        materialize(db, dt.date(2013, 1, day))
    return db


def test_the_store_serves_the_models_features(store):
    from week04_sql.online import skew_check

    with store.connect() as conn:
        problems = skew_check(conn, dt.date(2013, 1, 1), dt.date(2013, 1, 5))
    assert problems == [], "\n".join(problems)


def test_materializing_a_day_twice_changes_nothing(store):
    from week04_sql.load import table_checksum
    from week04_sql.online import materialize, online_metadata

    def state():
        with store.connect() as conn:
            return {t.name: table_checksum(conn, t) for t in online_metadata.sorted_tables}

    before = state()
    materialize(store, dt.date(2013, 1, 3))
    assert state() == before, "a second materialize of a day must leave the store as it was"


def test_a_failed_materialisation_leaves_the_store_as_it_was(store, monkeypatch):
    """One transaction: a run that fails after replacing the day's rows leaves the day as it
    was (a reader never sees it half written), though the run had changes to write."""
    import sqlalchemy as sa

    from week04_sql import online
    from week04_sql.load import table_checksum
    from week04_sql.schema import flights

    def state():
        with store.connect() as conn:
            return {t.name: table_checksum(conn, t) for t in online.online_metadata.sorted_tables}

    before = state()
    with store.begin() as conn:  # every flight of 2 January late, a route re-measured on the 3rd
        conn.execute(sa.update(flights).where(_on(2)).values(arr_delay=120))
        conn.execute(sa.update(flights).where(_on(3), _ewr_iah()).values(distance=1417))

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(online, "table_checksum", fail)  # the last step, after every write
    with pytest.raises(RuntimeError, match="went away"):
        online.materialize(store, dt.date(2013, 1, 3))
    assert state() == before, "a failed materialisation must leave the store as it was"
    monkeypatch.undo()
    online.materialize(store, dt.date(2013, 1, 3))
    changed = {name for name, checksum in state().items() if checksum != before[name]}
    assert changed == {"online_rates", "online_routes", "online_versions"}, changed


def _on(day: int):
    from week04_sql.schema import flights

    return flights.c.flight_date == dt.date(2013, 1, day)


def _ewr_iah():
    from week04_sql.schema import flights

    return (flights.c.origin == "EWR") & (flights.c.dest == "IAH")


def test_rates_rolled_forward_equal_the_counts_from_every_flight(store):
    """materialize() rolls the all-history rates forward from the day before: the same rows as
    counting every earlier flight (rates_as_of), group by group."""
    from week04_sql.online import RATES, rates_as_of, rolled_forward

    unwindowed = [f for f in RATES if f.window is None]
    assert unwindowed, "the registry has no rate over every earlier day any more"
    day = dt.date(2013, 1, 5)
    with store.connect() as conn:
        for feature in unwindowed:
            rolled = rolled_forward(conn, feature, day)
            assert rolled is not None, f"{feature.name}: 4 January is in the store, so it rolls"
            key = lambda r: r["group_key"]  # noqa: E731
            assert sorted(rolled, key=key) == sorted(rates_as_of(conn, feature, day), key=key)
        windowed = next(f for f in RATES if f.window is not None)
        assert rolled_forward(conn, windowed, day) is None, "a windowed rate cannot roll"
        assert rolled_forward(conn, unwindowed[0], dt.date(2013, 1, 1)) is None, (
            "nothing is stored as of 31 December: count from the flights"
        )


def test_a_broken_window_in_the_store_is_named(store, monkeypatch):
    from week04_sql import online

    # the store's airline rate over 1 day instead of the registry's 28: a window written twice
    broken = [
        dataclasses.replace(f, window=1) if f.name == "past_rate_carrier_28d" else f
        for f in online.RATES
    ]
    monkeypatch.setattr(online, "RATES", broken)
    online.materialize(store, dt.date(2013, 1, 4))
    with store.connect() as conn:
        problems = online.skew_check(conn, dt.date(2013, 1, 4), dt.date(2013, 1, 4))
    assert len(problems) == 1 and problems[0].startswith("past_rate_carrier_28d: "), problems
    assert "first 2013-01-04 " in problems[0] and "vs week03" in problems[0]


def _one(carrier="UA", origin="EWR", dest="IAH", when="2013-01-04 07:30", tailnum="N14228"):
    return pd.DataFrame(
        {
            "carrier": [carrier],
            "flight": [1545],
            "origin": [origin],
            "dest": [dest],
            "sched_dep": [pd.Timestamp(when, tz="America/New_York")],
            "tailnum": [tailnum],
        }
    )


def test_one_flight_from_its_schedule(store):
    from week03_ml.features import FEATURES
    from week04_sql.online import lookup

    with store.connect() as conn:
        got = lookup(conn, _one())
    assert list(got.columns) == FEATURES
    row = got.iloc[0]
    assert (row["dep_hour"], row["day_of_week"], row["distance"]) == (7, 4, 1400.0)
    assert row["plane_year"] == 1999 and row["plane_engine"] == "Turbo-fan"
    assert 0 < row["past_rate_route"] < 1 and not pd.isna(row["temp"])


def test_what_a_lookup_cannot_answer(store):
    from week04_sql.online import StoreNotReady, UnknownRoute, lookup

    with store.connect() as conn, pytest.raises(StoreNotReady, match="2013-01-09"):
        lookup(conn, _one(when="2013-01-09 07:30"))
    with store.connect() as conn, pytest.raises(UnknownRoute, match="EWR-XYZ"):
        lookup(conn, _one(dest="XYZ"))
    with store.connect() as conn:
        unknown_plane = lookup(conn, _one(tailnum="N00000")).iloc[0]
        no_tail = lookup(conn, _one(tailnum=None)).iloc[0]
    for row in (unknown_plane, no_tail):
        assert pd.isna(row["plane_year"]) and pd.isna(row["plane_engine"]), (
            "an unknown plane gets NaN plane features, as in training (16 % of tails)"
        )


def test_a_read_only_engine_answers_the_same_without_transactions(store):
    """The engine week05's service reads the store with: on PostgreSQL no BEGIN/ROLLBACK per
    request (AUTOCOMMIT), the same features as a transactional connection."""
    from week04_sql.db import make_engine
    from week04_sql.online import lookup

    url = store.url.render_as_string(hide_password=False)
    search_path = store.dialect.name == "postgresql"  # the test's own schema
    options = (
        {"connect_args": {"options": f"-c search_path={_schema(store)}"}} if search_path else {}
    )
    reader = make_engine(url, read_only=True, **options)
    try:
        with store.connect() as conn:
            expected = lookup(conn, _one())
        with Statements(reader) as seen, reader.connect() as conn:
            got = lookup(conn, _one())
        pd.testing.assert_frame_equal(got, expected)
        if store.dialect.name == "postgresql":
            assert reader.get_execution_options()["isolation_level"] == "AUTOCOMMIT"
        else:
            assert "isolation_level" not in reader.get_execution_options()
        assert seen.run, "the reader ran no statement"
    finally:
        reader.dispose()


def _schema(engine):
    import sqlalchemy as sa

    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT current_schema()")).scalar_one()


class Statements:
    """The statements an engine runs inside ``with Statements(engine)`` (SQLAlchemy's
    ``before_cursor_execute`` event), each with its DBAPI parameters."""

    def __init__(self, engine):
        self.engine, self.run = engine, []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.run.append((statement, parameters))

    def __enter__(self):
        import sqlalchemy as sa

        sa.event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        import sqlalchemy as sa

        sa.event.remove(self.engine, "before_cursor_execute", self._record)

    def selects(self):
        return [(sql, p) for sql, p in self.run if sql.lstrip().upper().startswith("SELECT")]

    def rows_read(self):
        """How many rows the SELECTs return (run again, once the ``with`` is over)."""
        with self.engine.connect() as conn:
            return sum(len(conn.exec_driver_sql(sql, p).all()) for sql, p in self.selects())


def test_one_flight_is_a_few_point_reads_however_big_the_store(store):
    """The same statements, and a few rows read in all, as of 1 January (the store holds 6
    rates for the day: no history yet) and as of 5 January (348: every group seen since)."""
    import sqlalchemy as sa

    from week04_sql.online import RATES, lookup, online_rates

    with store.connect() as conn:
        lookup(conn, _one())  # the first lookup of the routes' version reads them all, once
        per_day = dict(
            conn.execute(
                sa.select(online_rates.c.as_of, sa.func.count()).group_by(online_rates.c.as_of)
            ).all()
        )
    assert per_day[dt.date(2013, 1, 1)] == len(RATES) < 300 < per_day[dt.date(2013, 1, 5)]
    seen = {}
    for day in (1, 5):
        with Statements(store) as statements, store.connect() as conn:
            lookup(conn, _one(when=f"2013-01-0{day} 07:30"))
        seen[day] = (len(statements.selects()), statements.rows_read())
    # rates: the flight's group and the '' row of each rate; one reading; one plane; the
    # routes' version: never a day's groups, never every route
    assert seen[1][0] == seen[5][0] <= 4, seen
    assert seen[5][1] <= 2 * len(RATES) + 3, f"(statements, rows read) per day: {seen}"


def test_the_rates_are_read_through_the_primary_key(store):
    """The store's schema keys online_rates by (as_of, feature, group_key), and the plan of
    the rates statement of one flight (one group per rate) searches that index on all three
    columns, a probe per row: never a scan of the table, nor of a day's groups."""
    import sqlalchemy as sa

    from week04_sql.explain import query_plan
    from week04_sql.online import RATES, _rates_of, online_rates

    key = sa.inspect(store).get_pk_constraint(online_rates.name)
    assert key["constrained_columns"] == ["as_of", "feature", "group_key"], key
    one_flight = {f.name: ["EWR"] for f in RATES}
    statement = _rates_of(tuple(one_flight)).params(day=dt.date(2013, 1, 5), **one_flight)
    with store.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ANALYZE {online_rates.name}")  # as autovacuum would
        sql = statement.compile(
            conn, compile_kwargs={"literal_binds": True, "render_postcompile": True}
        )
        plan = query_plan(conn, str(sql), {})
    assert not any("SCAN online_rates" in line or "Seq Scan" in line for line in plan), plan
    # SQLite names the key's index sqlite_autoindex_online_rates_1; PostgreSQL, the constraint
    index = "pk_online_rates" if store.dialect.name == "postgresql" else "sqlite_autoindex_"
    assert sum(index in line for line in plan) == 2 * len(RATES), plan  # a group's, and ''
    searched = [line for line in plan if "as_of" in line]  # SQLite: (as_of=? AND feature=?...
    assert len(searched) == 2 * len(RATES), plan
    assert all("feature" in line and "group_key" in line for line in searched), plan


def test_one_flight_is_one_statement_that_serves_what_a_batch_serves(store):
    """A service's request (one flight) is one SELECT returning one row, every table joined on
    its key: online_rates twice per rate (the flight's group, and ''), each an index search on
    all three columns of its key, never a scan. A batch reads each table once for all its
    flights. Flight by flight, both serve the same features: every tenth flight of 1 January
    (no history yet: every group gets the '' row) and of 5 January (four days of it)."""
    from week04_sql.online import RATES, lookup, online_rates, schedule_of

    with store.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ANALYZE {online_rates.name}")  # as autovacuum would
        lookup(conn, _one())  # the first lookup through an engine looks for the store's tables
    with Statements(store) as statements, store.connect() as conn:
        lookup(conn, _one(when="2013-01-05 07:30"))
    assert len(statements.selects()) == 1 and statements.rows_read() == 1, statements.run
    ((sql, params),) = statements.selects()
    sqlite = store.dialect.name == "sqlite"
    with store.connect() as conn:  # the plan of the statement as run, with its parameters
        explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        plan = [str(row[-1]) for row in conn.exec_driver_sql(explain + sql, params)]
    scans = ("SCAN online_rates", "Seq Scan on online_rates")  # SQLite's, PostgreSQL's
    assert not any(scan in line for scan in scans for line in plan), plan
    index = "sqlite_autoindex_online_rates_" if sqlite else "pk_online_rates"
    assert sum(index in line for line in plan) == 2 * len(RATES), plan
    # SQLite: (as_of=? AND feature=? AND group_key=?); PostgreSQL: the Index Cond line after
    conditions = [line for line in plan if (index if sqlite else "as_of =") in line]
    assert len(conditions) == 2 * len(RATES), plan
    assert all("feature" in line and "group_key" in line for line in conditions), plan
    with store.connect() as conn:
        for day in (dt.date(2013, 1, 1), dt.date(2013, 1, 5)):
            schedule = schedule_of(conn, day, day).drop(columns="distance")
            batch = lookup(conn, schedule)
            for i in range(0, len(schedule), 10):
                one = lookup(conn, schedule.iloc[[i]])
                pd.testing.assert_frame_equal(one, batch.iloc[[i]], obj=f"flight {i} of {day}")


def test_a_materialisation_after_a_lookup_is_seen_by_the_next(store):
    """The routes kept in memory are those of the store's current version: re-measuring a
    route and materializing the day changes the distance the very next lookup serves."""
    import sqlalchemy as sa

    from week04_sql.online import lookup, materialize
    from week04_sql.schema import flights

    with store.connect() as conn:
        assert lookup(conn, _one(when="2013-01-05 07:30")).iloc[0]["distance"] == 1400.0
    with store.begin() as conn:
        conn.execute(sa.update(flights).where(_on(5), _ewr_iah()).values(distance=1417))
    materialize(store, dt.date(2013, 1, 5))
    with store.connect() as conn:
        assert lookup(conn, _one(when="2013-01-05 07:30")).iloc[0]["distance"] == 1417.0


def test_cli_bench_lookup_times_warm_and_cold_keys(store, monkeypatch):
    from week04_sql import __main__ as cli

    monkeypatch.setattr(cli, "_engine", lambda url, read_only=False: store)
    got = CliRunner().invoke(cli.app, ["bench-lookup", "--day", "2013-01-05", "--repeats", "3"])
    assert got.exit_code == 0, got.output
    for keys in ("warm (the same flight again)", "cold (distinct flights, first time)"):
        assert keys in got.output, got.output
    assert "in one batch" in got.output, got.output


@pytest.mark.slow
def test_cli_skew_check_of_a_month(tmp_path, monkeypatch):
    from course.cli_support import CourseError
    from week04_sql.__main__ import app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/skew.db")
    got = CliRunner().invoke(app, ["skew-check", "--month", "2013-01"])
    assert got.exit_code == 0, got.output
    assert "every feature of every flight" in got.output
    bad = CliRunner().invoke(app, ["skew-check", "--month", "2013-13"])
    assert isinstance(bad.exception, CourseError) and "'2013-13'" in str(bad.exception)


def test_a_sliding_rain_sum_leaves_no_residue():
    """Three wet hours then three dry ones: SQL's sliding SUM subtracts the readings that
    leave the window and can end at 1e-16 or -2.8e-17 instead of 0 (pandas' rolling sum gives
    0); a negative precipitation is refused by the API's schema, so the store must say 0."""
    import sqlalchemy as sa

    from week04_sql.db import make_engine
    from week04_sql.features import recent_weather
    from week04_sql.online import RECENT
    from week04_sql.schema import airports, create_schema, weather

    engine = make_engine("sqlite://")
    create_schema(engine)
    rain = [0.1, 0.2, 0.3, 0.0, 0.0, 0.0]
    rows = [
        {"origin": "EWR", "time_hour": dt.datetime(2013, 9, 12, h), "year": 2013, "month": 9,
         "day": 12, "hour": h, "precip": p}
        for h, p in enumerate(rain)
    ]  # fmt: skip
    feature = next(f for f in RECENT if f.how == "sum" and f.window == 3)
    with engine.begin() as conn:
        conn.execute(airports.insert(), {"faa": "EWR", "name": "Newark", "lat": 40.7, "lon": -74.2,
                                         "alt": 18})  # fmt: skip
        conn.execute(weather.insert(), rows)
        sums = conn.execute(
            sa.select(weather.c.hour, recent_weather(feature)).order_by(weather.c.hour)
        ).all()
    assert [s for _, s in sums][-1] == 0.0, f"{feature.name} after three dry hours: {sums}"
    assert all(s >= 0 for _, s in sums), sums
