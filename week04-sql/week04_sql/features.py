"""The model's features computed in the database, with SQLAlchemy 2 Core, from week03's feature
registry: every window, key and smoothing weight below is read from
``week03_ml.features.REGISTRY``, never written here again.

The pieces; print any of them to read its SQL (``print(weather_join())``):

* :func:`weather_join`: every flight with its origin's weather at the *scheduled* hour;
* :func:`trailing_counts`: for each flight, its group's delayed and labelled flights over the
  days before its date: two window functions that never see the same day;
* :func:`past_rate`: a past delay rate of the registry, smoothed towards the overall rate,
  built on :func:`trailing_counts`;
* :func:`recent_weather`: a recent-weather feature (rain over the last hours...) as a window
  over the weather readings;
* :func:`feature_select`: all of them joined with the planes into one row per flight, with
  exactly the columns of week03's ``build_features``.

Everything is a bound parameter or a column: no value is ever pasted into SQL text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from week01_data.join import WEATHER_COLUMNS
from week01_data.target import DELAY_THRESHOLD_MINUTES, TARGET
from week03_ml.features import BY_NAME, FEATURES, REGISTRY, Feature
from week04_sql.db import day_number
from week04_sql.schema import flights, planes, weather

#: The columns that identify a flight, then the model's features, then the label.
KEYS = ["flight_date", "carrier", "flight", "origin"]
FEATURE_TABLE = [*KEYS, "tailnum", "time_hour", *[f for f in FEATURES if f not in KEYS], TARGET]
#: The features read from the plane (by tail number): feature name -> ``planes`` column.
PLANE_COLUMNS: dict[str, str] = {
    f.name: f.source for f in REGISTRY if f.keys == ("tailnum",) and f.source is not None
}


def flights_column(name: str) -> sa.ColumnElement[object]:
    """The ``flights`` column behind a registry name: ``dep_hour`` is ``flights.hour``."""
    declared = BY_NAME.get(name)
    column = declared.source if declared is not None and declared.kind == "schedule" else name
    if column is None or column not in flights.c:
        raise ValueError(f"{name!r} is not a column of flights")
    return flights.c[column]


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
    """
    if days is not None and days < 1:
        raise ValueError(f"days must be at least 1 (or None for all history), got {days}")
    window = {
        "partition_by": [flights_column(name) for name in by] or None,
        "order_by": day_number(flights.c.flight_date),
        "range_": (None if days is None else -days, -1),
    }
    flag = delayed_flag()
    delayed = sa.func.sum(flag).over(**window)  # type: ignore[arg-type]
    known = sa.func.count(flag).over(**window)  # type: ignore[arg-type]
    return delayed, known


def past_rate(feature: Feature) -> sa.ColumnElement[float]:
    """A past delay rate of the registry (``kind="past_rate"``), smoothed as week03 does::

        (delayed + smoothing * prior) / (labelled + smoothing)
        prior = delayed_all / labelled_all   (every flight, same days)

    NULL when no flight at all was labelled on those days. Equal to week03's
    ``past_delay_rate`` on the same flights, row for row (the parity check proves it).
    """
    if feature.kind != "past_rate" or feature.smoothing is None:
        raise ValueError(f"{feature.name} is a {feature.kind} feature, not a past rate")
    delayed, known = trailing_counts(feature.keys, feature.window)
    delayed_all, known_all = trailing_counts([], feature.window)
    prior = sa.cast(delayed_all, sa.Float) / sa.func.nullif(known_all, 0)
    s = sa.literal(feature.smoothing, sa.Float)
    rate = (sa.func.coalesce(delayed, 0) + s * prior) / (known + s)
    return cast("sa.ColumnElement[float]", rate)


def recent_weather(feature: Feature) -> sa.ColumnElement[float]:
    """A recent-weather feature of the registry as a window over ``weather`` rows.

    Each station's readings in time order: ``sum`` / ``min`` / ``max`` over the last
    ``window`` readings (the current one included), ``change`` is now minus ``window``
    readings ago, ``sum_today`` adds the readings since local midnight (weather's
    ``year``/``month``/``day`` are local). NULL readings are skipped as pandas does; a NULL
    reading gets a NULL ``sum_today``, as pandas' ``cumsum`` leaves it.
    """
    if feature.kind != "recent_weather" or feature.source is None:
        raise ValueError(f"{feature.name} is a {feature.kind} feature, not recent weather")
    value = weather.c[feature.source]
    station = [weather.c.origin]
    order = weather.c.time_hour
    if feature.how == "change":
        assert feature.window is not None
        lagged = sa.func.lag(value, feature.window).over(partition_by=station, order_by=order)
        return cast("sa.ColumnElement[float]", value - lagged)
    if feature.how == "sum_today":
        today = [*station, weather.c.year, weather.c.month, weather.c.day]
        running = sa.func.sum(value).over(partition_by=today, order_by=order, rows=(None, 0))
        return cast("sa.ColumnElement[float]", sa.case((value.is_(None), sa.null()), else_=running))
    assert feature.window is not None and feature.how in ("sum", "min", "max")
    aggregate = getattr(sa.func, feature.how)
    frame = (-(feature.window - 1), 0)
    windowed = aggregate(value).over(partition_by=station, order_by=order, rows=frame)
    if feature.how == "sum":
        # a sliding SUM subtracts the reading that leaves the frame: three hours of rain then
        # three dry ones can leave -2.8e-17 instead of 0 (pandas' rolling sum gives 0), and a
        # negative precipitation is refused by the API's schema. Residue below 1e-9 is zero.
        windowed = sa.case((sa.func.abs(windowed) < 1e-9, 0.0), else_=windowed)
    return cast("sa.ColumnElement[float]", windowed)


def feature_select(start: dt.date, end: dt.date) -> sa.Select[tuple]:
    """One row per flight scheduled from ``start`` to ``end`` (inclusive): the keys, the
    model's features (:data:`week03_ml.features.FEATURES`) and the label, in
    :data:`FEATURE_TABLE` order.

    The windows run over every flight up to ``end`` (a past rate over "every earlier day"
    needs them all), and the outer query keeps the range: a WHERE runs before the windows, so
    filtering first would cut the history off.
    """
    if end < start:
        raise ValueError(f"end must not be before start, got start={start} end={end}")
    day = day_number(flights.c.flight_date)
    recent = sa.select(
        weather.c.origin,
        weather.c.time_hour,
        *(recent_weather(f).label(f.name) for f in REGISTRY if f.kind == "recent_weather"),
    ).subquery("recent")
    computed: dict[str, sa.ColumnElement[Any]] = {
        "day_of_week": ((day + 3) % 7).label("day_of_week"),  # 1970-01-01 was a Thursday
        "dep_hour": flights.c.hour.label("dep_hour"),
        TARGET: delayed_flag().label(TARGET),
    }
    for name, column in PLANE_COLUMNS.items():
        computed[name] = planes.c[column].label(name)
    for f in REGISTRY:
        if f.kind == "recent_weather":
            computed[f.name] = recent.c[f.name].label(f.name)
        elif f.kind == "past_rate":
            computed[f.name] = past_rate(f).label(f.name)
    on_recent = sa.and_(
        recent.c.origin == flights.c.origin, recent.c.time_hour == flights.c.time_hour
    )
    inner = (
        weather_join()
        .outerjoin(planes, planes.c.tailnum == flights.c.tailnum)
        .outerjoin(recent, on_recent)
        .add_columns(*computed.values())
        .where(flights.c.flight_date <= sa.bindparam("end", end, type_=sa.Date))
        .subquery("fw")
    )
    return (
        sa.select(*(inner.c[name] for name in FEATURE_TABLE))
        .where(inner.c.flight_date >= sa.bindparam("start", start, type_=sa.Date))
        .order_by(*(inner.c[name] for name in KEYS))
    )


def build_features(conn: Connection, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Run :func:`feature_select` and return it as a DataFrame with pandas types: UTC
    ``time_hour``, dates as ``datetime64``, ``is_delayed`` as a nullable boolean, numbers as
    float64 and categories as strings with NaN for unknown (as week03's table has them)."""
    frame = pd.read_sql(feature_select(start, end), conn)
    frame["flight_date"] = pd.to_datetime(frame["flight_date"])
    frame["time_hour"] = pd.to_datetime(frame["time_hour"]).dt.tz_localize("UTC")
    frame[TARGET] = frame[TARGET].astype("boolean")
    for f in REGISTRY:
        if f.numeric:
            frame[f.name] = frame[f.name].astype("float64")
        else:
            frame[f.name] = frame[f.name].astype(object).where(frame[f.name].notna(), float("nan"))
    return frame
