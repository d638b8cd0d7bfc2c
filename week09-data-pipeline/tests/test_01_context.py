"""Exercises 1-2: the flight date of a run (``flight_date``) and the days of a backfill
(``backfill_days``)."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

DAY = dt.date(2013, 9, 2)


def ny(day: dt.date, hour: int = 0) -> dt.datetime:
    """``day`` at ``hour`` in New York, as Airflow hands it to a task (UTC-aware)."""
    local = dt.datetime.combine(day, dt.time(hour), ZoneInfo("America/New_York"))
    return local.astimezone(dt.UTC)


def _context(logical: object, **extra: object) -> dict[str, object]:
    return {"logical_date": logical, **extra}


@pytest.mark.exercise("flight_date")
@pytest.mark.points(2)
@pytest.mark.hint("the run's flight date is context['logical_date'], taken as a date")
def test_the_logical_date_is_the_flight_date(context):
    got = context.flight_date(_context(ny(DAY)))
    assert got == DAY, f"got {got!r} for a run whose logical date is {ny(DAY)}: want {DAY}"
    assert type(got) is dt.date, f"return a date, not a {type(got).__name__}"


@pytest.mark.exercise("flight_date")
@pytest.mark.points(2)
@pytest.mark.hint(
    "key on logical_date, never on data_interval_start / data_interval_end: they move as soon "
    "as the timetable has an interval"
)
@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(ny(DAY - dt.timedelta(days=1)), ny(DAY), id="interval-of-one-day"),
        pytest.param(ny(DAY), ny(DAY + dt.timedelta(days=1)), id="airflow-2-style-interval"),
    ],
)
def test_data_intervals_do_not_decide_the_day(context, start, end):
    got = context.flight_date(
        _context(ny(DAY), data_interval_start=start, data_interval_end=end, ds="2013-01-01")
    )
    assert got == DAY, (
        f"got {got} for logical date {DAY} with a data interval {start:%m-%d}..{end:%m-%d}: "
        "did you key on data_interval_start / data_interval_end (or on a stale ds string)?"
    )


@pytest.mark.exercise("flight_date")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a backfill of 2013 runs today: the date must come from the context, not the clock"
)
def test_a_past_run_is_not_today(context):
    got = context.flight_date(_context(ny(dt.date(2013, 1, 15))))
    assert got == dt.date(2013, 1, 15), (
        f"got {got} for a run of 15 January 2013: datetime.now() / date.today() inside a task "
        "makes every backfilled day process today"
    )


@pytest.mark.exercise("flight_date")
@pytest.mark.points(2)
@pytest.mark.hint(
    "logical_date is in UTC: its own date is already tomorrow for an evening run in New York; "
    "move it to DAG_TIMEZONE before taking the date"
)
@pytest.mark.parametrize(
    ("logical", "want"),
    [
        pytest.param(ny(DAY, 22), DAY, id="22h-new-york-is-next-day-in-utc"),
        pytest.param(ny(DAY, 18), DAY, id="18h-new-york"),
        pytest.param(ny(dt.date(2013, 12, 31), 23), dt.date(2013, 12, 31), id="new-years-eve"),
        pytest.param(
            dt.datetime(2013, 9, 2, 3, 30, tzinfo=dt.UTC), dt.date(2013, 9, 1), id="utc-0330"
        ),
    ],
)
def test_the_date_is_taken_in_new_york(context, logical, want):
    got = context.flight_date(_context(logical))
    assert got == want, (
        f"got {got} for logical date {logical.isoformat()} (UTC): in New York that is "
        f"{want}; flights are dated in New York time"
    )


@pytest.mark.exercise("flight_date")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a run without a logical date (None or missing) has no flight date: raise ValueError "
    "saying so, never fall back to today"
)
@pytest.mark.parametrize(
    "ctx", [pytest.param({}, id="missing"), pytest.param(_context(None), id="none")]
)
def test_no_logical_date_is_an_error(context, ctx):
    with pytest.raises(ValueError, match=r"^the run has no logical_date"):
        context.flight_date(ctx)


@pytest.mark.exercise("flight_date")
@pytest.mark.points(1)
@pytest.mark.hint("a naive datetime has no time zone to convert from: raise ValueError")
def test_a_naive_logical_date_is_an_error(context):
    with pytest.raises(ValueError, match=r"aware|zone"):
        context.flight_date(_context(dt.datetime(2013, 9, 2, 4)))
    with pytest.raises(ValueError, match="logical_date"):
        context.flight_date(_context("2013-09-02"))


@pytest.mark.exercise("backfill_days")
@pytest.mark.points(2)
@pytest.mark.hint(
    "both ends are included: counting the gap between start and end drops the last day "
    "(one day when start == end)"
)
@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        pytest.param(dt.date(2013, 9, 1), dt.date(2013, 9, 30), 30, id="september"),
        pytest.param(dt.date(2013, 9, 5), dt.date(2013, 9, 5), 1, id="one-day"),
        pytest.param(dt.date(2013, 2, 27), dt.date(2013, 3, 2), 4, id="across-a-month"),
        pytest.param(dt.date(2013, 1, 1), dt.date(2013, 12, 31), 365, id="the-year"),
    ],
)
def test_backfill_days_covers_both_ends(context, start, end, count):
    days = context.backfill_days(start, end)
    assert len(days) == count, f"{len(days)} days from {start} to {end}: want {count}"
    assert days[0] == start and days[-1] == end, f"first {days[0]}, last {days[-1]}"
    steps = {(b - a).days for a, b in itertools.pairwise(days)}
    assert steps <= {1}, f"days must follow each other one by one, steps seen: {steps}"
    assert all(type(d) is dt.date for d in days), "return dates (not datetimes or strings)"


@pytest.mark.exercise("backfill_days")
@pytest.mark.points(2)
@pytest.mark.hint("end before start is a mistake to report (ValueError naming both), not []")
def test_backfill_refuses_a_reversed_range(context):
    with pytest.raises(ValueError, match="2013-09-30") as error:
        context.backfill_days(dt.date(2013, 9, 30), dt.date(2013, 9, 1))
    assert "2013-09-01" in str(error.value), f"name both dates: {error.value}"


@pytest.mark.exercise("backfill_days")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the DAGs run from FIRST_DAY to LAST_DAY: a date outside raises ValueError naming the "
    "argument, then the date ('start must be between 2013-01-01 and 2013-12-31, got ...'); "
    "start is checked first"
)
@pytest.mark.parametrize(
    ("start", "end", "bad"),
    [
        pytest.param(
            dt.date(2012, 12, 31), dt.date(2013, 1, 2), "start .*2012-12-31", id="before-2013"
        ),
        pytest.param(
            dt.date(2013, 12, 30), dt.date(2014, 1, 1), "end .*2014-01-01", id="after-2013"
        ),
        pytest.param(
            dt.date(2014, 1, 1), dt.date(2014, 1, 2), "start .*2014-01-01", id="both-outside"
        ),
    ],
)
def test_backfill_stays_within_the_dags_dates(context, start, end, bad):
    with pytest.raises(ValueError, match=bad):
        context.backfill_days(start, end)
