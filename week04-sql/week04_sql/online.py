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
  so a process that keeps the routes in memory knows when to read them again.

The planes come straight from the warehouse's ``planes`` table. :func:`lookup` turns schedule
rows into the model's 30 features with a few point reads (one per table, however many groups
and routes the store holds), and :func:`skew_check` proves them equal to week03's
``build_features`` for every flight of a period.

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


#: The routes a lookup needs, kept in the process under the checksum they were read with (one
#: entry: the latest). A materialisation that changes a route writes a new checksum, so the
#: next lookup reads the routes again: never stale, whichever process materialised.
_routes_cache: dict[str, dict[tuple[str, str], float]] = {}

#: The engines through which :func:`lookup` has seen the store's tables (a store is never
#: dropped while it serves).
_engines_with_store: weakref.WeakSet[Engine] = weakref.WeakSet()

# A lookup's statements, built once (building one takes longer than the database takes to
# answer it): a call only binds its values, each IN list expanding to as many as it has.


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
_routes_version = sa.select(online_versions.c.checksum).where(
    online_versions.c.table_name == online_routes.name
)


def lookup(conn: Connection, schedule: pd.DataFrame) -> pd.DataFrame:
    """The model's features (week03's ``FEATURES``, in order) for schedule-only rows.

    ``schedule`` has :data:`SCHEDULE_COLUMNS`: ``sched_dep`` a time-zone-aware (or New York
    local) timestamp, ``tailnum`` may be missing; a ``distance`` column is used when present,
    else the route's. A flight on day D gets the past rates as of D (the days before D only),
    the weather of its scheduled hour as loaded (NaN where no reading is loaded yet, as in
    training), and its plane's columns (NaN for an unknown plane, as in training).

    A few point reads, however many groups and routes the store holds: the flights' rates by
    the key of ``online_rates`` (as_of, feature, group_key), their weather hours and planes
    by primary key, and the routes' version (the routes themselves are kept in the process
    until a materialisation changes them).

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
    out["dep_hour"] = sched.hour.to_numpy()
    out["day_of_week"] = sched.dayofweek.to_numpy()
    time_hour = sched.tz_convert("UTC").tz_localize(None).floor("h").to_pydatetime()
    _add_rates(conn, out, list(sched.date))
    _add_weather(conn, out, list(out["origin"]), list(time_hour))
    _add_planes(conn, out, list(schedule["tailnum"]))
    _add_distance(conn, out, schedule)
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


def _add_rates(conn: Connection, out: dict[str, Any], days: list[dt.date]) -> None:
    # each flight's group for each rate, as online_rates writes it ('' for a rate without keys)
    keys: dict[str, list[str]] = {}
    for f in RATES:
        groups = (
            zip(*(out[k].tolist() for k in f.keys), strict=True) if f.keys else [()] * len(days)
        )
        keys[f.name] = [group_key(g) for g in groups]
    rows_of: dict[dt.date, list[int]] = {}  # the flights of each day, by position
    for i, day in enumerate(days):
        rows_of.setdefault(day, []).append(i)
    values: dict[tuple[dt.date, str, str], float | None] = {}
    for day, rows in sorted(rows_of.items()):  # a statement per day: one for one flight
        wanted = {name: sorted({groups[i] for i in rows} - {""}) for name, groups in keys.items()}
        stored = conn.execute(_rates_of(tuple(wanted)), {"day": day, **wanted}).all()
        if not any(key == "" for _, _, key, _ in stored):
            raise StoreNotReady(
                f"the online store has no features as of {day}: "
                f"materialize {day} after loading the day before it"
            )
        values |= {(as_of, feature, key): value for as_of, feature, key, value in stored}
    for f in RATES:
        # a group without a row of its own (no earlier flight) gets the '' row: every flight
        out[f.name] = np.array(
            [
                values.get((day, f.name, key), values[(day, f.name, "")])
                for day, key in zip(days, keys[f.name], strict=True)
            ],
            dtype="float64",
        )


def _add_weather(
    conn: Connection, out: dict[str, Any], origin: list[str], time_hour: list[dt.datetime]
) -> None:
    stored = conn.execute(
        _weather_of, {"origins": sorted(set(origin)), "hours": sorted(set(time_hour))}
    )
    readings = {(row[0], row[1]): row[2:] for row in stored}
    found = [readings.get(hour) for hour in zip(origin, time_hour, strict=True)]
    for i, name in enumerate(WEATHER_FEATURES):
        out[name] = np.array([None if r is None else r[i] for r in found], dtype="float64")


def _add_planes(conn: Connection, out: dict[str, Any], tailnum: list[object]) -> None:
    known = sorted({t for t in tailnum if isinstance(t, str)})
    stored = conn.execute(_planes_of, {"tailnums": known})
    by_tail = {row[0]: row[1:] for row in stored}
    found = [by_tail.get(t) if isinstance(t, str) else None for t in tailnum]
    for i, name in enumerate(PLANE_COLUMNS):
        values = [None if r is None else r[i] for r in found]
        if name == "plane_engine":  # a category: NaN where unknown, as in training
            out[name] = np.array([nan if v is None else v for v in values], dtype=object)
        else:
            out[name] = np.array(values, dtype="float64")


def _add_distance(conn: Connection, out: dict[str, Any], schedule: pd.DataFrame) -> None:
    if "distance" in schedule.columns:
        out["distance"] = schedule["distance"].astype("float64").to_numpy()
        return
    routes = _routes(conn)
    pairs = list(zip(out["origin"], out["dest"], strict=True))
    unknown = sorted({p for p in pairs if p not in routes})
    if unknown:
        raise UnknownRoute(
            f"no flight has flown {unknown[0][0]}-{unknown[0][1]} yet: its distance is unknown"
        )
    out["distance"] = np.array([routes[p] for p in pairs], dtype="float64")


def _routes(conn: Connection) -> dict[tuple[str, str], float]:
    """Every route's distance: from :data:`_routes_cache` while ``online_versions`` holds the
    checksum they were read with, else read again together with the checksum (one statement,
    so both come from the same state of the store)."""
    current: str | None = conn.execute(_routes_version).scalar_one_or_none()
    cached = None if current is None else _routes_cache.get(current)
    if cached is not None:
        return cached
    rows = conn.execute(sa.select(online_routes, _routes_version.label("checksum"))).all()
    routes = {(row.origin, row.dest): float(row.distance) for row in rows}
    if rows and rows[0].checksum is not None:
        _routes_cache.clear()  # only the latest version is worth keeping
        _routes_cache[rows[0].checksum] = routes
    return routes


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
