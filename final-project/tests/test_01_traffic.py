"""Exercises 1 and 2: the day's live sample (repeatable, different every day) and the
schedule-only request a passenger's app sends (nothing measured at departure)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

# the stub imports it from the reference: taken from there, never through the learner's module
from capstone.traffic import SCHEDULE_FIELDS


def _day(day: int = 14, flights: int = 100) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": 2013,
            "month": 9,
            "day": day,
            "flight": np.arange(1, flights + 1),
        },
        index=np.arange(1000, 1000 + flights),
    )


@pytest.mark.exercise("sample_flights")
@pytest.mark.points(3)
@pytest.mark.hint(
    "two calls with the same day and seed must choose the same rows: build the generator from "
    "the seed (and the day) inside each call, never from the clock or a shared generator"
)
def test_the_same_seed_gives_the_same_sample(traffic):
    today = _day()
    first = traffic.sample_flights(today, 10, 7)
    again = traffic.sample_flights(today, 10, 7)
    assert len(first) == 10, f"asked for 10 flights, got {len(first)}"
    assert list(first.index) == list(again.index), (
        "two calls with the same day and seed chose different flights: a re-run of the "
        "simulation would ask other questions and its report would change"
    )
    other = traffic.sample_flights(today, 10, 8)
    assert list(other.index) != list(first.index), "another seed must give another sample"


@pytest.mark.exercise("sample_flights")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the day must be part of the seed (a date can be turned into an integer), or every day "
    "samples the same slots of its timetable"
)
def test_each_day_gets_its_own_sample(traffic):
    monday = traffic.sample_flights(_day(16), 10, 7)
    tuesday = traffic.sample_flights(_day(17), 10, 7)
    assert list(monday.index) != list(tuesday.index), (
        "two days with the same flights list asked about the same positions: seed the "
        "generator with the day too, or every day samples the same slots of its timetable"
    )


@pytest.mark.exercise("sample_flights")
@pytest.mark.points(2)
@pytest.mark.hint(
    "choose distinct positions, put them back in the day's order and take those rows by "
    "position: the rows keep their index labels"
)
def test_the_sample_keeps_the_days_order_and_index(traffic):
    today = _day()
    sample = traffic.sample_flights(today, 30, 3)
    assert sample.index.is_unique, "a flight was chosen twice: sample without replacement"
    assert set(sample.index) <= set(today.index), "the sample must keep today's index"
    assert list(sample.index) == sorted(sample.index), (
        "keep the day's order (sorted positions), so requests go out as the timetable runs"
    )
    assert sample.equals(today.loc[sample.index]), "the rows must be today's rows, unchanged"


@pytest.mark.exercise("sample_flights")
@pytest.mark.points(2)
@pytest.mark.hint(
    "never more flights than the day has; n == 0 or an empty day gives an empty frame with "
    "the day's columns"
)
@pytest.mark.parametrize(
    ("flights", "n", "expected"),
    [
        pytest.param(5, 10, 5, id="fewer-flights-than-asked"),
        pytest.param(5, 5, 5, id="exactly-all"),
        pytest.param(5, 0, 0, id="none-asked"),
        pytest.param(5, 1, 1, id="one-asked"),
        pytest.param(1, 1, 1, id="one-flight-today"),
        pytest.param(0, 10, 0, id="no-flight-today"),
    ],
)
def test_the_sample_size_is_bounded_by_the_day(traffic, flights, n, expected):
    today = _day(flights=flights) if flights else _day().iloc[0:0]
    sample = traffic.sample_flights(today, n, 1)
    assert len(sample) == expected, (
        f"{flights} flights, n={n}: expected {expected}, got {len(sample)}"
    )
    assert list(sample.columns) == list(today.columns)


@pytest.mark.exercise("sample_flights")
@pytest.mark.points(1)
@pytest.mark.hint("a negative n is a ValueError whose message names n and the value given")
def test_a_negative_sample_size_is_refused(traffic):
    with pytest.raises(ValueError, match=r"\bn\b.*-3|-3.*\bn\b"):
        traffic.sample_flights(_day(), -3, 1)


def _flight(**change: object) -> pd.Series:
    row = {
        "year": 2013, "month": 9, "day": 14, "carrier": "UA", "flight": np.int64(1545),
        "origin": "EWR", "dest": "IAH", "tailnum": "N14228",
        "sched_dep": pd.Timestamp("2013-09-14 07:30", tz="America/New_York"),
        "dep_time": 742.0, "time_hour": pd.Timestamp("2013-09-14 11:00", tz="UTC"),
        "arr_delay": 33.0, "is_delayed": True, "distance": 1400, "temp": 70.0,
    }  # fmt: skip
    row.update(change)
    return pd.Series(row)


@pytest.mark.exercise("schedule_request")
@pytest.mark.points(3)
@pytest.mark.hint("exactly SCHEDULE_FIELDS; sched_dep.isoformat() of the *scheduled* departure")
def test_the_body_carries_the_schedule_and_nothing_else(traffic):
    call = traffic.schedule_request(_flight())
    assert set(call.body) == set(SCHEDULE_FIELDS), (
        f"the body has {sorted(call.body)}: a schedule-only request carries exactly "
        f"{list(SCHEDULE_FIELDS)} (the arrival delay or the weather would be a leak)"
    )
    assert call.body["sched_dep"] == "2013-09-14T07:30:00-04:00", (
        f"sched_dep {call.body['sched_dep']!r}: the scheduled departure in New York time with "
        "its offset (not dep_time, the actual one, nor time_hour, a whole UTC hour)"
    )
    assert call.body == {
        "carrier": "UA", "flight": 1545, "origin": "EWR", "dest": "IAH",
        "sched_dep": "2013-09-14T07:30:00-04:00", "tailnum": "N14228",
    }  # fmt: skip


@pytest.mark.exercise("schedule_request")
@pytest.mark.points(2)
@pytest.mark.hint("the flight number arrives as a NumPy integer, which json cannot encode")
def test_the_body_is_json(traffic):
    body = traffic.schedule_request(_flight()).body
    text = json.dumps(body)
    assert json.loads(text)["flight"] == 1545
    assert type(body["flight"]) is int, "flight must be a Python int"


@pytest.mark.exercise("schedule_request")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a missing tailnum (NaN or None) must be sent as None: str() of NaN is 'nan', a plane "
    "that does not exist"
)
@pytest.mark.parametrize("missing", [np.nan, None], ids=["nan", "none"])
def test_an_unknown_plane_is_sent_as_null(traffic, missing):
    body = traffic.schedule_request(_flight(tailnum=missing)).body
    assert body["tailnum"] is None, (
        f"tailnum {body['tailnum']!r} for a flight without one: send null, the service then "
        "treats the plane as unknown, as in training"
    )


@pytest.mark.exercise("schedule_request")
@pytest.mark.points(3)
@pytest.mark.hint(
    "the id's date is the scheduled departure's own New York date, not the UTC one nor the "
    "row's day columns"
)
def test_the_flight_id_is_the_new_york_day(traffic):
    late = pd.Timestamp("2013-09-14 23:59", tz="America/New_York")  # 03:59 UTC on the 15th
    call = traffic.schedule_request(_flight(sched_dep=late, day=14))
    assert call.flight_id == "2013-09-14/UA/1545/EWR", (
        f"flight id {call.flight_id!r}: the A/B split hashes week13's flight_id of the New "
        "York date, carrier, number and origin; a different id sends the flight to another arm"
    )
    assert traffic.schedule_request(_flight()).flight_id == "2013-09-14/UA/1545/EWR"


@pytest.mark.exercise("schedule_request")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a sched_dep without a time zone is ambiguous: a ValueError whose message says 'time zone'"
)
def test_a_naive_departure_is_refused(traffic):
    with pytest.raises(ValueError, match="time zone"):
        traffic.schedule_request(_flight(sched_dep=pd.Timestamp("2013-09-14 07:30")))
