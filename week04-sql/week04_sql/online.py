"""The online store: the model's features, ready to look up from a flight's schedule alone.

A client asking "will UA 1545 from EWR to IAH at 07:30 on 14 September be late?" knows the
schedule, not ``past_rate_origin_1d`` or ``precip_3h``. The store keeps, per entity and per
date, what the model needs, written after each day's load by :func:`materialize`:

* ``online_rates``: every past delay rate of the registry, per group (a route, an airline, an
  airport at an hour...) **as of** a date: the value for that date's flights, from the flights
  of the days before it. The row with an empty group holds the overall rate, which is also the
  value of a group without any earlier flight (smoothing gives exactly that);
* ``online_weather``: per airport and hour, the reading and the recent-weather features;
* ``online_routes``: the distance of each route (the latest one seen).

The planes come straight from the warehouse's ``planes`` table. :func:`lookup` turns schedule
rows into the model's 30 features with a few indexed reads, and :func:`skew_check` proves them
equal to week03's ``build_features`` for every flight of a period.

Everything a value depends on (keys, windows, smoothing) is read from week03's registry, as in
:mod:`week04_sql.features`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Column, Date, DateTime, Float, Index, Integer, String, Table
from sqlalchemy.engine import Connection, Engine

from week01_data.join import WEATHER_COLUMNS
from week03_ml.features import FEATURES, REGISTRY, Feature
from week04_sql.features import PLANE_COLUMNS, delayed_flag, flights_column, recent_weather
from week04_sql.schema import flights, planes, weather

log = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("America/New_York")
RATES = [f for f in REGISTRY if f.kind == "past_rate"]
RECENT = [f for f in REGISTRY if f.kind == "recent_weather"]

#: The columns a schedule row needs (``distance`` is optional: the route's is used otherwise).
SCHEDULE_COLUMNS = ["carrier", "flight", "origin", "dest", "sched_dep", "tailnum"]

online_metadata = sa.MetaData()

online_rates = Table(
    "online_rates",
    online_metadata,
    Column("feature", String(40), primary_key=True),
    Column("group_key", String(40), primary_key=True, comment="'' = every flight"),
    Column("as_of", Date, primary_key=True, comment="the flight date these values serve"),
    Column("delayed", Integer, nullable=False),
    Column("labelled", Integer, nullable=False),
    Column("value", Float),
    # a lookup reads the rows of one date: all its features and groups in one range scan
    Index("ix_online_rates_as_of", "as_of", "feature", "group_key"),
)

online_weather = Table(
    "online_weather",
    online_metadata,
    Column("origin", String(3), primary_key=True),
    Column("time_hour", DateTime(timezone=False), primary_key=True, comment="UTC"),
    *(Column(name, Float) for name in [*WEATHER_COLUMNS, *(f.name for f in RECENT)]),
)

online_routes = Table(
    "online_routes",
    online_metadata,
    Column("origin", String(3), primary_key=True),
    Column("dest", String(3), primary_key=True),
    Column("distance", Integer, nullable=False),
)


class StoreNotReady(LookupError):
    """The store has no features as of this date yet: materialize it after the day's load."""


class UnknownRoute(LookupError):
    """No flight has flown this route yet, so its distance is unknown."""


def create_online_schema(engine: Engine) -> None:
    """Create the store's tables if they do not exist (safe to call again)."""
    online_metadata.create_all(engine)


def group_key(values: Iterable[object]) -> str:
    """A group as ``online_rates`` writes it: ``EWR|ORD``, ``UA``, ``JFK|7``; ``''`` is all."""
    return "|".join(str(int(v)) if isinstance(v, float | int) else str(v) for v in values)


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
    """
    assert feature.smoothing is not None
    flag = delayed_flag()
    # compared with a DATE column, the dates travel as typed bound parameters
    where = [flights.c.flight_date < day]
    if feature.window is not None:
        where.append(flights.c.flight_date >= day - dt.timedelta(days=feature.window))
    counts: list[sa.ColumnElement[Any]] = [
        sa.func.coalesce(sa.func.sum(flag), 0),
        sa.func.count(flag),
    ]
    total_delayed, total_known = conn.execute(sa.select(*counts).where(*where)).one()
    prior = total_delayed / total_known if total_known else None
    s = feature.smoothing

    def row(key: str, delayed: Any, known: Any) -> dict[str, object]:
        value = None if prior is None else (delayed + s * prior) / (known + s)
        return {
            "feature": feature.name,
            "group_key": key,
            "as_of": day,
            "delayed": int(delayed),
            "labelled": int(known),
            "value": value,
        }

    rows = [row("", total_delayed, total_known)]
    if feature.keys:
        keys: list[sa.ColumnElement[Any]] = [flights_column(k) for k in feature.keys]
        grouped = conn.execute(sa.select(*keys, *counts).where(*where).group_by(*keys))
        rows += [row(group_key(tuple(r)[:-2]), tuple(r)[-2], tuple(r)[-1]) for r in grouped]
    return rows


def rolled_forward(
    conn: Connection, feature: Feature, day: dt.date
) -> list[dict[str, object]] | None:
    """:func:`rates_as_of` for a rate over *every* earlier day (``feature.window`` None), from
    the store's counts as of the day before plus that day's flights: the same integers, without
    reading the whole history again (a backfill's materialisation stays flat as the year fills).

    ``None`` when the rate has a window, or when the store has no rows as of the day before (then
    :func:`rates_as_of` counts from the flights). Like every materialised date, the stored counts
    reflect the flights loaded when they were written: a backfill re-runs the days in order.
    """
    if feature.window is not None:
        return None
    before = day - dt.timedelta(days=1)
    stored = conn.execute(
        sa.select(online_rates.c.group_key, online_rates.c.delayed, online_rates.c.labelled).where(
            online_rates.c.feature == feature.name, online_rates.c.as_of == before
        )
    ).all()
    if not stored:
        return None
    counts = {str(key): [int(delayed), int(labelled)] for key, delayed, labelled in stored}
    flag = delayed_flag()
    summed: list[sa.ColumnElement[Any]] = [
        sa.func.coalesce(sa.func.sum(flag), 0),
        sa.func.count(flag),
    ]
    on_day = flights.c.flight_date == sa.bindparam("before", before, type_=sa.Date)
    added = [("", *conn.execute(sa.select(*summed).where(on_day)).one())]
    if feature.keys:
        keys: list[sa.ColumnElement[Any]] = [flights_column(k) for k in feature.keys]
        grouped = conn.execute(sa.select(*keys, *summed).where(on_day).group_by(*keys))
        added += [(group_key(tuple(r)[:-2]), tuple(r)[-2], tuple(r)[-1]) for r in grouped]
    for key, delayed, labelled in added:
        total = counts.setdefault(key, [0, 0])
        total[0] += int(delayed)
        total[1] += int(labelled)
    total_delayed, total_known = counts[""]
    prior = total_delayed / total_known if total_known else None
    s = feature.smoothing
    assert s is not None
    return [
        {
            "feature": feature.name,
            "group_key": key,
            "as_of": day,
            "delayed": delayed,
            "labelled": known,
            "value": None if prior is None else (delayed + s * prior) / (known + s),
        }
        for key, (delayed, known) in counts.items()
    ]


def _local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first and last UTC hour (naive, as stored) of the New York calendar day ``day``."""
    start = dt.datetime.combine(day, dt.time(), LOCAL_TZ).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), LOCAL_TZ).astimezone(dt.UTC)
    return start.replace(tzinfo=None), end.replace(tzinfo=None)


def _weather_rows(conn: Connection, day: dt.date) -> list[dict[str, object]]:
    """Each reading of ``day`` (local) with its recent-weather features. The windows run over a
    day of earlier readings too, so the first hours see the readings before midnight."""
    start, end = _local_day_bounds(day)
    readings = (
        sa.select(
            weather.c.origin,
            weather.c.time_hour,
            *(weather.c[name] for name in WEATHER_COLUMNS),
            *(recent_weather(f).label(f.name) for f in RECENT),
        )
        .where(weather.c.time_hour >= sa.bindparam("warm_up", start - dt.timedelta(days=1)))
        .where(weather.c.time_hour < sa.bindparam("end", end))
        .subquery("readings")
    )
    chosen = sa.select(readings).where(readings.c.time_hour >= sa.bindparam("start", start))
    return [dict(r._mapping) for r in conn.execute(chosen)]


def materialize(engine: Engine, day: dt.date) -> dict[str, int]:
    """Write the store's features for the flights of ``day``: the past rates as of ``day``
    (from the flights loaded for the days before it), the weather of its hours (as far as it is
    loaded) and its routes. Idempotent: the day's rows are replaced in one transaction, so
    running it twice, or again after a failure, leaves the same store. Returns rows written."""
    create_online_schema(engine)
    with engine.begin() as conn:
        rates = [
            row
            for f in RATES
            for row in (rolled_forward(conn, f, day) or rates_as_of(conn, f, day))
        ]
        readings = _weather_rows(conn, day)
        routes = conn.execute(
            sa.select(flights.c.origin, flights.c.dest, sa.func.max(flights.c.distance))
            .where(flights.c.flight_date == sa.bindparam("day", day, type_=sa.Date))
            .group_by(flights.c.origin, flights.c.dest)
        ).all()
        start, end = _local_day_bounds(day)
        conn.execute(sa.delete(online_rates).where(online_rates.c.as_of == day))
        conn.execute(
            sa.delete(online_weather).where(
                online_weather.c.time_hour >= start, online_weather.c.time_hour < end
            )
        )
        if rates:
            conn.execute(online_rates.insert(), rates)
        if readings:
            conn.execute(online_weather.insert(), readings)
        for origin, dest, distance in routes:
            conn.execute(
                sa.delete(online_routes).where(
                    online_routes.c.origin == origin, online_routes.c.dest == dest
                )
            )
            conn.execute(
                online_routes.insert(), {"origin": origin, "dest": dest, "distance": distance}
            )
    log.info(
        "materialized %s: %d rates, %d readings, %d routes",
        day,
        len(rates),
        len(readings),
        len(routes),
    )
    return {"rates": len(rates), "weather": len(readings), "routes": len(routes)}


def loaded_days(engine: Engine) -> set[dt.date]:
    """The dates that have flights in the warehouse."""
    from week04_sql.schema import create_schema

    create_schema(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(flights.c.flight_date).distinct()).scalars()
        return {d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in rows}


def schedule_of(conn: Connection, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The schedule-only rows of the warehouse's flights from ``start`` to ``end``: what a
    client knows before departure (with ``distance``, which a published schedule carries)."""
    rows = pd.read_sql(
        sa.select(
            flights.c.flight_date,
            flights.c.carrier,
            flights.c.flight,
            flights.c.origin,
            flights.c.dest,
            flights.c.tailnum,
            flights.c.distance,
            flights.c.sched_dep_time,
        )
        .where(
            flights.c.flight_date.between(
                sa.bindparam("start", start, type_=sa.Date), sa.bindparam("end", end, type_=sa.Date)
            )
        )
        .order_by(flights.c.flight_date, flights.c.carrier, flights.c.flight, flights.c.origin),
        conn,
    )
    date = pd.to_datetime(rows.pop("flight_date"))
    hhmm = rows.pop("sched_dep_time")
    naive = date + pd.to_timedelta(hhmm // 100 * 60 + hhmm % 100, unit="min")
    rows["sched_dep"] = naive.dt.tz_localize(LOCAL_TZ, ambiguous="raise", nonexistent="raise")
    return rows


def lookup(conn: Connection, schedule: pd.DataFrame) -> pd.DataFrame:
    """The model's features (week03's ``FEATURES``, in order) for schedule-only rows.

    ``schedule`` has :data:`SCHEDULE_COLUMNS`: ``sched_dep`` a time-zone-aware (or New York
    local) timestamp, ``tailnum`` may be missing; a ``distance`` column is used when present,
    else the route's. A flight on day D gets the past rates as of D (the days before D only),
    the weather of its scheduled hour as loaded (NaN where no reading is loaded yet, as in
    training), and its plane's columns (NaN for an unknown plane, as in training).

    Raises :class:`StoreNotReady` naming the date when the store has no rates as of a flight's
    date, and :class:`UnknownRoute` naming the route when a distance is needed and unknown.
    """
    missing = [c for c in SCHEDULE_COLUMNS if c not in schedule.columns]
    if missing:
        raise ValueError(f"schedule rows need the columns {missing}")
    if not sa.inspect(conn).has_table(online_rates.name):
        raise StoreNotReady("the online store has no tables yet: materialize a day first")
    sched = pd.DatetimeIndex(schedule["sched_dep"])
    sched = sched.tz_localize(LOCAL_TZ) if sched.tz is None else sched.tz_convert(LOCAL_TZ)
    out = pd.DataFrame(index=schedule.index)
    for name in ("carrier", "origin", "dest"):
        out[name] = schedule[name].to_numpy()
    out["dep_hour"] = sched.hour.to_numpy()
    out["day_of_week"] = sched.dayofweek.to_numpy()
    days = pd.Series(sched.date, index=schedule.index)
    time_hour = pd.Series(
        sched.floor("h").tz_convert("UTC").tz_localize(None), index=schedule.index
    )
    _add_rates(conn, out, days)
    _add_weather(conn, out, schedule["origin"], time_hour)
    _add_planes(conn, out, schedule["tailnum"])
    _add_distance(conn, out, schedule)
    return out[FEATURES]


def _add_rates(conn: Connection, out: pd.DataFrame, days: pd.Series) -> None:
    wanted = sorted(set(days))
    stored = pd.read_sql(
        sa.select(
            online_rates.c.feature,
            online_rates.c.group_key,
            online_rates.c.as_of,
            online_rates.c.value,
        ).where(online_rates.c.as_of.in_(wanted)),
        conn,
    )
    stored["as_of"] = pd.to_datetime(stored["as_of"]).dt.date
    reached = set(stored.loc[stored["group_key"] == "", "as_of"])
    for day in wanted:
        if day not in reached:
            raise StoreNotReady(
                f"the online store has no features as of {day}: "
                f"materialize {day} after loading the day before it"
            )
    values = stored.set_index(["feature", "as_of", "group_key"])["value"].to_dict()
    for f in RATES:
        keys = (
            [group_key(row) for row in out[list(f.keys)].itertuples(index=False)]
            if f.keys
            else [""] * len(out)
        )
        out[f.name] = [
            values.get((f.name, day, key), values[(f.name, day, "")])
            for day, key in zip(days, keys, strict=True)
        ]
        out[f.name] = out[f.name].astype("float64")


def _add_weather(
    conn: Connection, out: pd.DataFrame, origin: pd.Series, time_hour: pd.Series
) -> None:
    columns = [*WEATHER_COLUMNS, *(f.name for f in RECENT)]
    stored = pd.read_sql(
        sa.select(online_weather).where(
            online_weather.c.time_hour.in_(sorted(set(time_hour))),
            online_weather.c.origin.in_(sorted(set(origin))),
        ),
        conn,
    )
    stored["time_hour"] = pd.to_datetime(stored["time_hour"])
    keys = pd.DataFrame({"origin": origin.to_numpy(), "time_hour": time_hour.to_numpy()})
    joined = keys.merge(stored, on=["origin", "time_hour"], how="left", validate="many_to_one")
    for name in columns:
        out[name] = joined[name].astype("float64").to_numpy()


def _add_planes(conn: Connection, out: pd.DataFrame, tailnum: pd.Series) -> None:
    known = sorted({t for t in tailnum if isinstance(t, str)})
    stored = pd.read_sql(
        sa.select(
            planes.c.tailnum, *(planes.c[c].label(n) for n, c in PLANE_COLUMNS.items())
        ).where(planes.c.tailnum.in_(known)),
        conn,
    ).set_index("tailnum")
    joined = stored.reindex(tailnum.to_numpy())
    for name in PLANE_COLUMNS:
        values = joined[name].to_numpy()
        out[name] = values if name == "plane_engine" else pd.array(values).astype("float64")
    out["plane_engine"] = (
        out["plane_engine"].astype(object).where(out["plane_engine"].notna(), float("nan"))
    )


def _add_distance(conn: Connection, out: pd.DataFrame, schedule: pd.DataFrame) -> None:
    if "distance" in schedule.columns:
        out["distance"] = schedule["distance"].astype("float64").to_numpy()
        return
    routes = pd.read_sql(sa.select(online_routes), conn).set_index(["origin", "dest"])
    pairs = list(zip(schedule["origin"], schedule["dest"], strict=True))
    unknown = sorted({p for p in pairs if p not in routes.index})
    if unknown:
        raise UnknownRoute(
            f"no flight has flown {unknown[0][0]}-{unknown[0][1]} yet: its distance is unknown"
        )
    out["distance"] = [float(routes.loc[p, "distance"]) for p in pairs]


def skew_check(conn: Connection, start: dt.date, end: dt.date) -> list[str]:
    """Training = serving: the store's features for every flight of ``start``..``end``, looked
    up from the schedule alone, against week03's ``build_features``. Empty when every feature
    of every flight agrees (NaN equal to NaN); else one sentence per differing feature naming
    the first flight and both values."""
    from week04_sql.features import KEYS
    from week04_sql.parity import compare_features, week03_features

    schedule = schedule_of(conn, start, end)
    served = lookup(conn, schedule)
    served["flight_date"] = pd.to_datetime(schedule["sched_dep"].dt.date)
    served["flight"] = schedule["flight"].to_numpy()
    columns = [*KEYS, *(f for f in FEATURES if f not in KEYS)]
    return compare_features(served[columns], week03_features(start, end)[columns])
