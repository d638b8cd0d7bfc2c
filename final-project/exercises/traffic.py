"""Exercises 1 and 2 — the day's live traffic: which flights ask the service, and what a
passenger's app sends.

Fill in the functions below, then check them with ``uv run course grade final-project``. The
reference solution lives in ``capstone/traffic.py``: look only once you are done.
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
    day must ask about other flights. ``today.sample(n)`` gives another sample on every run.

    Steps:
      1. ``n < 0``: ``ValueError`` naming ``n``. An empty ``today`` (or ``n == 0``): return
         ``today.iloc[0:0]``.
      2. The day is the first row's ``year``/``month``/``day``: ``dt.date(...)``.
      3. ``rng = np.random.default_rng([seed, day.toordinal()])``; choose
         ``min(n, len(today))`` *positions* without replacement (``rng.choice``).
      4. Return ``today.iloc[sorted positions]``: the original index and order, no flight
         twice.
    """
    # TODO: your code here
    raise NotImplementedError("sample_flights")


def schedule_request(flight: pd.Series) -> ScheduleCall:
    """The ``POST /predict/schedule`` call of one flight of week03's table.

    Why: at booking time a passenger knows the schedule, nothing measured at departure. A body
    built from ``dep_time`` (the *actual* departure) leaks the answer; one built from
    ``time_hour`` (UTC, whole hours) asks about another time.

    Steps:
      1. ``sched_dep = pd.Timestamp(flight["sched_dep"])``; a naive one (no ``tzinfo``):
         ``ValueError`` saying it must carry its time zone.
      2. The body has exactly :data:`SCHEDULE_FIELDS`: ``carrier``, ``dest``, ``origin`` as
         ``str``, ``flight`` as a Python ``int`` (JSON cannot encode NumPy's), ``sched_dep`` as
         ``sched_dep.isoformat()`` (New York time with its offset), ``tailnum`` as ``str`` or
         ``None`` when missing (``pd.isna``; never ``"nan"``).
      3. The id: ``flight_id(sched_dep.date(), carrier, flight, origin)``: the New York date
         (a 23:59 departure is on its own day, whatever UTC says).
      4. Return ``ScheduleCall(body, the id)``.
    """
    # TODO: your code here
    raise NotImplementedError("schedule_request")
