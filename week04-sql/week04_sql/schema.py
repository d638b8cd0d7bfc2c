"""The five tables as SQLAlchemy Core ``Table`` objects: types, keys and indexes.

Keys follow the data, not wishes. Every flight's carrier and origin exist in ``airlines`` and
``airports``, so those are foreign keys and a row that breaks them is set aside at load time.
Two joins the raw data does *not* honour stay plain (indexed) columns instead of foreign keys:
four destinations (BQN, PSE, SJU, STT) are missing from ``airports`` and 16 % of flights have a
tail number ``planes`` does not know. A foreign key there would reject real, valid flights; the
feature query LEFT JOINs them instead.

Timestamps are UTC and stored without a time zone, so SQLite (which has no time-zone type) and
PostgreSQL hold identical values and ``flights.time_hour = weather.time_hour`` means the same
on both.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Column, Date, DateTime, Float, ForeignKey, Index, Integer, String, Table

from week01_data.join import WEATHER_COLUMNS

metadata = sa.MetaData()

airlines = Table(
    "airlines",
    metadata,
    Column("carrier", String(2), primary_key=True),
    Column("name", String(100), nullable=False),
)

airports = Table(
    "airports",
    metadata,
    Column("faa", String(3), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("alt", Integer, nullable=False),
    Column("tz", Integer),
    Column("dst", String(1)),
    Column("tzone", String(40)),
)

planes = Table(
    "planes",
    metadata,
    Column("tailnum", String(8), primary_key=True),
    Column("year", Integer),
    Column("type", String(40)),
    Column("manufacturer", String(40)),
    Column("model", String(40)),
    Column("engines", Integer),
    Column("seats", Integer),
    Column("speed", Float),
    Column("engine", String(20)),
)

weather = Table(
    "weather",
    metadata,
    Column("origin", String(3), ForeignKey("airports.faa"), primary_key=True),
    Column("time_hour", DateTime(timezone=False), primary_key=True, comment="UTC"),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("day", Integer, nullable=False),
    Column("hour", Integer, nullable=False),
    *(Column(name, Float) for name in WEATHER_COLUMNS),
)

flights = Table(
    "flights",
    metadata,
    # (date, carrier, flight number, origin) is unique over the whole year: the natural key.
    Column("flight_date", Date, primary_key=True, comment="local (New York) date"),
    Column("carrier", String(2), ForeignKey("airlines.carrier"), primary_key=True),
    Column("flight", Integer, primary_key=True),
    Column("origin", String(3), ForeignKey("airports.faa"), primary_key=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("day", Integer, nullable=False),
    Column("dep_time", Float),
    Column("sched_dep_time", Integer, nullable=False),
    Column("dep_delay", Float),
    Column("arr_time", Float),
    Column("sched_arr_time", Integer, nullable=False),
    Column("arr_delay", Float),
    Column("tailnum", String(8)),
    Column("dest", String(3), nullable=False),
    Column("air_time", Float),
    Column("distance", Integer, nullable=False),
    Column("hour", Integer, nullable=False),
    Column("minute", Integer, nullable=False),
    Column("time_hour", DateTime(timezone=False), nullable=False, comment="scheduled hour, UTC"),
    # the weather join (origin + scheduled hour) and the route windows (origin + dest)
    Index("ix_flights_origin_time_hour", "origin", "time_hour"),
    Index("ix_flights_carrier_date", "carrier", "flight_date"),
    Index("ix_flights_route_date", "origin", "dest", "flight_date"),
)

rejected_rows = Table(
    "rejected_rows",
    metadata,
    Column("table_name", String(20), primary_key=True),
    Column("row_key", String(80), primary_key=True),
    Column("reason", String(500), nullable=False),
    Column("row", String(2000), nullable=False, comment="the rejected row as JSON"),
)

#: Load order: a parent table before the tables whose foreign keys point at it.
TABLES: dict[str, Table] = {
    "airlines": airlines,
    "airports": airports,
    "planes": planes,
    "weather": weather,
    "flights": flights,
}


def primary_key(table: Table) -> list[str]:
    """The names of ``table``'s primary-key columns, in declaration order."""
    return [column.name for column in table.primary_key.columns]


def create_schema(engine: sa.Engine) -> None:
    """Create every table and index that does not exist yet (safe to call again)."""
    metadata.create_all(engine)


def drop_schema(engine: sa.Engine) -> None:
    """Drop every table of the week (children first)."""
    metadata.drop_all(engine)
