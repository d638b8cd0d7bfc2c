"""Exercises 4 and 5 — the weather at the right hour, and a trailing window that does not peek.

Both return SQLAlchemy expressions (print one to read its SQL). Check them with
``uv run course grade week04``; the reference is ``week04_sql/features.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from week01_data.join import WEATHER_COLUMNS
from week04_sql.db import day_number
from week04_sql.features import delayed_flag
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


def trailing_rate(by: Sequence[str], days: int) -> sa.ColumnElement[float]:
    """The delay rate of each flight's ``by`` group over the ``days`` days *before* its date.

    A window expression over ``flights`` rows, to put in a ``SELECT ... FROM flights``::

        CAST(SUM(flag) OVER w AS FLOAT) / NULLIF(COUNT(flag) OVER w, 0)
        w = (PARTITION BY <by> ORDER BY day_number(flight_date)
             RANGE BETWEEN <days> PRECEDING AND 1 PRECEDING)

    ``flag`` is :func:`delayed_flag` (NULL for a cancelled flight, so ``COUNT(flag)`` counts
    labelled flights only). ``RANGE`` counts calendar days (a day without flights is simply
    absent); ending at ``1 PRECEDING`` keeps every flight of the same day out. NULL when the
    previous ``days`` days hold no labelled flight of the group.

    Raises ``ValueError``, naming the bad value, when ``days < 1`` or when ``by`` is empty or
    names a column ``flights`` does not have.

    Steps:
      1. Check the arguments: ``ValueError`` for ``days < 1``, for an empty ``by`` or a name
         not in ``flights.c``, with the bad value in the message.
      2. ``window = {"partition_by": [flights.c[n] for n in by], "order_by":
         day_number(flights.c.flight_date), "range_": (-days, -1)}``.
      3. ``flag = delayed_flag()``; ``delayed = sa.func.sum(flag).over(**window)`` and
         ``known = sa.func.count(flag).over(**window)``.
      4. Return ``sa.cast(delayed, sa.Float) / sa.func.nullif(known, 0)``: the cast avoids an
         integer division in the SQL (2/3 = 0), NULLIF a division by zero.
    """
    # TODO: your code here
    raise NotImplementedError("trailing_rate")
