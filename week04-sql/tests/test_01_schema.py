"""The schema and the settings: reference checks (not graded), on every backend."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from week04_sql import schema
from week04_sql.db import day_number, make_engine
from week04_sql.settings import DEFAULT_DATABASE_URL, Settings


def test_every_table_with_its_keys_and_indexes(db):
    inspector = sa.inspect(db)
    assert set(inspector.get_table_names()) >= {*schema.TABLES, "rejected_rows"}
    pk = inspector.get_pk_constraint("flights")["constrained_columns"]
    assert pk == ["flight_date", "carrier", "flight", "origin"]
    fks = {
        (fk["constrained_columns"][0], fk["referred_table"])
        for fk in inspector.get_foreign_keys("flights")
    }
    assert fks == {("carrier", "airlines"), ("origin", "airports")}
    assert inspector.get_pk_constraint("weather")["constrained_columns"] == ["origin", "time_hour"]
    indexes = {ix["name"] for ix in inspector.get_indexes("flights")}
    assert {"ix_flights_origin_time_hour", "ix_flights_carrier_date"} <= indexes


def test_create_schema_twice_is_harmless(db):
    schema.create_schema(db)
    assert "flights" in sa.inspect(db).get_table_names()


def test_the_database_enforces_foreign_keys(db):
    """SQLite ignores foreign keys unless each connection switches them on: make_engine does."""
    row = {
        "flight_date": dt.date(2013, 1, 1),
        "carrier": "ZZ",
        "flight": 1,
        "origin": "EWR",
        "year": 2013,
        "month": 1,
        "day": 1,
        "sched_dep_time": 500,
        "sched_arr_time": 800,
        "dest": "ORD",
        "distance": 700,
        "hour": 5,
        "minute": 0,
        "time_hour": dt.datetime(2013, 1, 1, 10),
    }
    with pytest.raises(sa.exc.IntegrityError), db.begin() as conn:
        conn.execute(schema.flights.insert(), [row])


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(dt.date(1970, 1, 1), 0, id="epoch"),
        pytest.param(dt.date(2013, 1, 1), 15706, id="2013-01-01"),
        pytest.param(dt.date(2013, 3, 10), 15774, id="dst-change"),
    ],
)
def test_day_number_agrees_on_every_backend(db, day, expected):
    with db.connect() as conn:
        got = conn.execute(sa.select(day_number(sa.bindparam("d", day, type_=sa.Date)))).scalar()
    assert got == expected == (day - dt.date(1970, 1, 1)).days


def test_settings_default_to_a_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    assert Settings().database_url == DEFAULT_DATABASE_URL


def test_one_setting_switches_the_backend(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p@db:5432/flights")
    assert Settings().database_url.startswith("postgresql")
    monkeypatch.delenv("DATABASE_URL")
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///from-dotenv.db\n")
    assert Settings().database_url == "sqlite:///from-dotenv.db"


def test_make_engine_creates_the_sqlite_folder_and_refuses_other_backends(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/a/b/flights.db")
    with engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
    assert (tmp_path / "a" / "b").is_dir()
    with pytest.raises(ValueError, match="sqlite or postgresql, got 'mysql'") as refused:
        make_engine("mysql://u:s3cret-canary@localhost/db")
    assert "s3cret-canary" not in str(refused.value), "the error repeats the password"
