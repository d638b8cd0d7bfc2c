"""Exercise 4: the origin's weather at the scheduled hour (``join_weather``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from week01_data.join import WEATHER_COLUMNS

H10 = pd.Timestamp("2013-01-01 10:00", tz="UTC")
H11 = pd.Timestamp("2013-01-01 11:00", tz="UTC")


def _weather(rows: list[tuple[str, pd.Timestamp, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["origin", "time_hour", "temp"])
    for column in WEATHER_COLUMNS[1:]:
        frame[column] = 0.0
    return frame


def _flights(rows: list[tuple[str, pd.Timestamp]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["origin", "time_hour"])
    frame["flight"] = range(len(frame))
    return frame


WEATHER = _weather([("EWR", H10, 39.0), ("JFK", H10, 41.0), ("LGA", H10, 40.0), ("EWR", H11, 38.0)])


@pytest.mark.exercise("join_weather")
@pytest.mark.points(2)
@pytest.mark.hint("the key is the origin AND the hour: three airports report at every hour")
def test_weather_of_the_right_airport_and_hour(join):
    flights = _flights([("JFK", H10), ("EWR", H11), ("EWR", H10)])
    got = join.join_weather(flights, WEATHER)
    assert len(got) == 3, f"3 flights in, {len(got)} rows out: join on origin and time_hour"
    assert got["temp"].tolist() == [41.0, 38.0, 39.0], (
        f"temps {got['temp'].tolist()}: each flight needs its own origin's reading at its hour"
    )


@pytest.mark.exercise("join_weather")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a flight whose hour has no weather reading keeps NaN weather: an inner join drops it"
)
def test_flight_without_weather_is_kept(join):
    flights = _flights([("LGA", H11), ("LGA", H10)])
    got = join.join_weather(flights, WEATHER)
    assert len(got) == 2, "no reading for LGA at 11:00 UTC must not drop that flight"
    assert np.isnan(got["temp"].iloc[0]) and got["temp"].iloc[1] == 40.0
    assert got["flight"].tolist() == [0, 1], "keep the flights in their order"


@pytest.mark.exercise("join_weather")
@pytest.mark.points(1)
@pytest.mark.hint(
    "an (origin, time_hour) reported twice would double its flights: keep one reading per key,"
    " whatever the other columns say"
)
@pytest.mark.parametrize(
    "second_temp",
    [
        pytest.param(39.0, id="same-reading-twice"),
        pytest.param(37.5, id="corrected-reading"),
    ],
)
def test_duplicate_weather_hour_does_not_duplicate_flights(join, second_temp):
    again = _weather([("EWR", H10, second_temp)])
    doubled = pd.concat([WEATHER, again], ignore_index=True)
    got = join.join_weather(_flights([("EWR", H10), ("JFK", H10)]), doubled)
    assert len(got) == 2, (
        f"two flights in, {len(got)} rows out: EWR reported 10:00 UTC twice (temps 39.0 and "
        f"{second_temp}); a duplicate is a repeated key, not only a repeated row"
    )
    assert got["temp"].iloc[0] in (39.0, second_temp) and got["temp"].iloc[1] == 41.0, (
        f"temps {got['temp'].tolist()}: each flight keeps one reading of its own hour"
    )


@pytest.mark.exercise("join_weather")
@pytest.mark.points(2)
@pytest.mark.hint(
    "join on both tables' time_hour (the scheduled hour, in UTC), and bring only WEATHER_COLUMNS"
    " along: the raw weather also has year, month, day and hour"
)
def test_real_week_every_flight_once_with_weather(join, jan_week, weather):
    got = join.join_weather(jan_week, weather)
    assert len(got) == len(jan_week), f"{len(jan_week)} flights in, {len(got)} rows out"
    extra = sorted(set(got.columns) - {*jan_week.columns, *WEATHER_COLUMNS})
    lost = sorted(set(jan_week.columns) - set(got.columns))
    assert not extra and not lost, (
        f"columns {extra} came in and {lost} went missing: the raw weather also has year, month,"
        " day and hour, so joining all of it renames the flights' own columns; bring only"
        " WEATHER_COLUMNS"
    )
    assert got["temp"].notna().mean() > 0.99, "almost every flight has a reading at its hour"
    first = got[(got["origin"] == "EWR") & (got["sched_dep_time"] == 515)].iloc[0]
    assert first["temp"] == pytest.approx(39.02), (
        "EWR 05:15 on 1 Jan (10:00 UTC) should see 39.02 °F; did you join on local vs UTC hours?"
    )


# --- reference-only checks --------------------------------------------------------------------


def test_join_planes_keeps_every_flight(jan_week, planes):
    from week01_data.join import join_planes

    got = join_planes(jan_week, planes)
    assert len(got) == len(jan_week)
    assert {"plane_year", "plane_seats"} <= set(got.columns)
    assert "year_x" not in got.columns, "plane year is renamed, not suffixed"
    assert got["plane_seats"].notna().mean() > 0.8


def test_join_planes_rejects_duplicate_tailnums(jan_week, planes):
    from week01_data.join import join_planes

    with pytest.raises(ValueError, match="tailnum must be unique"):
        join_planes(jan_week, pd.concat([planes, planes.head(1)]))
