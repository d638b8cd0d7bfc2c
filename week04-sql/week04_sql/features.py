"""The model's features computed in the database, with SQLAlchemy 2 Core.

Three pieces; print any of them to read its SQL (``print(weather_join())``):

* :func:`weather_join`: every flight with its origin's weather at the *scheduled* hour;
* :func:`trailing_rate`: for each flight, the share of delayed flights of its group (carrier,
  route or origin) over the previous N days: a window function that never sees the same day;
* :func:`feature_select`: both joined with the planes into one row per flight.

Everything is a bound parameter or a column: no value is ever pasted into SQL text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import cast

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from week01_data.join import WEATHER_COLUMNS
from week01_data.target import DELAY_THRESHOLD_MINUTES, TARGET
from week04_sql.db import day_number
from week04_sql.schema import flights, planes, weather

#: The trailing windows: name -> grouping columns, each over these numbers of days.
GROUPS: dict[str, list[str]] = {
    "carrier": ["carrier"],
    "route": ["origin", "dest"],
    "origin": ["origin"],
}
WINDOWS_DAYS = (7, 30)

#: Plane columns of the feature table, named like week01's ``join_planes`` output.
PLANE_FEATURES = {
    "plane_year": "year",
    "plane_seats": "seats",
    "plane_engines": "engines",
    "plane_engine": "engine",
}


def rate_column(group: str, days: int) -> str:
    """The feature name of a trailing rate: ``carrier_delay_rate_7d``."""
    return f"{group}_delay_rate_{days}d"


#: Every trailing-rate column, in feature-table order.
RATE_COLUMNS = [rate_column(g, d) for g in GROUPS for d in WINDOWS_DAYS]


def delayed_flag() -> sa.ColumnElement[int | None]:
    """1 when the flight arrived more than 15 minutes late, 0 when not, NULL when unknown
    (cancelled or diverted): SQL's version of week01's ``is_delayed``."""
    return sa.case(
        (flights.c.arr_delay.is_(None), sa.null()),
        (flights.c.arr_delay > sa.bindparam("delay_threshold", DELAY_THRESHOLD_MINUTES), 1),
        else_=0,
    )


def weather_join() -> sa.Select[tuple]:
    """Every flight with the origin airport's weather at the flight's scheduled hour.

    Selects all ``flights`` columns plus the weather measurements (``temp`` ... ``visib``).
    A flight whose hour has no weather row keeps NULLs: it is not dropped (LEFT JOIN), and
    since (origin, time_hour) is weather's primary key, no flight is duplicated.
    """
    on = sa.and_(weather.c.origin == flights.c.origin, weather.c.time_hour == flights.c.time_hour)
    return sa.select(flights, *(weather.c[name] for name in WEATHER_COLUMNS)).select_from(
        flights.outerjoin(weather, on)
    )


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
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    unknown = [name for name in by if name not in flights.c]
    if unknown or not by:
        raise ValueError(f"by must be flights columns, got {list(by)}")
    partition = [flights.c[name] for name in by]
    order = day_number(flights.c.flight_date)
    flag = delayed_flag()
    delayed = sa.func.sum(flag).over(partition_by=partition, order_by=order, range_=(-days, -1))
    known = sa.func.count(flag).over(partition_by=partition, order_by=order, range_=(-days, -1))
    # In raw SQL, integer / integer truncates (2/3 = 0) on both backends. SQLAlchemy 2's "/"
    # already divides truly; the CAST says so in the SQL you read, whatever builds it.
    rate = sa.cast(delayed, sa.Float) / sa.func.nullif(known, 0)
    return cast("sa.ColumnElement[float]", rate)


def feature_select(start: dt.date, end: dt.date) -> sa.Select[tuple]:
    """One row per flight scheduled from ``start`` to ``end`` (inclusive): schedule, route,
    plane, weather at the scheduled hour, the six trailing delay rates and the label.

    The windows run over the flights from ``max(WINDOWS_DAYS)`` days before ``start``, so the
    first days of the range see their full history; the outer query then keeps the range.
    (Filtering first would cut the history off: a WHERE runs before the windows.)
    """
    if end < start:
        raise ValueError(f"end must not be before start, got start={start} end={end}")
    history = start - dt.timedelta(days=max(WINDOWS_DAYS))
    day = day_number(flights.c.flight_date)
    inner = (
        weather_join()
        .outerjoin(planes, planes.c.tailnum == flights.c.tailnum)
        .add_columns(
            ((day + 3) % 7).label("day_of_week"),  # 1970-01-01 was a Thursday; Monday = 0
            *(planes.c[column].label(name) for name, column in PLANE_FEATURES.items()),
            *(
                trailing_rate(by, days).label(rate_column(group, days))
                for group, by in GROUPS.items()
                for days in WINDOWS_DAYS
            ),
            delayed_flag().label(TARGET),
        )
        .where(flights.c.flight_date >= sa.bindparam("history_start", history, type_=sa.Date))
        .subquery("fw")
    )
    columns = [
        "flight_date",
        "carrier",
        "flight",
        "origin",
        "dest",
        "tailnum",
        "time_hour",
        "month",
        "day_of_week",
        "hour",
        "distance",
        *PLANE_FEATURES,
        *WEATHER_COLUMNS,
        *RATE_COLUMNS,
        TARGET,
    ]
    return (
        sa.select(*(inner.c[name] for name in columns))
        .where(
            inner.c.flight_date.between(
                sa.bindparam("start", start, type_=sa.Date), sa.bindparam("end", end, type_=sa.Date)
            )
        )
        .order_by(inner.c.flight_date, inner.c.carrier, inner.c.flight, inner.c.origin)
    )


def build_features(conn: Connection, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Run :func:`feature_select` and return it as a DataFrame with pandas types: UTC
    ``time_hour``, dates as ``datetime64``, ``is_delayed`` as a nullable boolean."""
    frame = pd.read_sql(feature_select(start, end), conn)
    frame["flight_date"] = pd.to_datetime(frame["flight_date"])
    frame["time_hour"] = pd.to_datetime(frame["time_hour"]).dt.tz_localize("UTC")
    frame[TARGET] = frame[TARGET].astype("boolean")
    return frame
