"""Exercises 1-2: clock times (``hhmm_to_minutes``) and what happened to each flight
(``flight_status``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course import data


@pytest.mark.exercise("hhmm_to_minutes")
@pytest.mark.points(2)
@pytest.mark.hint(
    "517 is 5 hours and 17 minutes (317 minutes), not 517 minutes: read hours and minutes apart"
)
def test_hhmm_everyday_times(clean):
    got = clean.hhmm_to_minutes(pd.Series([517, 0, 1, 1200, 2359], name="dep_time"))
    expected = [317.0, 0.0, 1.0, 720.0, 1439.0]
    assert got.tolist() == expected, (
        f"517 is 05:17, i.e. 317 minutes after midnight; got {got.tolist()}"
    )


@pytest.mark.exercise("hhmm_to_minutes")
@pytest.mark.points(1)
@pytest.mark.hint("2400 is the midnight that ends the day: 24 * 60 minutes after the day began")
def test_hhmm_2400_is_end_of_day(clean):
    got = clean.hhmm_to_minutes(pd.Series([2400]))
    assert got.tolist() == [1440.0], f"2400 should become 1440.0, got {got.tolist()}"


@pytest.mark.exercise("hhmm_to_minutes")
@pytest.mark.points(2)
@pytest.mark.hint("a cancelled flight has no dep_time: keep NaN, never turn it into 0 (midnight)")
def test_hhmm_missing_stays_missing(clean):
    got = clean.hhmm_to_minutes(pd.Series([np.nan, 830.0]))
    assert np.isnan(got.iloc[0]), f"NaN must stay NaN (a flight that never left), got {got.iloc[0]}"
    assert got.iloc[1] == 510.0


@pytest.mark.exercise("hhmm_to_minutes")
@pytest.mark.points(1)
@pytest.mark.hint(
    "the last clock time is 2400 and minutes run 00-59: 1260, 1275, 2401 or -5 must raise"
    " ValueError with the bad value in its message, not become minutes"
)
@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(1275, id="75-minutes"),
        pytest.param(1260, id="60-minutes"),
        pytest.param(2500, id="25-hours"),
        pytest.param(2401, id="one-past-2400"),
        pytest.param(-5, id="negative"),
    ],
)
def test_hhmm_rejects_impossible_times(clean, bad):
    try:
        clean.hhmm_to_minutes(pd.Series([900, bad]))
    except ValueError as exc:
        assert str(bad) in str(exc), f"the error should name the bad value {bad}; it says {exc}"
    else:
        pytest.fail(
            f"{bad} was accepted: the last clock time is 2400 and minutes run 00-59, so raise "
            "ValueError rather than turn it into minutes"
        )


@pytest.mark.exercise("hhmm_to_minutes")
@pytest.mark.points(1)
@pytest.mark.hint("find every bad value first, then report the first of them in the message")
def test_hhmm_error_names_the_first_bad_value(clean):
    try:
        clean.hhmm_to_minutes(pd.Series([900, 1275, 2500]))
    except ValueError as exc:
        assert "1275" in str(exc), (
            f"1275 is the first impossible time of [900, 1275, 2500]; the error says {exc}"
        )
    else:
        pytest.fail("[900, 1275, 2500] holds two impossible times and was accepted")


@pytest.mark.exercise("hhmm_to_minutes")
@pytest.mark.points(1)
@pytest.mark.hint("return a float64 Series built from the input: same index, same name")
def test_hhmm_float_with_index_and_name(clean):
    values = pd.Series([517, 2400], index=[30, 4], name="sched_dep_time")
    got = clean.hhmm_to_minutes(values)
    assert got.dtype == np.float64, (
        f"dtype {got.dtype}: minutes are float64 so that a missing time can stay NaN"
    )
    assert list(got.index) == [30, 4], (
        f"index {list(got.index)} should be the input's [30, 4], or the minutes land on the "
        "wrong flights"
    )
    assert got.name == "sched_dep_time", f"name {got.name!r}: keep the input's name"


@pytest.mark.exercise("hhmm_to_minutes")
@pytest.mark.points(1)
@pytest.mark.hint("the raw `hour` and `minute` columns are sched_dep_time split the same way")
def test_hhmm_agrees_with_raw_hour_and_minute(clean, jan_week):
    minutes = clean.hhmm_to_minutes(jan_week["sched_dep_time"])
    assert (minutes // 60 == jan_week["hour"]).all(), "minutes // 60 should equal the raw `hour`"
    assert (minutes % 60 == jan_week["minute"]).all(), "minutes % 60 should equal the raw `minute`"


def _flights(rows: list[tuple[float, float]], index: list[int] | None = None) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["dep_time", "arr_delay"], index=index)


@pytest.mark.exercise("flight_status")
@pytest.mark.points(2)
@pytest.mark.hint("cancelled: no dep_time; diverted: a dep_time but no arr_delay; else arrived")
def test_status_of_each_kind(clean):
    flights = _flights([(517, 11), (np.nan, np.nan), (600, np.nan), (700, -5)])
    got = clean.flight_status(flights).astype(str).tolist()
    assert got == ["arrived", "cancelled", "diverted", "arrived"], (
        f"got {got}: a flight with a dep_time but no arr_delay left and never arrived (diverted)"
    )


@pytest.mark.exercise("flight_status")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a Series built from a bare array is numbered 0, 1, ...: on a filtered frame the statuses"
    " then land on the wrong flights; keep the frame's index"
)
def test_status_keeps_the_index(clean):
    flights = _flights([(517, 11), (np.nan, np.nan)], index=[40, 7])
    got = clean.flight_status(flights)
    assert list(got.index) == [40, 7], (
        f"result index {list(got.index)} should be the input's [40, 7]"
    )
    assert got.loc[7] == "cancelled"


@pytest.mark.exercise("flight_status")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a categorical made from the values alone knows only the statuses that occur: declare all"
    " three as its categories, and name the Series 'status'"
)
def test_status_is_categorical_with_all_three_categories(clean):
    got = clean.flight_status(_flights([(517, 11), (700, -5)]))
    assert isinstance(got.dtype, pd.CategoricalDtype), f"dtype {got.dtype}: return a categorical"
    categories = sorted(map(str, got.cat.categories))
    assert categories == ["arrived", "cancelled", "diverted"], (
        f"categories {categories}: a day without cancellations still has the category "
        "'cancelled', so counts show 0 instead of leaving it out"
    )
    assert got.name == "status", f"name {got.name!r}: name the Series 'status'"


@pytest.mark.exercise("flight_status")
@pytest.mark.points(1)
@pytest.mark.hint("only 8,255 flights were cancelled in 2013; 1,175 more left and were diverted")
def test_status_counts_for_2013(clean):
    counts = clean.flight_status(data.load_table("flights")).astype(str).value_counts()
    assert counts.get("cancelled") == 8255, (
        f"cancelled: expected 8,255, got {counts.get('cancelled')}"
    )
    assert counts.get("diverted") == 1175, f"diverted: expected 1,175, got {counts.get('diverted')}"


# --- reference-only checks (not graded) ---------------------------------------------------------


def test_scheduled_departure_matches_time_hour(jan_week):
    from week01_data.clean import scheduled_departure

    local = scheduled_departure(jan_week)
    assert str(local.dt.tz) == "America/New_York"
    hour_utc = local.dt.floor("h").dt.tz_convert("UTC")
    assert (hour_utc == jan_week["time_hour"]).all(), "time_hour is the scheduled hour in UTC"


def test_scheduled_departure_whole_year_through_dst():
    from week01_data.clean import scheduled_departure

    flights = data.load_table("flights")
    hour_utc = scheduled_departure(flights).dt.floor("h").dt.tz_convert("UTC")
    assert (hour_utc == flights["time_hour"]).mean() == 1.0


def test_clean_flights_adds_columns_and_leaves_input_alone(jan_week):
    from week01_data.clean import clean_flights

    before = jan_week.copy()
    out = clean_flights(jan_week)
    pd.testing.assert_frame_equal(jan_week, before)
    assert {"sched_dep", "sched_dep_minutes", "dep_minutes", "status"} <= set(out.columns)
    assert len(out) == len(jan_week)
