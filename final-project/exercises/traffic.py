"""Exercises 1 and 2 — the day's live traffic: which flights ask the service, and what a
passenger's app sends.

Write the functions below from their contracts, then check them with
``uv run course grade final-project``; when stuck, ``uv run course hint final-project
sample_flights`` (or ``schedule_request``) gives a hint, one step at a time. The reference
solution lives in ``capstone/traffic.py``: look only once you are done.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from capstone.traffic import SCHEDULE_FIELDS, ScheduleCall
from week13_retrain.assign import flight_id


def sample_flights(today: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` of ``today``'s flights (all of them when there are fewer), in their original
    order.

    Why: the simulation must be repeatable (same seed, same requests, same report), yet each
    day must ask about other flights. ``today.sample(n)`` gives another sample on every run,
    and a generator seeded with ``seed`` alone asks about the same slots of every day's
    timetable.

    Args:
        today: one day's flights (every row the same day, in its ``year``, ``month`` and
            ``day`` columns), with any index; possibly empty.
        n: how many flights to ask about, 0 or more.
        seed: the run's seed.

    Returns:
        ``min(n, len(today))`` distinct rows of ``today``, unchanged, with their original
        index labels and in their original order, and all of ``today``'s columns. An empty
        ``today`` or ``n == 0`` gives an empty frame with ``today``'s columns.

    Raises:
        ValueError: ``n`` below 0; the message names ``n`` (as a word) and the value given.

    Invariants (checked):
        - the same ``today`` and ``seed`` give the same rows on every call and in every run;
        - another seed, or another day with the same timetable, gives another sample.
    """
    # TODO: your code here
    raise NotImplementedError("sample_flights")


def schedule_request(flight: pd.Series) -> ScheduleCall:
    """The ``POST /predict/schedule`` call of one flight of week03's table.

    Why: at booking time a passenger knows the schedule, nothing measured at departure. A body
    built from ``dep_time`` (the *actual* departure) leaks the answer; one built from
    ``time_hour`` (UTC, whole hours) asks about another time.

    Args:
        flight: one row of week03's table: ``carrier``, ``flight`` (a NumPy integer),
            ``origin``, ``dest``, ``tailnum`` (a string, or NaN/None when unknown) and
            ``sched_dep`` (a time-zone-aware timestamp in New York time), among many other
            columns.

    Returns:
        ``ScheduleCall(body, flight_id)``. ``body`` has exactly the keys of
        :data:`SCHEDULE_FIELDS`: ``carrier``, ``origin``, ``dest`` as ``str``; ``flight`` as a
        Python ``int`` (json cannot encode NumPy's); ``sched_dep`` as ISO 8601 text of the
        scheduled departure with its offset, e.g. ``"2013-09-14T07:30:00-04:00"``; ``tailnum``
        as ``str``, or ``None`` when it is missing (never the text ``"nan"``). ``flight_id``
        is week13's :func:`flight_id` of the scheduled departure's New York date, the carrier,
        the number and the origin, e.g. ``"2013-09-14/UA/1545/EWR"``.

    Raises:
        ValueError: a ``sched_dep`` without a time zone (a naive timestamp is ambiguous); the
            message contains the words ``time zone``.

    Invariants (checked):
        - ``json.dumps(body)`` works;
        - a 23:59 departure in New York keeps its own date in the id, whatever the UTC date.
    """
    # TODO: your code here
    raise NotImplementedError("schedule_request")
