"""Exercise 3: a past-only aggregate (``past_delay_rate``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def _flights(rows: list[tuple[int, str, object]], index: list[int] | None = None) -> pd.DataFrame:
    """(day of January, carrier, is_delayed) per flight."""
    frame = pd.DataFrame(rows, columns=["day", "carrier", "is_delayed"], index=index)
    frame.insert(0, "month", 1)
    frame.insert(0, "year", 2013)
    frame["is_delayed"] = frame["is_delayed"].astype("boolean")
    return frame


#        day 1: A late, A on time   day 2: A late, A late   day 3: A ?   day 4: A
HISTORY = _flights(
    [
        (1, "A", True),
        (1, "A", False),
        (2, "A", True),
        (2, "A", True),
        (3, "A", False),
        (4, "A", False),
        (1, "B", False),
        (4, "B", True),
    ]
)


def _rate(features, flights, **kwargs):
    return features.past_delay_rate(flights, ["carrier"], smoothing=0.0, **kwargs)


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint("a flight on the first day has no earlier day: its rate is NaN, not 0")
def test_first_day_has_no_history(features):
    got = _rate(features, HISTORY)
    first = got.iloc[[0, 1, 6]]
    assert first.isna().all(), f"day-1 flights should be NaN, got {first.tolist()}"


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(2)
@pytest.mark.hint(
    "count whole days: sum per (group, date), then take only the dates BEFORE the "
    "flight's date (shift by a day, not by a row)"
)
def test_same_day_flights_are_not_history(features):
    got = _rate(features, HISTORY)
    assert got.iloc[2] == pytest.approx(0.5) and got.iloc[3] == pytest.approx(0.5), (
        f"both 2 January flights of A see only 1 January (1 late of 2 = 0.5), got "
        f"{got.iloc[2]}, {got.iloc[3]}: the same day's flights leaked in (at 08:00 the 18:00 "
        "flight has not arrived yet)"
    )


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(2)
@pytest.mark.hint("only earlier days count: a cumulative sum in date order, minus the day itself")
def test_all_earlier_days_count_and_never_later_ones(features):
    got = _rate(features, HISTORY)
    assert got.iloc[4] == pytest.approx(0.75), (
        f"on 3 January A's history is 3 late of 4, got {got.iloc[4]}"
    )
    changed = HISTORY.copy()
    changed.loc[changed.index[5], "is_delayed"] = True  # rewrite the future (4 January)
    again = _rate(features, changed)
    assert again.iloc[:5].equals(got.iloc[:5]), (
        "changing a 4 January label changed an earlier day's rate: the future leaked in "
        "(a groupby mean over the whole table does that)"
    )


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint("groups are separate: B's flights never count for A")
def test_groups_are_separate(features):
    got = _rate(features, HISTORY)
    assert got.iloc[7] == pytest.approx(0.0), (
        f"B's 4 January history is 0 late of 1, got {got.iloc[7]}"
    )


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint("a flight with an unknown label (<NA>) is neither late nor on time: skip it")
def test_unknown_labels_do_not_count(features):
    flights = _flights([(1, "A", True), (1, "A", None), (1, "A", None), (2, "A", False)])
    got = _rate(features, flights)
    assert got.iloc[3] == pytest.approx(1.0), (
        f"1 January: 1 late of 1 labelled flight, got {got.iloc[3]}: cancelled flights counted "
        "as on time?"
    )


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint("window_days=2 keeps the 2 days just before the flight's date (not including it)")
def test_window_keeps_only_recent_days(features):
    got = _rate(features, HISTORY, window_days=2)
    # 4 January, window 2 -> 2 and 3 January: A has 2 late of 3
    assert got.iloc[5] == pytest.approx(2 / 3), f"got {got.iloc[5]}, expected 2 late of 3"
    yesterday = _rate(features, HISTORY, window_days=1)
    assert yesterday.iloc[4] == pytest.approx(1.0), (
        f"window_days=1 on 3 January is 2 January only (2 late of 2), got {yesterday.iloc[4]}"
    )


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint(
    "shrink: (delayed + smoothing * overall_rate) / (flights + smoothing), both from earlier days"
)
def test_smoothing_pulls_towards_the_overall_rate(features):
    # 2 January, carrier C has no history: its rate is the overall rate of 1 January (1/3)
    flights = pd.concat([HISTORY, _flights([(2, "C", False)], index=[99])])
    got = features.past_delay_rate(flights, ["carrier"], smoothing=2.0)
    assert got.loc[99] == pytest.approx(1 / 3), (
        f"no history: the overall rate 1/3, got {got.loc[99]}"
    )
    # 2 January, carrier A: (1 + 2 * 1/3) / (2 + 2)
    assert got.iloc[2] == pytest.approx((1 + 2 / 3) / 4), f"got {got.iloc[2]}"
    default = features.past_delay_rate(flights, ["carrier"])
    assert default.iloc[2] == pytest.approx((1 + 20 / 3) / 22), (
        f"without a smoothing argument the signature's default (20) applies, got {default.iloc[2]}"
    )


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint(
    "the overall rate the smoothing pulls towards covers the same days as the "
    "group's counts: with window_days, the same window"
)
def test_overall_rate_uses_the_same_window(features):
    # 3 January, carrier C (its own label unknown: it changes no count) has no history, so its
    # rate is the overall rate; window_days=1 -> 2 January only: 2 late of 2
    flights = pd.concat([HISTORY, _flights([(3, "C", None)], index=[99])])
    got = features.past_delay_rate(flights, ["carrier"], window_days=1, smoothing=2.0)
    assert got.loc[99] == pytest.approx(1.0), (
        f"got {got.loc[99]}: yesterday's overall rate is 2 late of 2 = 1.0; 0.6 (3 of 5) is "
        "the overall rate of ALL earlier days: the prior ignored window_days"
    )


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint(
    "by=[] means one group holding every flight: handle it without groupby([]) "
    "(pandas refuses an empty key list), e.g. with a constant key column"
)
def test_no_keys_gives_the_overall_rate(features):
    got = features.past_delay_rate(HISTORY, [])
    assert got.dtype == "float64", f"return a float Series, got dtype {got.dtype}"
    days = HISTORY["day"].to_numpy()
    # all earlier days: 2 Jan 1 late of 3, 3 Jan 3 of 5, 4 Jan 3 of 6
    expected = np.select([days == 2, days == 3, days == 4], [1 / 3, 3 / 5, 3 / 6], np.nan)
    np.testing.assert_allclose(
        got.to_numpy(),
        expected,
        err_msg=(
            "by=[] is the overall rate of earlier days (every flight in one group; NaN on day 1)"
        ),
    )
    yesterday = features.past_delay_rate(HISTORY, [], window_days=1)
    expected = np.select([days == 2, days == 3, days == 4], [1 / 3, 2 / 2, 0 / 1], np.nan)
    np.testing.assert_allclose(
        yesterday.to_numpy(),
        expected,
        err_msg=("by=[] with window_days=1 is yesterday's overall rate"),
    )


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint(
    "return a Series on flights.index: build results in a copy, never sort the caller's frame"
)
def test_result_is_aligned_with_an_unsorted_input(features):
    shuffled = HISTORY.iloc[[5, 2, 7, 0, 4, 1, 6, 3]].set_axis([50, 20, 70, 0, 40, 10, 60, 30])
    before = shuffled.copy()
    got = _rate(features, shuffled)
    assert list(got.index) == list(shuffled.index), "result index must be the input's"
    expected = _rate(features, HISTORY).set_axis([0, 10, 20, 30, 40, 50, 60, 70])
    pd.testing.assert_series_equal(got.loc[expected.index], expected, check_names=False)
    pd.testing.assert_frame_equal(shuffled, before, obj="the input (it must not be modified)")


@pytest.mark.exercise("past_delay_rate")
@pytest.mark.points(1)
@pytest.mark.hint("on real data: a day's value may only depend on earlier days")
def test_real_fortnight_never_looks_ahead(features, jan_fortnight):
    first_week = jan_fortnight[jan_fortnight["day"] <= 7]
    whole = features.past_delay_rate(jan_fortnight, ["origin", "dest"], window_days=3)
    week = features.past_delay_rate(first_week, ["origin", "dest"], window_days=3)
    np.testing.assert_allclose(
        whole.loc[first_week.index].to_numpy(),
        week.to_numpy(),
        err_msg="adding 8-14 January changed 1-7 January's rates: the aggregate sees the future",
    )
    assert whole[jan_fortnight["day"] == 1].isna().all(), "1 January has no history"
    assert whole[jan_fortnight["day"] > 1].notna().mean() > 0.95, "later days mostly have a rate"


# --- reference-only checks (not graded) ---------------------------------------------------------


def test_recent_weather_only_uses_hours_up_to_the_scheduled_one():
    from week03_ml.features import add_recent_weather

    hours = pd.date_range("2013-03-01 10:00", periods=8, freq="h", tz="UTC")
    weather = pd.DataFrame(
        {
            "origin": "JFK",
            "time_hour": hours,
            "precip": [0.0, 0.1, 0.2, 0.0, 0.0, 0.0, 0.0, 0.0],
            "visib": [10.0, 5.0, 1.0, 10.0, 10.0, 10.0, 10.0, 10.0],
            "wind_gust": np.nan,
            "pressure": [1010.0 + i for i in range(8)],
        }
    )
    flights = pd.DataFrame({"origin": ["JFK"], "time_hour": [hours[3]]}, index=[42])
    got = add_recent_weather(flights, weather)
    assert list(got.index) == [42]
    row = got.loc[42]
    assert row["precip_3h"] == pytest.approx(0.3), "hours 11, 12 and 13 (the scheduled one)"
    assert row["visib_min_3h"] == pytest.approx(1.0)
    assert row["pressure_change_3h"] == pytest.approx(3.0)
    later = weather.assign(precip=np.where(weather["time_hour"] > hours[3], 9.0, weather["precip"]))
    again = add_recent_weather(flights, later).loc[42]
    assert again["precip_3h"] == row["precip_3h"], "weather after the scheduled hour leaked in"
    assert again["precip_today"] == row["precip_today"]
