"""Exercise 7: the online store's past rates as of a date (``rates_as_of``): only the days
before it, only its window, labelled flights only, smoothed exactly as the model's features."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from week03_ml.features import BY_NAME
from week04_sql import schema

ROUTE = BY_NAME["past_rate_route"]  # origin + dest, every earlier day
CARRIER = BY_NAME["past_rate_carrier_28d"]  # carrier, 28 days
ORIGIN_HOUR = BY_NAME["past_rate_origin_hour"]  # origin + scheduled hour, every earlier day
YESTERDAY = BY_NAME["past_rate_all_1d"]  # every flight, the day before only


def _flight(
    day: int, carrier: str, number: int, arr_delay: float | None, *, dest="ORD", local_hour=5
) -> dict:
    return {
        "flight_date": dt.date(2013, 1, day),
        "carrier": carrier,
        "flight": number,
        "origin": "EWR",
        "year": 2013,
        "month": 1,
        "day": day,
        "sched_dep_time": 100 * local_hour,
        "sched_arr_time": 800,
        "arr_delay": arr_delay,
        "dest": dest,
        "distance": 700,
        "hour": local_hour,
        "minute": 0,
        "time_hour": dt.datetime(2013, 1, day, local_hour + 5),
    }


# UA: 1 Jan late + on time, 2 Jan late + cancelled, 3 Jan on time, 5 Jan late (the day scored);
# AA: 2 Jan late to BOS at 7:00.
FLIGHTS = [
    _flight(1, "UA", 1, 40),
    _flight(1, "UA", 2, 0),
    _flight(2, "UA", 3, 30),
    _flight(2, "UA", 4, None),
    _flight(3, "UA", 5, -4),
    _flight(5, "UA", 6, 90),
    _flight(2, "AA", 7, 55, dest="BOS", local_hour=7),
]


@pytest.fixture
def stored(db):
    with db.begin() as conn:
        conn.execute(schema.airlines.insert(), [{"carrier": c, "name": c} for c in ("UA", "AA")])
        conn.execute(
            schema.airports.insert(),
            [
                {"faa": code, "name": code, "lat": 0.0, "lon": 0.0, "alt": 0}
                for code in ("EWR", "ORD", "BOS")
            ],
        )
        conn.execute(schema.flights.insert(), FLIGHTS)
    return db


def _rows(online, engine, feature, day: int) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = online.rates_as_of(conn, feature, dt.date(2013, 1, day))
    return {row["group_key"]: row for row in rows}


@pytest.mark.exercise("rates_as_of")
@pytest.mark.points(3)
@pytest.mark.hint(
    "flight_date < day, never <=: the flights of the day scored have not landed yet "
    "when they are scored, so their delays are unknown"
)
def test_the_day_itself_never_counts(online, stored):
    rows = _rows(online, stored, CARRIER, 5)
    assert (rows["UA"]["delayed"], rows["UA"]["labelled"]) == (2, 4), (
        f"UA as of 5 Jan: 2 late of 4 labelled flights on 1-3 Jan, got "
        f"{rows['UA']['delayed']} of {rows['UA']['labelled']}: is the late flight of 5 Jan "
        "(the day being scored) in your count?"
    )


@pytest.mark.exercise("rates_as_of")
@pytest.mark.points(2)
@pytest.mark.hint(
    "COUNT(flag) counts the flights whose outcome is known; COUNT(*) also counts the "
    "cancelled one, as if it had been on time"
)
def test_a_cancelled_flight_is_not_labelled(online, stored):
    rows = _rows(online, stored, CARRIER, 3)
    assert rows["UA"]["labelled"] == 3, (
        f"UA as of 3 Jan: 3 labelled flights on 1-2 Jan (the cancelled one has no outcome), "
        f"got {rows['UA']['labelled']}"
    )


@pytest.mark.exercise("rates_as_of")
@pytest.mark.points(3)
@pytest.mark.hint(
    "a window of N days is flight_date >= day - N and < day; a window of None is every "
    "earlier day; as of day D, a 1-day window is D-1 alone"
)
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(3, (2, 2), id="as-of-3-jan-is-2-jan"),
        pytest.param(4, (0, 1), id="as-of-4-jan-is-3-jan"),
        pytest.param(5, (0, 0), id="as-of-5-jan-4-jan-is-empty"),
    ],
)
def test_a_one_day_window_is_the_day_before(online, stored, day, expected):
    every = _rows(online, stored, YESTERDAY, day)[""]
    assert (every["delayed"], every["labelled"]) == expected, (
        f"every flight as of {day} Jan over 1 day: expected {expected[0]} late of "
        f"{expected[1]} labelled (the day before only), got {every['delayed']} of "
        f"{every['labelled']}: off by one day?"
    )


@pytest.mark.exercise("rates_as_of")
@pytest.mark.points(3)
@pytest.mark.hint(
    "value = (delayed + smoothing * prior) / (labelled + smoothing), the prior being the "
    "rate of every flight over the same days: exactly week03's past_delay_rate"
)
def test_values_are_the_models_features(online, stored):
    from week01_data.target import add_target
    from week03_ml.features import past_delay_rate

    frame = add_target(pd.DataFrame(FLIGHTS))
    frame["dep_hour"] = frame["hour"]
    for feature in (ROUTE, CARRIER, ORIGIN_HOUR, YESTERDAY):
        expected = past_delay_rate(frame, feature.keys, feature.window, feature.smoothing)
        for i, flight in frame.iterrows():
            rows = _rows(online, stored, feature, int(flight["day"]))
            key = "|".join(str(flight[k]) for k in feature.keys)
            got = rows.get(key, rows[""])["value"]
            want = expected[i]
            assert (got is None and pd.isna(want)) or got == pytest.approx(want, rel=1e-9), (
                f"{feature.name} for flight {flight['carrier']} {flight['flight']} on "
                f"{flight['day']} Jan: the model was trained on {want}, the store would serve "
                f"{got}"
            )


@pytest.mark.exercise("rates_as_of")
@pytest.mark.points(2)
@pytest.mark.hint(
    "one row for every flight (group_key ''), first, then one per group; group_key joins the "
    "group's values with '|' in feature.keys order (group_key() does it)"
)
def test_rows_and_their_keys(online, stored):
    with stored.connect() as conn:
        rows = online.rates_as_of(conn, ORIGIN_HOUR, dt.date(2013, 1, 5))
    assert rows[0]["group_key"] == "", "the row of every flight comes first"
    assert {row["group_key"] for row in rows} == {"", "EWR|5", "EWR|7"}, (
        f"groups {sorted(row['group_key'] for row in rows)}: origin then hour, as 'EWR|5'"
    )
    assert all(
        row["as_of"] == dt.date(2013, 1, 5) and row["feature"] == ORIGIN_HOUR.name for row in rows
    ), "every row says which feature and which date it serves"
    assert all(type(row["delayed"]) is int and type(row["labelled"]) is int for row in rows), (
        "the counts are plain ints"
    )
    with stored.connect() as conn:
        only = online.rates_as_of(conn, YESTERDAY, dt.date(2013, 1, 5))
    assert [row["group_key"] for row in only] == [""], "a feature without keys has one row"


@pytest.mark.exercise("rates_as_of")
@pytest.mark.points(1)
@pytest.mark.hint("no labelled flight before the day: the prior is unknown, so every value is None")
def test_nothing_known_yet_is_none(online, stored):
    rows = _rows(online, stored, ROUTE, 1)
    assert rows[""]["value"] is None and rows[""]["labelled"] == 0, (
        f"as of 1 Jan nothing has landed: value None, 0 labelled; got {rows['']}"
    )
