"""Exercises 1 and 2 — the flight date of a run, and the days of a backfill.

Every task of this week's DAGs works on one flight date, and that date must come from the run
itself: a backfill of September asks for thirty past days, and each task has to process the day
it is asked for, not today and not a neighbouring day.

Write the two functions below, then check them with ``uv run course grade week09``. Stuck?
``uv run course hint week09 flight_date`` (or ``backfill_days``) shows one hint step per call.
The reference solution lives in ``week09_data_pipeline/context.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from week09_data_pipeline.context import DAG_TIMEZONE, FIRST_DAY, LAST_DAY


def flight_date(context: Mapping[str, Any]) -> dt.date:
    """The flight date a run processes: its logical date, as a calendar date in New York.

    Airflow gives a task the moment its run was due as ``context["logical_date"]``, a
    time-zone-aware datetime in UTC. Flights are dated in New York time, so a run due at 22:00
    in New York (02:00 UTC the next day) processes the New York day. The context may also hold
    ``data_interval_start``, ``data_interval_end`` and a ``ds`` string: they move with the
    timetable and never decide the day. Neither does the clock.

    Args:
        context: the Airflow task context, or any mapping that may hold ``"logical_date"``.

    Returns:
        A ``datetime.date`` (not a ``datetime``): the calendar date of ``logical_date`` once it
        is expressed in ``DAG_TIMEZONE`` (America/New_York).

    Raises:
        ValueError: when ``logical_date`` is missing or ``None`` (Airflow 3 lets a manual run
            have none); the message starts with ``"the run has no logical_date"``.
        ValueError: when ``logical_date`` is not a ``datetime`` (a string, a plain date); the
            message names ``logical_date``, e.g.
            ``"logical_date must be a datetime, got '2013-09-02'"``.
        ValueError: when ``logical_date`` is naive (no time zone, so ambiguous); the message
            says it must be time-zone aware, e.g.
            ``"logical_date must be time-zone aware, got the naive 2013-09-02 04:00:00"``.

    Invariants (checked):
        * the result depends on ``logical_date`` only: the same context gives the same date on
          any day it is run, and the data interval keys are ignored;
        * 03:30 UTC on 2 September 2013 is 1 September (New York is four hours behind UTC in
          summer); 23:00 in New York on 31 December 2013 is still 2013-12-31.
    """
    # TODO: your code here
    raise NotImplementedError("flight_date")


def backfill_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date from ``start`` to ``end``, both included, in calendar order: what a backfill
    runs.

    A backfill of "1 to 30 September" is thirty runs, the 30th included. The DAGs only have
    dates from ``FIRST_DAY`` to ``LAST_DAY`` (the whole of 2013): there is no data outside, and
    Airflow would refuse those runs too.

    Args:
        start: the first flight date.
        end: the last flight date, included.

    Returns:
        A list of ``datetime.date``, one per day, each the day after the one before it;
        ``[start]`` when ``start == end``.

    Raises:
        ValueError: when ``start`` or ``end`` lies outside ``FIRST_DAY`` .. ``LAST_DAY`` (both
            bounds are allowed). The message names the argument, then the bad date in ISO
            form, in this form: ``"start must be between 2013-01-01 and 2013-12-31, got
            2012-12-31"`` (or ``"end must be between ..."``). The checks look for the word
            ``start`` (or ``end``) followed by a space and, later in the message, the bad
            date. ``start`` is checked first: when both are outside, the message is about
            ``start``.
        ValueError: when ``end`` is before ``start`` (a mistake to report, not an empty
            backfill); the message names both dates in ISO form, e.g.
            ``"end must not be before start, got start 2013-09-30 and end 2013-09-01"``.
    """
    # TODO: your code here
    raise NotImplementedError("backfill_days")
