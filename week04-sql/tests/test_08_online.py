"""Reference checks of the online store: it serves, from the schedule alone, exactly the
features the model was trained on (the skew check), a day materialized twice changes nothing,
a broken window is named, and a lookup says clearly what it cannot answer."""

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
