"""Reference checks: the database's features equal week03's (the model's) on a real month,
feature by feature, and the comparison names the feature, the flight and both values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from course import data


@pytest.mark.slow
def test_sql_features_equal_week03s_on_january(db):
    from week04_sql.load import load_tables
    from week04_sql.parity import check_parity

    flights, weather = data.flights_slice(month=1), data.load_table("weather")
    tables = {name: data.load_table(name) for name in ("airlines", "airports", "planes")}
    # the whole month in one transaction (load_days would commit day by day: same rows)
    results = load_tables(
        db, {**tables, "weather": weather[weather["month"] == 1], "flights": flights}
    )
    assert results["flights"].loaded == len(flights) == 27004, "every January flight loads"
    with db.connect() as conn:
        problems = check_parity(conn, dt.date(2013, 1, 1), dt.date(2013, 1, 31))
    assert problems == [], "\n".join(problems)


def test_compare_features_names_the_feature_and_the_flight(loaded):
    from week04_sql.features import build_features
    from week04_sql.parity import compare_features, week03_features

    with loaded.connect() as conn:
        sql = build_features(conn, dt.date(2013, 1, 8), dt.date(2013, 1, 10))
    built = week03_features(dt.date(2013, 1, 8), dt.date(2013, 1, 10))
    assert compare_features(sql, built) == []
    peeked = built.copy()
    peeked.loc[3, "past_rate_carrier_28d"] = np.nan
    problems = compare_features(sql, peeked)
    assert len(problems) == 1 and problems[0].startswith("past_rate_carrier_28d: 1 flights differ")
    assert "first 2013-01-08 " in problems[0] and "vs week03 nan" in problems[0], problems[0]
    assert compare_features(sql, built.drop(columns="temp"))[0].startswith("columns only")
    assert "row counts differ" in compare_features(sql, built.iloc[1:])[0]
