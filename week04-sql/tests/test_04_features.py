"""Exercises 4-5: the weather at the right hour (``weather_join``) and trailing windows that do
not peek at the same day (``trailing_counts``, which the model's past delay rates are built on);
reference checks of the feature table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from week04_sql import schema
from week04_sql.db import day_number

EPOCH = dt.date(1970, 1, 1)


def _day(day: int) -> int:
    """day_number of 2013-01-<day>."""
    return (dt.date(2013, 1, day) - EPOCH).days


def _flight(
    day: int,
    carrier: str,
    flight: int,
    arr_delay: float | None,
    *,
    origin: str = "EWR",
    utc_hour: int = 10,
    dest: str = "ORD",
) -> dict:
    return {
        "flight_date": dt.date(2013, 1, day),
        "carrier": carrier,
        "flight": flight,
        "origin": origin,
        "year": 2013,
        "month": 1,
        "day": day,
        "sched_dep_time": 500,
        "sched_arr_time": 800,
        "arr_delay": arr_delay,
        "dest": dest,
        "distance": 700,
        "hour": utc_hour - 5,
        "minute": 0,
        "time_hour": dt.datetime(2013, 1, day, utc_hour),
    }


def _insert(engine, flights: list[dict], weather: list[dict] | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(schema.airlines.insert(), [{"carrier": c, "name": c} for c in ("AA", "UA")])
        conn.execute(
            schema.airports.insert(),
            [
                {"faa": code, "name": code, "lat": 0.0, "lon": 0.0, "alt": 0}
                for code in ("EWR", "JFK", "LGA", "ORD")
            ],
        )
        if weather:
            conn.execute(schema.weather.insert(), weather)
        conn.execute(schema.flights.insert(), flights)


def _weather(origin: str, day: int, utc_hour: int, temp: float) -> dict:
    return {
        "origin": origin,
        "time_hour": dt.datetime(2013, 1, day, utc_hour),
        "year": 2013,
        "month": 1,
        "day": day,
        "hour": utc_hour - 5,
        "temp": temp,
    }


def _run(engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(stmt, conn)


# --- weather_join -------------------------------------------------------------------------


@pytest.mark.exercise("weather_join")
@pytest.mark.points(2)
@pytest.mark.hint(
    "join on the origin AND the scheduled hour (time_hour, UTC in both tables): each flight "
    "gets its own airport's reading at its own hour"
)
def test_each_flight_gets_its_origins_weather_at_its_hour(features, db):
    weather = [
        _weather("EWR", 1, 10, 39.0),
        _weather("JFK", 1, 10, 41.0),
        _weather("EWR", 1, 11, 38.0),
        _weather("ORD", 1, 10, 20.0),
    ]
    flights = [
        _flight(1, "AA", 1, 0, origin="JFK"),
        _flight(1, "AA", 2, 0, utc_hour=11),
        _flight(1, "UA", 3, 0),
    ]
    _insert(db, flights, weather)
    got = _run(db, features.weather_join()).sort_values("flight")
    assert len(got) == 3, f"3 flights in, {len(got)} rows out: join on origin AND time_hour"
    assert got["temp"].tolist() == [41.0, 38.0, 39.0], (
        f"temps {got['temp'].tolist()}: each flight needs its own origin's reading at its "
        "scheduled hour (not the destination's, not another hour's)"
    )


@pytest.mark.exercise("weather_join")
@pytest.mark.points(1)
@pytest.mark.hint("an inner JOIN drops flights whose hour has no reading: use a LEFT (outer) join")
def test_a_flight_without_weather_is_kept(features, db):
    _insert(
        db,
        [_flight(1, "AA", 1, 0, origin="LGA"), _flight(1, "AA", 2, 0)],
        [_weather("EWR", 1, 10, 39.0)],
    )
    got = _run(db, features.weather_join()).sort_values("flight")
    assert len(got) == 2, "the LGA flight has no weather reading but must stay in the table"
    assert pd.isna(got["temp"].iloc[0]) and got["temp"].iloc[1] == 39.0, (
        f"temps {got['temp'].tolist()}: LGA has no reading (NULL), EWR at 10:00 UTC has 39.0"
    )


@pytest.mark.exercise("weather_join")
@pytest.mark.points(2)
@pytest.mark.hint(
    "select every flights column plus the weather measurements temp ... visib "
    "(week01_data.join.WEATHER_COLUMNS)"
)
def test_real_days_every_flight_once_with_weather(features, loaded, jan_flights):
    from week01_data.join import WEATHER_COLUMNS

    got = _run(loaded, features.weather_join())
    assert len(got) == len(jan_flights), f"{len(jan_flights)} flights in, {len(got)} rows out"
    missing = sorted({"carrier", "flight", "origin", "dest", *WEATHER_COLUMNS} - set(got.columns))
    assert not missing, f"columns missing from the result: {missing}"
    assert got["temp"].notna().mean() > 0.99, "almost every flight has a reading at its hour"
    first = got[(got["origin"] == "EWR") & (got["sched_dep_time"] == 515) & (got["day"] == 1)].iloc[
        0
    ]
    assert first["temp"] == pytest.approx(39.02), (
        "EWR 05:15 on 1 Jan (10:00 UTC) should see 39.02 °F; did you join on the local hour?"
    )


# --- trailing_counts ----------------------------------------------------------------------

# AA: 1 Jan delayed + on time; 2 Jan delayed + cancelled; 3 Jan on time; 12 Jan on time.
# UA: 1 Jan delayed. Expected AA 7-day rates: 1 Jan none, 2 Jan 1/2, 3 Jan 2/3, 12 Jan none.
HISTORY = [
    _flight(1, "AA", 1, 60),
    _flight(1, "AA", 2, 0),
    _flight(2, "AA", 3, 30),
    _flight(2, "AA", 4, None),
    _flight(3, "AA", 5, -5),
    _flight(12, "AA", 6, 0),
    _flight(1, "UA", 7, 100),
]


def _counts(features, engine, by=("carrier",), days: int | None = 7) -> pd.DataFrame:
    """carrier, day, delayed, known: the learner's two window expressions over every flight."""
    flights = schema.flights
    delayed, known = features.trailing_counts(list(by), days)
    stmt = sa.select(
        flights.c.carrier,
        day_number(flights.c.flight_date).label("day"),
        delayed.label("delayed"),
        known.label("known"),
    )
    got = _run(engine, stmt)
    spread = got.groupby(["carrier", "day"])[["delayed", "known"]].nunique(dropna=False)
    assert (spread == 1).all().all(), (
        "flights of one carrier on one day get different counts: the frame depends on the row "
        "order within the day (ROWS instead of RANGE?)"
    )
    return got


def _rates(features, engine, days: int | None = 7) -> dict[tuple[str, int], float | None]:
    """{(carrier, day): delayed / known}, None where no flight of the frame is labelled."""
    got = _counts(features, engine, days=days)
    rates = {}
    for row in got.itertuples():
        known = 0 if pd.isna(row.known) else int(row.known)
        delayed = 0 if pd.isna(row.delayed) else float(row.delayed)
        rates[(row.carrier, int(row.day))] = None if known == 0 else delayed / known
    return rates


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the frame must end at 1 PRECEDING, not CURRENT ROW: today's delays are not "
    "known when today's flights leave"
)
def test_the_window_never_sees_the_same_day(features, db):
    _insert(db, HISTORY)
    rates = _rates(features, db)
    assert rates[("AA", _day(1))] is None, (
        f"AA on 1 Jan has no earlier day, got rate {rates[('AA', _day(1))]}: the window "
        "includes the same day"
    )
    assert rates[("AA", _day(2))] == pytest.approx(0.5), (
        f"AA on 2 Jan: 1 of 2 flights on 1 Jan were delayed, got {rates[('AA', _day(2))]}"
    )


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(2)
@pytest.mark.hint(
    "COUNT(flag) counts only labelled flights; COUNT(*) counts a cancelled flight as on time"
)
def test_cancelled_flights_are_not_on_time(features, db):
    _insert(db, HISTORY)
    got = _rates(features, db)[("AA", _day(3))]
    assert got == pytest.approx(2 / 3), (
        f"AA on 3 Jan: 2 delayed of 3 labelled flights on 1-2 Jan, got {got}; the cancelled "
        "flight of 2 Jan has no label and counts in neither sum"
    )


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(2)
@pytest.mark.hint(
    "ROWS counts rows, RANGE counts values of the ORDER BY key: a frame of days needs RANGE "
    "over the flight date as a day number (day_number)"
)
def test_the_window_counts_calendar_days_not_rows(features, db):
    _insert(db, HISTORY)
    week = _rates(features, db, 7)[("AA", _day(12))]
    month = _rates(features, db, 30)[("AA", _day(12))]
    assert week is None, (
        f"AA on 12 Jan got {week}: 5-11 January have no AA flight, so the 7-day rate is "
        "unknown (a ROWS frame reaches back to 1-3 January)"
    )
    assert month == pytest.approx(2 / 4), f"AA on 12 Jan over 30 days: 2 of 4, got {month}"


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(1)
@pytest.mark.hint("PARTITION BY the group columns: United's delays are not American's")
def test_each_group_has_its_own_window(features, db):
    _insert(db, HISTORY)
    rates = _rates(features, db)
    assert rates[("UA", _day(1))] is None, (
        f"UA on 1 Jan got {rates[('UA', _day(1))]}: it has no earlier day of its own"
    )
    assert rates[("AA", _day(2))] == pytest.approx(0.5), (
        f"AA on 2 Jan got {rates[('AA', _day(2))]}: the UA delay of 1 Jan leaked into AA's window"
    )


# AA: 1 Jan delayed; 2 Jan cancelled only; 3 Jan on time; 4 Jan delayed.
YESTERDAY = [
    _flight(1, "AA", 1, 45),
    _flight(2, "AA", 2, None),
    _flight(3, "AA", 3, 0),
    _flight(4, "AA", 4, 20),
]


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(2)
@pytest.mark.hint(
    "days=1 is a valid window: RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING is "
    "yesterday. A frame whose flights are all cancelled has no label: the rate is "
    "NULL (COUNT(flag) = 0), not 0"
)
def test_a_one_day_window_is_yesterday(features, db):
    _insert(db, YESTERDAY)
    rates = _rates(features, db, 1)
    got = [rates[("AA", _day(day))] for day in (1, 2, 3, 4)]
    assert got[1] == pytest.approx(1.0) and got[3] == pytest.approx(0.0), (
        f"1-day rates on 1-4 Jan: {got}; 2 Jan sees only 1 Jan (delayed: 1.0), 4 Jan only "
        "3 Jan (on time: 0.0)"
    )
    assert got[0] is None and got[2] is None, (
        f"1-day rates on 1-4 Jan: {got}; 3 Jan sees only 2 Jan, whose one flight was "
        "cancelled: no labelled flight, so NULL (COUNT(*) would make it 0 of 1)"
    )


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(1)
@pytest.mark.hint(
    "check the arguments before building the window: days must be at least 1 (None is "
    "allowed), every name of by a column of flights; put the bad value in the message"
)
@pytest.mark.parametrize(
    ("by", "days", "named"),
    [
        pytest.param(["carrier"], -3, "-3", id="days-below-1"),
        pytest.param(["carrier"], 0, "0", id="days-zero"),
        pytest.param(["carrier", "airline"], 7, "airline", id="unknown-column"),
    ],
)
def test_trailing_counts_refuses_bad_arguments(features, by, days, named):
    with pytest.raises(ValueError) as raised:
        features.trailing_counts(by, days)
    assert named in str(raised.value), (
        f"the error {str(raised.value)!r} should name the bad value {named}"
    )


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(2)
@pytest.mark.hint(
    "days=None means every earlier day: a frame unbounded at the start, still ending the day "
    "before (never the same day)"
)
def test_no_days_means_every_earlier_day(features, db):
    _insert(db, HISTORY)
    rates = _rates(features, db, None)
    assert rates[("AA", _day(12))] == pytest.approx(2 / 4), (
        f"AA on 12 Jan over all history got {rates[('AA', _day(12))]}: 2 delayed of 4 "
        "labelled flights on 1-3 Jan (the cancelled one counts in neither)"
    )
    assert rates[("AA", _day(1))] is None, "1 Jan has no earlier day, whatever the window"


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(2)
@pytest.mark.hint(
    "by=[] is every flight together: no PARTITION BY at all, the same frame over the whole table"
)
def test_no_group_counts_every_flight(features, db):
    _insert(db, HISTORY)
    got = _counts(features, db, by=(), days=30)
    day12 = got[got["day"] == _day(12)].iloc[0]
    assert (int(day12["known"]), int(day12["delayed"])) == (5, 3), (
        f"every flight before 12 Jan: 5 labelled, 3 delayed (AA and UA together), got "
        f"{int(day12['known'])} labelled, {day12['delayed']} delayed: did you partition anyway?"
    )


@pytest.mark.exercise("trailing_counts")
@pytest.mark.points(2)
@pytest.mark.hint("partition by every column of `by`: a route is origin AND dest")
def test_real_days_give_week03s_route_rate(features, loaded, jan_flights):
    from week01_data.target import add_target
    from week03_ml.features import BY_NAME, past_delay_rate

    route = BY_NAME["past_rate_route"]  # origin + dest, every earlier day, smoothed
    f = schema.flights
    delayed, known = features.trailing_counts(list(route.keys), route.window)
    all_delayed, all_known = features.trailing_counts([], route.window)
    stmt = sa.select(
        f.c.carrier,
        f.c.flight,
        f.c.origin,
        f.c.day,
        delayed.label("delayed"),
        known.label("known"),
        all_delayed.label("all_delayed"),
        all_known.label("all_known"),
    )
    got = _run(loaded, stmt)
    prior = got["all_delayed"].astype(float) / got["all_known"].where(got["all_known"] > 0)
    s = route.smoothing
    got["rate"] = (got["delayed"].fillna(0) + s * prior) / (got["known"] + s)
    flights = add_target(jan_flights)
    flights["expected"] = past_delay_rate(flights, route.keys, route.window, s)
    both = flights.merge(got, on=["carrier", "flight", "origin", "day"], how="left")
    assert len(both) == len(flights), "one rate per flight"
    same = (both["expected"] - both["rate"]).abs().lt(1e-9) | (
        both["expected"].isna() & both["rate"].isna()
    )
    assert same.all(), (
        f"{(~same).sum()} of {len(both)} flights get another route rate than the model's "
        "(week03's past_delay_rate): partition by origin AND dest, every earlier day"
    )


# --- reference checks of the feature table --------------------------------------------------

LEAKS = {"dep_time", "dep_delay", "arr_time", "arr_delay", "air_time"}


def test_feature_table_one_row_per_flight_and_no_leak(loaded, jan_flights):
    from week03_ml.features import AGGREGATES
    from week04_sql.features import build_features

    RATE_COLUMNS = list(AGGREGATES)
    with loaded.connect() as conn:
        got = build_features(conn, dt.date(2013, 1, 5), dt.date(2013, 1, 10))
    assert len(got) == (jan_flights["day"] >= 5).sum()
    assert not got.duplicated(["flight_date", "carrier", "flight", "origin"]).any()
    assert not LEAKS & set(got.columns), "nothing measured after departure is a feature"
    assert got[RATE_COLUMNS].notna().mean().min() > 0.9, "5 January has four days of history"
    assert got["time_hour"].dt.tz is not None and str(got["is_delayed"].dtype) == "boolean"
    assert set(got["day_of_week"]) == {5, 6, 0, 1, 2, 3}, "5-10 Jan 2013 run Saturday-Thursday"


def test_feature_select_checks_its_arguments():
    from week03_ml.features import BY_NAME
    from week04_sql.features import feature_select, past_rate, recent_weather, trailing_counts

    with pytest.raises(ValueError, match="end must not be before start"):
        feature_select(dt.date(2013, 1, 2), dt.date(2013, 1, 1))
    with pytest.raises(ValueError, match="got 0"):
        trailing_counts(["carrier"], 0)
    with pytest.raises(ValueError, match="'nope'"):
        trailing_counts(["nope"], 7)
    with pytest.raises(ValueError, match="not a past rate"):
        past_rate(BY_NAME["precip_3h"])
    with pytest.raises(ValueError, match="not recent weather"):
        recent_weather(BY_NAME["past_rate_route"])


def test_every_value_is_a_bound_parameter():
    from week04_sql.features import feature_select

    compiled = feature_select(dt.date(2013, 1, 1), dt.date(2013, 1, 31)).compile(
        dialect=sa.dialects.sqlite.dialect()
    )
    assert "2013" not in str(compiled), "dates travel as parameters, not inside the SQL"
    assert compiled.params["start"] == dt.date(2013, 1, 1)
    assert compiled.params["delay_threshold"] == 15
