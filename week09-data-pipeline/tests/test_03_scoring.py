"""Exercise 4: the predictions of a day, replaced idempotently (``write_predictions``); then
reference checks of the nightly scoring."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

DAY = dt.date(2013, 9, 3)
OTHER = dt.date(2013, 9, 4)


def _rows(day: dt.date, flights: list[int], version: str = "1", p: float = 0.25) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "flight_date": [day] * len(flights),
            "carrier": ["UA"] * len(flights),
            "flight": flights,
            "origin": ["EWR"] * len(flights),
            "dest": ["ORD"] * len(flights),
            "sched_dep": [dt.datetime.combine(day, dt.time(12)) for _ in flights],
            "model_name": ["flight-delay"] * len(flights),
            "model_version": [version] * len(flights),
            "probability": [p] * len(flights),
            "threshold": [0.3] * len(flights),
            "predicted_delayed": [int(p >= 0.3)] * len(flights),
            "scored_as_of": [day - dt.timedelta(days=1)] * len(flights),
        }
    )


@pytest.fixture
def engine(tmp_path):
    from week04_sql.db import make_engine
    from week09_data_pipeline.scoring import create_predictions_schema

    engine = make_engine(f"sqlite:///{tmp_path / 'predictions.db'}")
    create_predictions_schema(engine)
    yield engine
    engine.dispose()


def _stored(engine) -> list[tuple]:
    from week09_data_pipeline.scoring import predictions

    with engine.connect() as conn:
        query = sa.select(
            predictions.c.flight_date,
            predictions.c.flight,
            predictions.c.model_version,
            predictions.c.probability,
        ).order_by(predictions.c.flight_date, predictions.c.flight)
        return [tuple(r) for r in conn.execute(query)]


def _write(scoring, engine, day, rows) -> int:
    with engine.begin() as conn:
        return scoring.write_predictions(conn, day, rows)


@pytest.mark.exercise("write_predictions")
@pytest.mark.points(2)
@pytest.mark.hint("insert the rows; return how many were written")
def test_predictions_are_written(scoring, engine):
    written = _write(scoring, engine, DAY, _rows(DAY, [1, 2, 3]))
    assert written == 3, f"returned {written}: return the number of rows written"
    assert _stored(engine) == [(DAY, n, "1", 0.25) for n in (1, 2, 3)]


@pytest.mark.exercise("write_predictions")
@pytest.mark.points(3)
@pytest.mark.hint(
    "appending fails (or doubles) on a re-run: delete the day's rows first, then insert, "
    "in the same transaction"
)
def test_writing_a_day_twice_is_writing_it_once(scoring, engine):
    for _ in range(2):
        _write(scoring, engine, DAY, _rows(DAY, [1, 2, 3]))
    assert _stored(engine) == [(DAY, n, "1", 0.25) for n in (1, 2, 3)], (
        "a re-run of the same day must leave the same three rows"
    )


@pytest.mark.exercise("write_predictions")
@pytest.mark.points(3)
@pytest.mark.hint(
    "an upsert keeps a flight that is no longer scored: replace the whole day (DELETE WHERE "
    "flight_date = day, then INSERT)"
)
def test_a_rescore_replaces_the_whole_day(scoring, engine):
    _write(scoring, engine, DAY, _rows(DAY, [1, 2, 3]))
    written = _write(scoring, engine, DAY, _rows(DAY, [1, 2], version="2", p=0.5))
    got = _stored(engine)
    assert got == [(DAY, 1, "2", 0.5), (DAY, 2, "2", 0.5)], (
        f"got {got}: after re-scoring with version 2, flight 3 (dropped from the schedule) and "
        "every version-1 score must be gone"
    )
    assert written == 2


@pytest.mark.exercise("write_predictions")
@pytest.mark.points(3)
@pytest.mark.hint("delete only the rows of `day` (WHERE flight_date = day), never the table")
def test_other_days_are_untouched(scoring, engine):
    _write(scoring, engine, OTHER, _rows(OTHER, [7, 8]))
    _write(scoring, engine, DAY, _rows(DAY, [1]))
    _write(scoring, engine, DAY, _rows(DAY, [1]))
    got = _stored(engine)
    assert got == [(DAY, 1, "1", 0.25), (OTHER, 7, "1", 0.25), (OTHER, 8, "1", 0.25)], (
        f"got {got}: writing {DAY} must keep the predictions of {OTHER}"
    )


@pytest.mark.exercise("write_predictions")
@pytest.mark.points(2)
@pytest.mark.hint("an empty frame means 'no flights that day': the day is cleared, 0 returned")
def test_an_empty_frame_clears_the_day(scoring, engine):
    _write(scoring, engine, DAY, _rows(DAY, [1, 2]))
    _write(scoring, engine, OTHER, _rows(OTHER, [7]))
    written = _write(scoring, engine, DAY, _rows(DAY, []))
    assert written == 0, f"returned {written} for no rows"
    assert _stored(engine) == [(OTHER, 7, "1", 0.25)], "the day is emptied, the others stay"


@pytest.mark.exercise("write_predictions")
@pytest.mark.points(3)
@pytest.mark.hint(
    "check every row's flight_date before writing: rows of another day raise ValueError "
    "naming that date, and nothing is deleted or written"
)
def test_rows_of_another_day_are_refused(scoring, engine):
    _write(scoring, engine, DAY, _rows(DAY, [1]))
    mixed = pd.concat([_rows(DAY, [1, 2]), _rows(OTHER, [9])], ignore_index=True)
    with engine.connect() as conn:
        with pytest.raises(ValueError, match="2013-09-04"):
            scoring.write_predictions(conn, DAY, mixed)
        conn.commit()  # whatever ran before the error is committed here: there must be none
    assert _stored(engine) == [(DAY, 1, "1", 0.25)], (
        "a refused frame must change nothing: validate before the DELETE"
    )


@pytest.mark.exercise("write_predictions")
@pytest.mark.points(3)
@pytest.mark.hint(
    "write inside the caller's transaction (conn): never commit yourself, so a failure "
    "after the write rolls the whole day back"
)
def test_a_failed_transaction_leaves_the_day_as_it_was(scoring, engine):
    _write(scoring, engine, DAY, _rows(DAY, [1, 2]))
    with pytest.raises(RuntimeError, match="crash"), engine.begin() as conn:
        scoring.write_predictions(conn, DAY, _rows(DAY, [5], version="2"))
        raise RuntimeError("crash after the write, before the commit")
    assert _stored(engine) == [(DAY, 1, "1", 0.25), (DAY, 2, "1", 0.25)], (
        "a task that fails after writing must leave no partial day: did you commit inside?"
    )


# --- reference checks of the nightly scoring ------------------------------------------------


def test_schedule_rows_keep_the_new_york_departure():
    from week09_data_pipeline.scoring import schedule_rows

    schedule = pd.DataFrame(
        {
            "year": [2013],
            "month": [3],
            "day": [10],
            "carrier": ["UA"],
            "flight": [1],
            "origin": ["EWR"],
            "dest": ["ORD"],
            "tailnum": [None],
            "distance": [719],
            "minute": [45],
            # 10 March 2013, the DST change: 07:45 in New York is 11:45 UTC
            "time_hour": [pd.Timestamp("2013-03-10 11:00", tz="UTC")],
        }
    )
    rows = schedule_rows(schedule)
    assert rows["sched_dep"].iloc[0] == pd.Timestamp("2013-03-10 07:45", tz="America/New_York")
    assert rows["flight_date"].iloc[0] == dt.date(2013, 3, 10)


def test_scoring_without_a_materialised_store_names_the_date(sqlite_settings):
    from week04_sql.online import StoreNotReady, create_online_schema
    from week09_data_pipeline.etl import warehouse
    from week09_data_pipeline.scoring import land_schedule, score_day

    create_online_schema(warehouse(sqlite_settings))  # the store exists, 3 September is not in
    land_schedule(dt.date(2013, 9, 2), sqlite_settings)
    with pytest.raises(StoreNotReady, match="2013-09-03"):
        score_day(dt.date(2013, 9, 2), sqlite_settings)
