"""Exercise 7 — the online store's past rates, as of a date: what a flight will be served.

A client asking about tomorrow's flight knows its schedule, not its past delay rates. The online
store keeps those rates ready, per group and per date, computed from the flights of the days
*before* that date only, and exactly as the model saw them in training (week03), or the model
is served other numbers than it learned from (training/serving skew).

Check your work with ``uv run course grade week04``; stuck, ``uv run course hint week04
rates_as_of`` shows one hint step at a time. The reference solution lives in
``week04_sql/online.py`` (``rates_as_of``): look only once you are done.
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

    Args:
        conn: an open connection to a database holding ``flights``.
        feature: a past rate of week03's registry (``feature.kind == "past_rate"``): its
            ``keys`` (the group's registry names, maybe none), its ``window`` (days, or None
            for every earlier day) and its ``smoothing``.
        day: the date whose flights are served.

    Returns:
        One dict per group, the first for every flight together (``group_key`` ``''``), then
        one per group with at least one flight in the window (in any order); a feature without
        keys gives that first dict only. Each dict has exactly these keys:

        - ``feature``: ``feature.name``;
        - ``group_key``: :func:`group_key` of the group's values in ``feature.keys`` order
          (``'EWR|5'`` for origin and departure hour), ``''`` for every flight;
        - ``as_of``: ``day``;
        - ``delayed``, ``labelled``: plain ``int`` counts of the group's flights in the window
          that were delayed, and that have a known outcome (:func:`delayed_flag` not NULL);
        - ``value``: ``(delayed + smoothing * prior) / (labelled + smoothing)``, where
          ``prior`` is delayed / labelled over every flight of the same days; ``None`` in every
          dict when no flight at all is labelled in the window.

    Invariants (checked):
        - the window is the ``window`` dates just before ``day`` (``1``: the day before only),
          or every earlier date; never ``day`` itself, whose flights have not landed yet;
        - a cancelled flight has no outcome: it is not labelled (and not delayed);
        - every value equals week03's ``past_delay_rate`` for the flights of ``day`` (to a
          relative 1e-9), a group without a dict getting the ``''`` dict's value.
    """
    # TODO: your code here
    raise NotImplementedError("rates_as_of")
