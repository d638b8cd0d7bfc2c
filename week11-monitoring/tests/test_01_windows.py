"""Exercise 1: the reference and current windows (``reference_and_current``): the champion's
training window as the reference, the window's flights up to the report's day, no look-ahead."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest

from week11_monitoring.windows import Window, make_windows, monthly_windows, parse_month

METADATA = {
    "training_window": ["2013-01-01", "2013-01-31"],
    "validation_window": ["2013-02-01", "2013-02-14"],
    "test_window": ["2013-02-15", "2013-03-31"],
}
FEBRUARY = Window("2013-02", dt.date(2013, 2, 1), dt.date(2013, 3, 1))


def _flights(first: str = "2012-12-30", last: str = "2013-03-03") -> pd.DataFrame:
    """One flight a day, numbered in date order, with the raw date columns."""
    days = pd.date_range(first, last, freq="D")
    return pd.DataFrame(
        {
            "year": days.year,
            "month": days.month,
            "day": days.day,
            "n": range(len(days)),
        },
        index=pd.RangeIndex(100, 100 + len(days)),
    )


def _days(frame: pd.DataFrame) -> list[str]:
    dates = pd.to_datetime(frame[["year", "month", "day"]])
    return [d.date().isoformat() for d in dates]


@pytest.mark.exercise("reference_and_current")
@pytest.mark.points(3)
@pytest.mark.hint(
    "the reference is metadata['training_window'] (first and last day both included): "
    "what the champion learnt from, never its validation or test window"
)
def test_reference_is_the_training_window(windows):
    reference, _ = windows.reference_and_current(
        _flights(), METADATA, FEBRUARY, dt.date(2013, 3, 1)
    )
    days = _days(reference)
    assert days[0] == "2013-01-01" and days[-1] == "2013-01-31", (
        f"reference from {days[0]} to {days[-1]}: it must be the training window, "
        "1-31 January, both ends included"
    )
    assert len(days) == 31, f"31 days of January, got {len(days)}"


@pytest.mark.exercise("reference_and_current")
@pytest.mark.points(1)
@pytest.mark.hint(
    "the current window stops before the earlier of window.end and as_of: a report made "
    "on as_of (at midnight) has not seen that day's flights, nor any later one"
)
@pytest.mark.parametrize(
    ("as_of", "first", "last"),
    [
        pytest.param(dt.date(2013, 3, 1), "2013-02-01", "2013-02-28", id="window-closed"),
        pytest.param(dt.date(2013, 3, 3), "2013-02-01", "2013-02-28", id="later-report"),
        pytest.param(dt.date(2013, 2, 10), "2013-02-01", "2013-02-09", id="mid-window"),
        pytest.param(dt.date(2013, 2, 2), "2013-02-01", "2013-02-01", id="first-day-only"),
    ],
)
def test_current_has_no_look_ahead(windows, as_of, first, last):
    _, current = windows.reference_and_current(_flights(), METADATA, FEBRUARY, as_of)
    days = _days(current)
    assert days and (days[0], days[-1]) == (first, last), (
        f"reported on {as_of}: the current window must run {first} to {last}, "
        f"got {days[:1]} to {days[-1:]}"
    )


@pytest.mark.exercise("reference_and_current")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a window starting on or before the last training day is a ValueError naming the "
    "window's start (the model has seen those days); the day after is allowed"
)
def test_a_window_inside_the_training_data_is_refused(windows):
    overlapping = Window("2013-01-31", dt.date(2013, 1, 31), dt.date(2013, 2, 7))
    with pytest.raises(ValueError, match="2013-01-31"):
        windows.reference_and_current(_flights(), METADATA, overlapping, dt.date(2013, 2, 7))
    next_day = Window("2013-02-01", dt.date(2013, 2, 1), dt.date(2013, 2, 8))
    _, current = windows.reference_and_current(_flights(), METADATA, next_day, dt.date(2013, 2, 8))
    assert len(current) == 7, "the day after the training window is the first one to monitor"


@pytest.mark.exercise("reference_and_current")
@pytest.mark.points(2)
@pytest.mark.hint(
    "as_of on or before window.start: ValueError whose message has the word as_of, then its "
    "date, then the window's start (no flight of the window has happened)"
)
@pytest.mark.parametrize(
    "as_of",
    [
        pytest.param(dt.date(2013, 2, 1), id="on-the-first-day"),
        pytest.param(dt.date(2013, 1, 20), id="before-it"),
    ],
)
def test_a_report_before_the_window_is_refused(windows, as_of):
    with pytest.raises(ValueError, match=f"as_of.*{as_of}.*2013-02-01"):
        windows.reference_and_current(_flights(), METADATA, FEBRUARY, as_of)


@pytest.mark.exercise("reference_and_current")
@pytest.mark.points(1)
@pytest.mark.hint("return the rows as they are: same index, same columns, nothing added")
def test_rows_keep_their_index_and_columns(windows):
    flights = _flights()
    reference, current = windows.reference_and_current(
        flights, METADATA, FEBRUARY, dt.date(2013, 3, 1)
    )
    assert list(current.columns) == list(flights.columns), "no column added or removed"
    pd.testing.assert_frame_equal(current, flights.loc[current.index])
    pd.testing.assert_frame_equal(reference, flights.loc[reference.index])


def test_windows_are_half_open_and_consecutive():
    months = monthly_windows("2013-11", "2014-01")
    assert [w.name for w in months] == ["2013-11", "2013-12", "2014-01"]
    assert all(a.end == b.start for a, b in itertools.pairwise(months)), (
        "consecutive windows share no day and miss none"
    )
    assert months[1].last_day == dt.date(2013, 12, 31)
    weeks = make_windows("2013-07", "2013-07", "week")
    assert weeks[0].start == dt.date(2013, 7, 1) and weeks[0].start.weekday() == 0
    assert all(w.end - w.start == dt.timedelta(days=7) for w in weeks)
    assert weeks[-1].start == dt.date(2013, 7, 29), "the last week starts inside July"


@pytest.mark.parametrize(
    "bad",
    [pytest.param("2013-13", id="month-13"), pytest.param("July", id="a-word")],
)
def test_a_bad_month_names_the_value_and_the_format(bad):
    with pytest.raises(ValueError, match=f"YYYY-MM.*{bad}"):
        parse_month(bad)
    with pytest.raises(ValueError, match="before"):
        monthly_windows("2013-12", "2013-07")
    with pytest.raises(ValueError, match="end"):
        Window("empty", dt.date(2013, 2, 1), dt.date(2013, 2, 1))
