"""The logical date of a run is the flight date: reading it from Airflow's context, and ranges.

Airflow 3 schedules ``"@daily"`` with a ``CronTriggerTimetable``: a run *is* its logical date
(the moment it was due), and ``data_interval_start`` is only equal to it when the timetable has
no interval. A task keyed on ``data_interval_start`` or ``data_interval_end`` processes the
wrong day as soon as someone adds one; a task keyed on ``datetime.now()`` processes "today"
whatever day it is asked for, so a backfill of September re-does today thirty times. Every task
of this week asks :func:`flight_date` instead.

This module imports nothing heavy: the DAG files' tasks call it first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

#: The DAGs' time zone: flights are dated in New York, so are the runs.
DAG_TIMEZONE = "America/New_York"
#: The data's first and last day: every DAG's ``start_date`` and ``end_date``.
FIRST_DAY = dt.date(2013, 1, 1)
LAST_DAY = dt.date(2013, 12, 31)


def flight_date(context: Mapping[str, Any]) -> dt.date:
    """The flight date a run processes: its ``logical_date`` as a New York calendar date.

    ``context`` is the Airflow task context (or any mapping with a ``logical_date``).
    ``logical_date`` is a time-zone-aware datetime (Airflow gives UTC): convert it to
    :data:`DAG_TIMEZONE` before taking the date, so a run due at 22:00 in New York (02:00 UTC
    the next day) processes the New York day. Never ``data_interval_start`` /
    ``data_interval_end`` (they move with the timetable's interval) and never the clock.

    Raises ``ValueError`` when the context has no logical date (``None`` or missing: Airflow 3
    lets a manual run have none; trigger it with one) or a naive one (no time zone: ambiguous).
    """
    logical = context.get("logical_date")
    if logical is None:
        raise ValueError("the run has no logical_date: trigger it with one (--logical-date)")
    if not isinstance(logical, dt.datetime):
        raise ValueError(f"logical_date must be a datetime, got {logical!r}")
    if logical.tzinfo is None:
        raise ValueError(f"logical_date must be time-zone aware, got the naive {logical}")
    return logical.astimezone(ZoneInfo(DAG_TIMEZONE)).date()


def backfill_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date from ``start`` to ``end``, both included, in order: what a backfill runs.

    Raises ``ValueError`` when ``end`` is before ``start`` (naming both), or when either lies
    outside the DAGs' dates :data:`FIRST_DAY` .. :data:`LAST_DAY` (naming the bad one): there
    is no data outside 2013, and Airflow would refuse those runs too.
    """
    for name, day in (("start", start), ("end", end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(f"{name} must be between {FIRST_DAY} and {LAST_DAY}, got {day}")
    if end < start:
        raise ValueError(f"end must not be before start, got start {start} and end {end}")
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
