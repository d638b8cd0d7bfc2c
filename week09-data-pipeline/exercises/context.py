"""Exercises 1 and 2 — the flight date of a run, and the days of a backfill.

Fill in the two functions below, then check them with ``uv run course grade week09``.
The reference solution lives in ``week09_data_pipeline/context.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from week09_data_pipeline.context import DAG_TIMEZONE, FIRST_DAY, LAST_DAY


def flight_date(context: Mapping[str, Any]) -> dt.date:
    """The flight date a run processes: its ``logical_date`` as a New York calendar date.

    ``context`` is the Airflow task context (or any mapping with a ``logical_date``).
    ``logical_date`` is a time-zone-aware datetime (Airflow gives UTC): convert it to
    ``DAG_TIMEZONE`` before taking the date, so a run due at 22:00 in New York (02:00 UTC
    the next day) processes the New York day. Never ``data_interval_start`` /
    ``data_interval_end`` (they move with the timetable's interval) and never the clock.

    Raises ``ValueError`` when the context has no logical date (``None`` or missing: Airflow 3
    lets a manual run have none; trigger it with one) or a naive one (no time zone: ambiguous).

    Steps:
      1. ``logical = context.get("logical_date")``; ``None`` -> ``ValueError`` whose message
         starts with ``"the run has no logical_date"``.
      2. Not a ``dt.datetime`` (a string, a date) -> ``ValueError`` naming ``logical_date``.
      3. ``logical.tzinfo is None`` (naive) -> ``ValueError`` saying it must be time-zone aware.
      4. Return ``logical.astimezone(ZoneInfo(DAG_TIMEZONE)).date()``.
    """
    # TODO: your code here
    raise NotImplementedError("flight_date")


def backfill_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date from ``start`` to ``end``, both included, in order: what a backfill runs.

    Raises ``ValueError`` when ``end`` is before ``start`` (naming both), or when either lies
    outside the DAGs' dates ``FIRST_DAY`` .. ``LAST_DAY`` (naming the bad one): there is no
    data outside 2013, and Airflow would refuse those runs too.

    Steps:
      1. For ``start`` then ``end``: outside ``FIRST_DAY <= day <= LAST_DAY`` -> ``ValueError``
         with the day in the message.
      2. ``end < start`` -> ``ValueError`` naming both dates.
      3. ``[start + dt.timedelta(days=n) for n in range((end - start).days + 1)]``.
    """
    # TODO: your code here
    raise NotImplementedError("backfill_days")
