"""Exercise 1: the time split (``split_by_time``)."""

from __future__ import annotations

import pandas as pd
import pytest

from course import data


def _days(*dates: str) -> pd.DataFrame:
    """One flight per ISO date, with the raw year / month / day columns and a shuffled index."""
    stamps = pd.to_datetime(list(dates))
    return pd.DataFrame(
        {
            "year": stamps.year,
            "month": stamps.month,
            "day": stamps.day,
            "flight": range(len(dates)),
        },
        index=[100 + 7 * i for i in range(len(dates))],
    )


BOUNDARY = _days(
    "2013-06-29",
    "2013-06-30",
    "2013-07-01",
    "2013-07-02",
    "2013-08-31",
    "2013-09-01",
    "2013-12-31",
    "2013-01-01",
)


def _dates(frame: pd.DataFrame) -> list[str]:
    return sorted(pd.to_datetime(frame[["year", "month", "day"]]).dt.strftime("%Y-%m-%d"))


@pytest.mark.exercise("split_by_time")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a boundary day belongs to the LATER window: 30 June trains, 1 July validates, "
    "1 September tests; check which comparisons (strict or not) your three windows use"
)
def test_boundary_days_land_in_the_later_window(split):
    parts = split.split_by_time(BOUNDARY)
    assert _dates(parts.train) == ["2013-01-01", "2013-06-29", "2013-06-30"], (
        f"train should end on 30 June, got {_dates(parts.train)}: is 1 July (valid_start) "
        "counted as training data? (an off-by-one: use < not <=)"
    )
    assert _dates(parts.valid) == ["2013-07-01", "2013-07-02", "2013-08-31"], (
        f"validation should be 1 July-31 August, got {_dates(parts.valid)}"
    )
    assert _dates(parts.test) == ["2013-09-01", "2013-12-31"], (
        f"test should start on 1 September (test_start included), got {_dates(parts.test)}"
    )


@pytest.mark.exercise("split_by_time")
@pytest.mark.points(1)
@pytest.mark.hint(
    "every flight in exactly one window, with all its columns and its original index label: "
    "select rows of the whole frame, do not reset the index or rebuild the frame"
)
def test_every_flight_once_with_its_index(split):
    parts = split.split_by_time(BOUNDARY)
    together = pd.concat([parts.train, parts.valid, parts.test])
    assert sorted(together.index) == sorted(BOUNDARY.index), (
        "every flight must land in exactly one window, keeping its index"
    )
    assert list(parts.train.columns) == list(BOUNDARY.columns), "keep every column"


@pytest.mark.exercise("split_by_time")
@pytest.mark.points(1)
@pytest.mark.hint("use the valid_start and test_start arguments, not hard-coded months")
def test_boundaries_are_configurable(split):
    flights = _days("2013-03-31", "2013-04-01", "2013-04-30", "2013-05-01", "2013-05-02")
    parts = split.split_by_time(flights, valid_start="2013-04-01", test_start="2013-05-01")
    assert _dates(parts.train) == ["2013-03-31"], f"train: got {_dates(parts.train)}"
    assert _dates(parts.valid) == ["2013-04-01", "2013-04-30"], f"valid: got {_dates(parts.valid)}"
    assert _dates(parts.test) == ["2013-05-01", "2013-05-02"], f"test: got {_dates(parts.test)}"


@pytest.mark.exercise("split_by_time")
@pytest.mark.points(1)
@pytest.mark.hint(
    "boundaries reversed or equal leave no validation window: raise ValueError before "
    "splitting, with both dates as given in the message"
)
@pytest.mark.parametrize(
    ("valid_start", "test_start"),
    [
        pytest.param("2013-09-01", "2013-07-01", id="reversed"),
        pytest.param("2013-07-01", "2013-07-01", id="empty-validation"),
    ],
)
def test_rejects_boundaries_in_the_wrong_order(split, valid_start, test_start):
    with pytest.raises(ValueError, match=valid_start):
        split.split_by_time(BOUNDARY, valid_start=valid_start, test_start=test_start)


@pytest.mark.exercise("split_by_time")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a flight's day is its local date from the year, month and day columns (flight_date), "
    "not time_hour, which is in UTC and moves evening flights to the next day"
)
def test_real_flights_around_the_boundary(split):
    flights = data.flights_slice(month=[6, 7], days=[29, 30, 1, 2])
    parts = split.split_by_time(flights)
    assert set(parts.train["month"]) == {6}, "only June flights train"
    assert set(parts.valid["month"]) == {7}, "1-2 July is validation data"
    assert len(parts.train) == (flights["month"] == 6).sum(), "every June flight is training data"
    assert parts.test.empty, "no flight of June or July is test data"


# --- reference-only checks (not graded) ---------------------------------------------------------


def test_split_sizes_of_2013(year_split):
    sizes = year_split.sizes()
    assert sizes == {"train": 160_678, "valid": 57_049, "test": 109_619}, sizes
    assert year_split.train["month"].max() == 6
    assert year_split.test["month"].min() == 9
