"""Exercise 7 — the online store's past rates, as of a date: what a flight will be served.

Fill in the function below, then check it with ``uv run course grade week04``. The reference
solution lives in ``week04_sql/online.py`` (``rates_as_of``): look only once you are done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from week03_ml.features import Feature
from week04_sql.features import delayed_flag, flights_column
from week04_sql.online import group_key
from week04_sql.schema import flights


def rates_as_of(conn: Connection, feature: Feature, day: dt.date) -> list[dict[str, object]]:
    """The rows of ``online_rates`` for one past rate of the registry, as of ``day``: the
    values the flights of ``day`` will be served.

    Counts, over the flights of the days *before* ``day`` (only the ``feature.window`` days
    just before it, or every earlier day when the window is None), the labelled flights (those
    with a known outcome: :func:`~week04_sql.features.delayed_flag` is not NULL) and the
    delayed ones, per group of ``feature.keys`` and over every flight. Returns one dict per
    group seen, plus one for every flight with ``group_key`` ``''`` (first); a feature without
    keys gives only that one. Each dict has ``feature`` (the name), ``group_key``
    (:func:`group_key` of the group's values, in ``feature.keys`` order), ``as_of`` (``day``),
    ``delayed`` and ``labelled`` (ints) and ``value``::

        (delayed + smoothing * prior) / (labelled + smoothing),  prior = delayed / labelled
                                                                  of every flight

    ``value`` is None in every row when no flight at all was labelled on those days.

    Steps:
      1. The days: ``flights.c.flight_date < day`` (never the day itself: its flights have not
         landed when they are scored), and ``>= day - timedelta(days=feature.window)`` when
         the window is set (compared with a DATE column, a date is a typed bound parameter).
      2. ``flag = delayed_flag()``; the counts are ``COALESCE(SUM(flag), 0)`` and
         ``COUNT(flag)`` (``COUNT(*)`` would count a cancelled flight as on time).
      3. One query over every flight gives the prior; a second, grouped by
         ``[flights_column(k) for k in feature.keys]``, gives each group (skip it when there
         are no keys).
      4. Build the dicts; ints for the counts; the value from ``feature.smoothing``.
    """
    # TODO: your code here
    raise NotImplementedError("rates_as_of")
