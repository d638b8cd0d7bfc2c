"""Exercises 4 and 5 — the weather at the right hour, and trailing windows that do not peek
(the model's past delay rates are built on them).

Both return SQLAlchemy expressions, not data: the caller puts them in a query and runs it, on
SQLite or PostgreSQL (``print()`` one to read its SQL). A feature may only use what is known when
the flight is scored: the weather at its *scheduled* hour, and delays of the days *before* it.

Check your work with ``uv run course grade week04``; stuck, ``uv run course hint week04
weather_join`` (or ``trailing_counts``) shows one hint step at a time. The reference is
``week04_sql/features.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from week01_data.join import WEATHER_COLUMNS
from week04_sql.db import day_number
from week04_sql.features import delayed_flag, flights_column
from week04_sql.schema import flights, weather


def weather_join() -> sa.Select[tuple]:
    """A query of every flight with its origin airport's weather at its scheduled hour.

    ``time_hour`` is the scheduled departure hour, in UTC, in both ``flights`` and ``weather``
    (the ``hour`` columns are local time). The weather that matters is the one at the airport
    the flight leaves from, at that hour.

    Returns:
        A ``sqlalchemy.Select``, not run. Its columns: every ``flights`` column, then the
        weather measurements named in ``WEATHER_COLUMNS`` (``temp`` ... ``visib``), and no
        other weather column (weather's own ``origin``, ``time_hour``, ``year``... would
        repeat the flights' names).

    Invariants (checked):
        - one row per flight: none dropped, none doubled. A flight whose origin has no reading
          at its hour keeps NULL measurements; ``(origin, time_hour)`` is weather's primary
          key, so at most one reading matches;
        - each flight gets its own origin's reading (not its destination's) at its own
          scheduled hour in UTC (not the local hour, not another hour).
    """
    # TODO: your code here
    raise NotImplementedError("weather_join")


def trailing_counts(
    by: Sequence[str], days: int | None
) -> tuple[sa.ColumnElement[int | None], sa.ColumnElement[int]]:
    """Delayed and labelled flights of each flight's ``by`` group on the days *before* its date.

    The model's past delay rates (the share of a route's, an airline's... flights that were
    late recently) are these two counts, smoothed (``past_rate`` in the reference does it as
    week03 does). A count that includes the flight's own day uses delays that are not known
    yet when the flight is scored: a leak.

    Args:
        by: the group: registry feature names or ``flights`` columns (``"dep_hour"`` is
            ``flights.hour``; :func:`flights_column` gives the column of a name). ``[]``
            means a single group, every flight.
        days: the window, in calendar days: the ``days`` dates just before the flight's date
            (``1`` is the day before only). ``None``: every earlier date.

    Returns:
        ``(delayed, labelled)``, two window expressions to select from ``flights`` (one value
        per flight row): the flights of the row's group and window that were delayed
        (:func:`delayed_flag` is 1), and those with a known outcome (the flag is not NULL).
        Where the window holds no labelled flight, ``labelled`` is 0 and ``delayed`` NULL
        (0 is accepted too).

    Raises:
        ValueError: before anything is built, when ``days`` is below 1 (the message contains
            the value, e.g. ``-3``), or when a name in ``by`` is not a column of ``flights``
            (the message contains the name; :func:`flights_column` raises this for you).

    Invariants (checked):
        - never the flight's own date: on a group's first date both counts are empty;
        - calendar days, not rows: a date without flights still uses up a day of the window,
          and every flight of one group on one date gets the same two numbers;
        - a cancelled or diverted flight (no arrival delay) counts in neither number;
        - each group has its own window; ``by=[]`` counts every flight together;
        - dates are counted as ``day_number(flight_date)`` (whole days since 1970-01-01,
          computed the same way on SQLite and PostgreSQL);
        - on real days, week03's route rate smoothed from your counts equals week03's
          ``past_delay_rate`` for every flight.
    """
    # TODO: your code here
    raise NotImplementedError("trailing_counts")
