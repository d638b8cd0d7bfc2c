"""Reference checks: the SQL features equal the pandas features (on a real month), and the
comparison notices a difference."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from course import data


@pytest.mark.slow
def test_sql_features_equal_pandas_features_on_january(db):
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
        problems = check_parity(
            conn, flights, tables["planes"], weather, dt.date(2013, 1, 1), dt.date(2013, 1, 31)
        )
    assert problems == [], "\n".join(problems)


def test_compare_features_reports_a_difference(loaded, jan_flights):
    from week04_sql.features import build_features
    from week04_sql.parity import compare_features, pandas_features

    with loaded.connect() as conn:
        sql = build_features(conn, dt.date(2013, 1, 8), dt.date(2013, 1, 10))
    built = pandas_features(jan_flights, data.load_table("planes"), data.load_table("weather"))
    built = built[built["flight_date"] >= "2013-01-08"].reset_index(drop=True)
    assert compare_features(sql, built) == []
    peeked = built.copy()
    peeked.loc[3, "carrier_delay_rate_7d"] = np.nan
    problems = compare_features(sql, peeked)
    assert len(problems) == 1 and problems[0].startswith("carrier_delay_rate_7d: 1 rows differ")
    assert compare_features(sql, built.drop(columns="temp"))[0].startswith("columns only")
    assert "row counts differ" in compare_features(sql, built.iloc[1:])[0]
