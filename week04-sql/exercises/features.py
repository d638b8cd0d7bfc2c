"""Exercises 4 and 5 — the weather at the right hour, and trailing windows that do not peek
(the model's past delay rates are built on them).

Both return SQLAlchemy expressions (print one to read its SQL). Check them with
``uv run course grade week04``; the reference is ``week04_sql/features.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from week01_data.join import WEATHER_COLUMNS
from week04_sql.db import day_number
from week04_sql.features import delayed_flag, flights_column
from week04_sql.schema import flights, weather


def weather_join() -> sa.Select[tuple]:
    """Every flight with the origin airport's weather at the flight's scheduled hour.

    Selects all ``flights`` columns plus the weather measurements (``temp`` ... ``visib``).
    A flight whose hour has no weather row keeps NULLs: it is not dropped (LEFT JOIN), and
    since (origin, time_hour) is weather's primary key, no flight is duplicated.

    Steps:
      1. The join condition: ``sa.and_(weather.c.origin == flights.c.origin,
         weather.c.time_hour == flights.c.time_hour)`` (both scheduled hours, in UTC).
      2. ``sa.select(flights, *(weather.c[name] for name in WEATHER_COLUMNS))``.
      3. ``.select_from(flights.outerjoin(weather, on))``: outer, so no flight is lost.
    """
    # TODO: your code here
    raise NotImplementedError("weather_join")


def trailing_counts(
    by: Sequence[str], days: int | None
) -> tuple[sa.ColumnElement[int | None], sa.ColumnElement[int]]:
    """Delayed and labelled flights of each flight's ``by`` group on the days *before* its date.

    Two window expressions over ``flights`` rows, to put in a ``SELECT ... FROM flights``::

        SUM(flag) OVER w, COUNT(flag) OVER w
        w = (PARTITION BY <by> ORDER BY day_number(flight_date)
             RANGE BETWEEN <days> PRECEDING AND 1 PRECEDING)

    ``flag`` is :func:`delayed_flag` (NULL for a cancelled flight, so ``COUNT(flag)`` counts
    labelled flights only). ``RANGE`` counts calendar days (a day without flights is simply
    absent); ending at ``1 PRECEDING`` keeps every flight of the same day out. ``days=None``
    takes every earlier day (``UNBOUNDED PRECEDING``); ``by=[]`` counts every flight (no
    partition). Where the frame holds no labelled flight the count is 0 and the sum NULL.
    ``by`` names registry features or ``flights`` columns (``dep_hour`` is ``flights.hour``).

    Raises ``ValueError``, naming the bad value, when ``days < 1`` or when ``by`` names a
    column ``flights`` does not have.

    The model's past delay rates are built on these two numbers (``past_rate`` in the
    reference smooths them towards the overall rate, as week03 does).

    Steps:
      1. ``ValueError`` for ``days`` below 1 (``None`` is allowed), with the value in the message.
      2. The partition: ``[flights_column(name) for name in by]`` (it raises ``ValueError`` for
         an unknown name), or ``None`` when ``by`` is empty.
      3. ``window = {"partition_by": ..., "order_by": day_number(flights.c.flight_date),
         "range_": (None if days is None else -days, -1)}``: ``None`` is UNBOUNDED.
      4. ``flag = delayed_flag()``; return ``(sa.func.sum(flag).over(**window),
         sa.func.count(flag).over(**window))``.
    """
    # TODO: your code here
    raise NotImplementedError("trailing_counts")
