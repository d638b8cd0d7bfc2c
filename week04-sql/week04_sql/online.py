"""The online store: the model's features, ready to look up from a flight's schedule alone.

A client asking "will UA 1545 from EWR to IAH at 07:30 on 14 September be late?" knows the
schedule, not ``past_rate_origin_1d`` or ``precip_3h``. The store keeps, per entity and per
date, what the model needs, written after each day's load by :func:`materialize`:

* ``online_rates``: every past delay rate of the registry, per group (a route, an airline, an
  airport at an hour...) **as of** a date: the value for that date's flights, from the flights
  of the days before it. The row with an empty group holds the overall rate, which is also the
  value of a group without any earlier flight (smoothing gives exactly that);
* ``online_weather``: per airport and hour, the reading and the recent-weather features;
* ``online_routes``: the distance of each route (the latest one seen);
* ``online_versions``: the checksum of ``online_routes`` as the last materialisation left it,
  so a reader that keeps the routes in memory knows when to read them again (:func:`lookup`
  keeps none: it reads each flight's route by key).

The planes come straight from the warehouse's ``planes`` table. :func:`lookup` turns schedule
rows into the model's 30 features with point reads by primary key, however many groups and
routes the store holds (one statement for one flight, one per table for a batch), and
:func:`skew_check` proves them equal to week03's ``build_features`` for every flight of a
period.

Everything a value depends on (keys, windows, smoothing) is read from week03's registry, as in
:mod:`week04_sql.features`.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import weakref
from collections.abc import Iterable
from math import nan
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Column, Date, DateTime, Float, Integer, PrimaryKeyConstraint, String, Table
from sqlalchemy.engine import Connection, Engine

from week01_data.join import WEATHER_COLUMNS
from week03_ml.features import FEATURES, REGISTRY, Feature
from week04_sql.features import PLANE_COLUMNS, delayed_flag, flights_column, recent_weather
from week04_sql.load import table_checksum
from week04_sql.schema import flights, planes, weather

log = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("America/New_York")
RATES = [f for f in REGISTRY if f.kind == "past_rate"]
RECENT = [f for f in REGISTRY if f.kind == "recent_weather"]
#: The weather a flight is served: its hour's reading and the recent-weather features.
WEATHER_FEATURES = [*WEATHER_COLUMNS, *(f.name for f in RECENT)]

#: The columns a schedule row needs (``distance`` is optional: the route's is used otherwise).
SCHEDULE_COLUMNS = ["carrier", "flight", "origin", "dest", "sched_dep", "tailnum"]

online_metadata = sa.MetaData()

online_rates = Table(
    "online_rates",
    online_metadata,
    Column("feature", String(40), nullable=False),
    Column("group_key", String(40), nullable=False, comment="'' = every flight"),
    Column("as_of", Date, nullable=False, comment="the flight date these values serve"),
    Column("delayed", Integer, nullable=False),
    Column("labelled", Integer, nullable=False),
    Column("value", Float),
    # the key in the order the reads filter, so its index serves each of them: a lookup's
    # points (as_of, feature, group_key), a day's feature (rolled_forward), a day (materialize)
    PrimaryKeyConstraint("as_of", "feature", "group_key", name="pk_online_rates"),
)

online_weather = Table(
    "online_weather",
    online_metadata,
    Column("origin", String(3), primary_key=True),
    Column("time_hour", DateTime(timezone=False), primary_key=True, comment="UTC"),
    *(Column(name, Float) for name in WEATHER_FEATURES),
)

online_routes = Table(
    "online_routes",
    online_metadata,
    Column("origin", String(3), primary_key=True),
    Column("dest", String(3), primary_key=True),
    Column("distance", Integer, nullable=False),
)

online_versions = Table(
    "online_versions",
    online_metadata,
    Column("table_name", String(40), primary_key=True),
    Column("checksum", String(64), nullable=False, comment="load.table_checksum of its rows"),
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
    running it twice, or again after a failure, leaves the same store, and a lookup meanwhile
    sees the day before or after, never half of it. Returns rows written."""
    create_online_schema(engine)
    with engine.begin() as conn:
        rates = [
            row
            for f in RATES
            for row in (rolled_forward(conn, f, day) or rates_as_of(conn, f, day))
        ]
        readings = _weather_rows(conn, day)
        routes = [
            {"origin": origin, "dest": dest, "distance": distance}
            for origin, dest, distance in conn.execute(
                sa.select(flights.c.origin, flights.c.dest, sa.func.max(flights.c.distance))
                .where(flights.c.flight_date == sa.bindparam("day", day, type_=sa.Date))
                .group_by(flights.c.origin, flights.c.dest)
            )
        ]
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
        if routes:
            flown = [(r["origin"], r["dest"]) for r in routes]
            route = sa.tuple_(online_routes.c.origin, online_routes.c.dest)
            conn.execute(sa.delete(online_routes).where(route.in_(flown)))
            conn.execute(online_routes.insert(), routes)
        # the routes' new version, in the same transaction as the routes themselves
        version = {
            "table_name": online_routes.name,
            "checksum": table_checksum(conn, online_routes),
        }
        conn.execute(
            sa.delete(online_versions).where(online_versions.c.table_name == online_routes.name)
        )
        conn.execute(online_versions.insert(), version)
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


#: The engines through which :func:`lookup` has seen the store's tables (a store is never
#: dropped while it serves).
_engines_with_store: weakref.WeakSet[Engine] = weakref.WeakSet()

# A lookup's statements, built once (building one takes longer than the database takes to
# answer it): a call only binds its values, each IN list expanding to as many as it has.


@functools.cache
def _one_flight(rates: tuple[str, ...]) -> sa.Select[Any]:
    """One flight's stored features as one row: the flight's keys, bound as a one-row
    ``request`` (``day``, ``origin``, ``dest``, ``time_hour``, ``tailnum`` and, under each
    rate's name, the flight's group), joined to each table on its primary key. A rate is its
    group's value or, for a group without a row of its own, the ``''`` row's; ``stored`` is
    false when the store has no rates as of ``day``. Built once per list of rates (a check may
    swap :data:`RATES`)."""
    request = sa.select(
        sa.bindparam("day", type_=Date).label("day"),
        sa.bindparam("origin", type_=String).label("origin"),
        sa.bindparam("dest", type_=String).label("dest"),
        sa.bindparam("time_hour", type_=DateTime).label("time_hour"),
        sa.bindparam("tailnum", type_=String).label("tailnum"),
        *(sa.bindparam(name, type_=String).label(name) for name in rates),
    ).subquery("request")
    w, p, r = online_weather, planes, online_routes
    joined = (
        request.outerjoin(
            w, (w.c.origin == request.c.origin) & (w.c.time_hour == request.c.time_hour)
        )
        .outerjoin(p, p.c.tailnum == request.c.tailnum)
        .outerjoin(r, (r.c.origin == request.c.origin) & (r.c.dest == request.c.dest))
    )
    values, stored = [], []
    for name in rates:
        group, every = online_rates.alias(f"{name}_group"), online_rates.alias(f"{name}_all")
        for rows, key in ((group, request.c[name]), (every, sa.literal(""))):
            joined = joined.outerjoin(
                rows,
                (rows.c.as_of == request.c.day)
                & (rows.c.feature == name)
                & (rows.c.group_key == key),
            )
        # NULL only where the group has no row: a rate's value is NULL in all its rows of a
        # day (no flight labelled before it) or in none
        values.append(sa.func.coalesce(group.c.value, every.c.value).label(name))
        stored.append(every.c.as_of.is_not(None))
    return sa.select(
        *(w.c[name] for name in WEATHER_FEATURES),
        *(p.c[column].label(name) for name, column in PLANE_COLUMNS.items()),
        r.c.distance,
        *values,
        sa.and_(*stored).label("stored"),
    ).select_from(joined)


@functools.cache
def _rates_of(features: tuple[str, ...]) -> sa.CompoundSelect:
    """The rows of ``online_rates`` as of the date bound to ``day``: per rate, those of the
    groups bound to its name and its ``''`` row (every flight). One statement of small SELECTs,
    each filtering the primary key (as_of, feature, group_key) on all its columns: for one
    flight, all equalities, so no planner settles for reading the day's groups. Built once
    per list of rates (a check may swap :data:`RATES`)."""

    def rows(feature: str, groups: sa.ColumnElement[bool]) -> sa.Select[Any]:
        return sa.select(
            online_rates.c.as_of,
            online_rates.c.feature,
            online_rates.c.group_key,
            online_rates.c.value,
        ).where(
            online_rates.c.as_of == sa.bindparam("day", type_=sa.Date),
            online_rates.c.feature == feature,
            groups,
        )

    return sa.union_all(
        *(
            part
            for name in features
            for part in (
                rows(name, online_rates.c.group_key == ""),
                rows(name, online_rates.c.group_key.in_(sa.bindparam(name, expanding=True))),
            )
        )
    )


_weather_of = sa.select(
    online_weather.c.origin,
    online_weather.c.time_hour,
    *(online_weather.c[name] for name in WEATHER_FEATURES),
).where(
    online_weather.c.origin.in_(sa.bindparam("origins", expanding=True)),
    online_weather.c.time_hour.in_(sa.bindparam("hours", expanding=True)),
)
_planes_of = sa.select(planes.c.tailnum, *(planes.c[c] for c in PLANE_COLUMNS.values())).where(
    planes.c.tailnum.in_(sa.bindparam("tailnums", expanding=True))
)
_routes_of = sa.select(online_routes).where(
    online_routes.c.origin.in_(sa.bindparam("origins", expanding=True)),
    online_routes.c.dest.in_(sa.bindparam("dests", expanding=True)),
)


def lookup(conn: Connection, schedule: pd.DataFrame) -> pd.DataFrame:
    """The model's features (week03's ``FEATURES``, in order) for schedule-only rows.

    ``schedule`` has :data:`SCHEDULE_COLUMNS`: ``sched_dep`` a time-zone-aware (or New York
    local) timestamp, ``tailnum`` may be missing; a ``distance`` column is used when present,
    else the route's. A flight on day D gets the past rates as of D (the days before D only),
    the weather of its scheduled hour as loaded (NaN where no reading is loaded yet, as in
    training), and its plane's columns (NaN for an unknown plane, as in training).

    Point reads only, however many groups and routes the store holds: the rates by the key of
    ``online_rates`` (as_of, feature, group_key), the weather hour, the plane and the route by
    primary key. One flight (a service's request) is one statement that joins them all; a
    batch reads each table once for its flights' distinct keys (the rates once per day), so a
    day's flights in one call cost little more than a few.

    Raises :class:`StoreNotReady` naming the date when the store has no rates as of a flight's
    date, and :class:`UnknownRoute` naming the route when a distance is needed and unknown.
    """
    missing = [c for c in SCHEDULE_COLUMNS if c not in schedule.columns]
    if missing:
        raise ValueError(f"schedule rows need the columns {missing}")
    _require_store(conn)
    sched = pd.DatetimeIndex(schedule["sched_dep"])
    sched = sched.tz_localize(LOCAL_TZ) if sched.tz is None else sched.tz_convert(LOCAL_TZ)
    # the features as plain columns (name -> one value per flight), a DataFrame only at the end
    out: dict[str, Any] = {
        name: schedule[name].to_numpy() for name in ("carrier", "origin", "dest")
    }
    local = sched.tz_localize(None)  # the wall clock: its fields need no time-zone rules
    out["dep_hour"] = local.hour.to_numpy()
    out["day_of_week"] = local.dayofweek.to_numpy()
    # what each flight is read by: its date, airports, UTC hour (naive, as stored), plane and
    # its group for each rate (as online_rates writes it, '' for a rate without keys)
    keys: dict[str, list[Any]] = {
        "day": list(local.date),
        "origin": out["origin"].tolist(),
        "dest": out["dest"].tolist(),
        "time_hour": sched.tz_convert(None).to_numpy().astype("datetime64[h]").tolist(),
        "tailnum": [t if isinstance(t, str) else None for t in schedule["tailnum"]],
    }
    for f in RATES:
        groups = (
            zip(*(out[k].tolist() for k in f.keys), strict=True) if f.keys else [()] * len(sched)
        )
        keys[f.name] = [group_key(g) for g in groups]
    found = _read_one(conn, keys) if len(schedule) == 1 else _read_many(conn, keys)
    for name, values in found.items():
        if name == "plane_engine":  # a category: NaN where unknown, as in training
            out[name] = np.array([nan if v is None else v for v in values], dtype=object)
        elif name != "distance":
            out[name] = np.array(values, dtype="float64")
    if "distance" in schedule.columns:
        out["distance"] = schedule["distance"].astype("float64").to_numpy()
    else:
        routes = zip(keys["origin"], keys["dest"], strict=True)
        unknown = sorted({r for r, d in zip(routes, found["distance"], strict=True) if d is None})
        if unknown:
            raise UnknownRoute(
                f"no flight has flown {unknown[0][0]}-{unknown[0][1]} yet: its distance is unknown"
            )
        out["distance"] = np.array(found["distance"], dtype="float64")
    return pd.DataFrame({name: out[name] for name in FEATURES}, index=schedule.index)


def _require_store(conn: Connection) -> None:
    """:class:`StoreNotReady` unless the store's tables exist; once seen through an engine,
    they are not looked for again (a catalog query costs as much as a lookup's reads)."""
    if conn.engine in _engines_with_store:
        return
    if not sa.inspect(conn).has_table(online_versions.name):
        raise StoreNotReady(
            f"the online store has no {online_versions.name} table yet: materialize a day first"
        )
    _engines_with_store.add(conn.engine)


def _not_ready(day: dt.date) -> StoreNotReady:
    return StoreNotReady(
        f"the online store has no features as of {day}: "
        f"materialize {day} after loading the day before it"
    )


def _read_one(conn: Connection, keys: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """One flight's stored features (name -> a list of its one value) in one statement: one
    round trip to the server. On PostgreSQL, psycopg prepares it after its first few runs on a
    connection, and the server then reuses its plan instead of planning the joins again."""
    rates = tuple(f.name for f in RATES)
    row = conn.execute(_one_flight(rates), {k: v[0] for k, v in keys.items()}).one()
    if not row.stored:
        raise _not_ready(keys["day"][0])
    return {name: [value] for name, value in row._mapping.items() if name != "stored"}


def _read_many(conn: Connection, keys: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """A batch's stored features (name -> one value per flight): each table read once for the
    batch's distinct keys, the rates once per day."""
    found: dict[str, list[Any]] = {}
    days = keys["day"]
    rows_of: dict[dt.date, list[int]] = {}  # the flights of each day, by position
    for i, day in enumerate(days):
        rows_of.setdefault(day, []).append(i)
    values: dict[tuple[dt.date, str, str], float | None] = {}
    for day, rows in sorted(rows_of.items()):
        wanted = {f.name: sorted({keys[f.name][i] for i in rows} - {""}) for f in RATES}
        stored = conn.execute(_rates_of(tuple(wanted)), {"day": day, **wanted}).all()
        if not any(key == "" for _, _, key, _ in stored):
            raise _not_ready(day)
        values |= {(as_of, feature, key): value for as_of, feature, key, value in stored}
    for f in RATES:
        # a group without a row of its own (no earlier flight) gets the '' row: every flight
        found[f.name] = [
            values.get((day, f.name, key), values[(day, f.name, "")])
            for day, key in zip(days, keys[f.name], strict=True)
        ]
    hours = {"origins": sorted(set(keys["origin"])), "hours": sorted(set(keys["time_hour"]))}
    readings = {(row[0], row[1]): row[2:] for row in conn.execute(_weather_of, hours)}
    wanted_hours = zip(keys["origin"], keys["time_hour"], strict=True)
    found |= _columns(WEATHER_FEATURES, [readings.get(hour) for hour in wanted_hours])
    tails = {"tailnums": sorted({t for t in keys["tailnum"] if t is not None})}
    by_tail = {row[0]: row[1:] for row in conn.execute(_planes_of, tails)}
    found |= _columns(list(PLANE_COLUMNS), [by_tail.get(t) for t in keys["tailnum"]])
    airports = {"origins": sorted(set(keys["origin"])), "dests": sorted(set(keys["dest"]))}
    distances = {(origin, dest): d for origin, dest, d in conn.execute(_routes_of, airports)}
    routes = zip(keys["origin"], keys["dest"], strict=True)
    found["distance"] = [distances.get(route) for route in routes]
    return found


def _columns(names: list[str], rows: list[Any]) -> dict[str, list[Any]]:
    """``rows`` of the values of ``names`` as columns (name -> one value per row), None in
    every column where a row is None (not found)."""
    return {name: [None if r is None else r[i] for r in rows] for i, name in enumerate(names)}


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
