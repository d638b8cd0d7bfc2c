"""Exercise 8: the skew check's comparison (``compare_features``): flights matched by their
keys, NaN equal to NaN, floats to a tolerance, and each difference named with its flight."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def _table(rate=(0.2, 0.3, np.nan), dest=("IAH", "BOS", "BOS")) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "flight_date": pd.to_datetime(["2013-09-01", "2013-09-01", "2013-09-02"]),
            "carrier": ["UA", "AA", "B6"],
            "flight": [1545, 11, 27],
            "origin": ["EWR", "JFK", "JFK"],
            "dest": list(dest),
            "past_rate_route": list(rate),
            "is_delayed": pd.array([True, False, pd.NA], dtype="boolean"),
        }
    )


@pytest.mark.exercise("compare_features")
@pytest.mark.points(2)
@pytest.mark.hint(
    "equal tables give an empty list; NaN == NaN is False in NumPy: compare with "
    "equal_nan=True, and two missing values of any kind as equal"
)
def test_equal_tables_agree_missing_values_included(parity):
    assert parity.compare_features(_table(), _table()) == [], (
        "two copies of one table, a NaN rate and a missing label included, must agree"
    )


@pytest.mark.exercise("compare_features")
@pytest.mark.points(2)
@pytest.mark.hint(
    "match flights on KEYS (sort both tables by them): the database returns rows in "
    "its own order, which is not a difference"
)
def test_row_order_is_not_a_difference(parity):
    shuffled = _table().iloc[[2, 0, 1]]
    assert parity.compare_features(shuffled, _table()) == [], (
        "the same flights in another order were reported as different: match rows on KEYS"
    )


@pytest.mark.exercise("compare_features")
@pytest.mark.points(2)
@pytest.mark.hint(
    "numbers agree to a relative tolerance rtol: a SQL SUM and a pandas rolling "
    "sum differ in the 16th digit, not in the 3rd"
)
def test_floats_agree_to_the_tolerance(parity):
    close = _table(rate=(0.2 * (1 + 1e-12), 0.3, np.nan))
    assert parity.compare_features(close, _table()) == [], "1e-12 apart is the same value"
    far = _table(rate=(0.2 * (1 + 1e-6), 0.3, np.nan))
    assert len(parity.compare_features(far, _table())) == 1, "1e-6 apart is a difference"
    assert parity.compare_features(far, _table(), rtol=1e-3) == [], "rtol is the caller's"


@pytest.mark.exercise("compare_features")
@pytest.mark.points(3)
@pytest.mark.hint(
    "one sentence per differing column: its name and a colon first, then '<n> flights "
    "differ', the first differing flight's keys (in KEYS order) and both values"
)
@pytest.mark.parametrize(
    ("served", "column", "first", "values"),
    [
        pytest.param(
            _table(rate=(0.2, 0.35, 0.1)),
            "past_rate_route",
            ("2013-09-01", "AA", "11", "JFK"),
            ("0.35", "0.3"),
            id="two-rates-differ",
        ),
        pytest.param(
            _table(dest=("IAH", "BOS", "LAX")),
            "dest",
            ("2013-09-02", "B6", "27", "JFK"),
            ("LAX", "BOS"),
            id="a-category-differs",
        ),
    ],
)
def test_a_difference_names_the_feature_and_the_flight(parity, served, column, first, values):
    problems = parity.compare_features(served, _table())
    assert len(problems) == 1, f"one differing column, one sentence; got {problems}"
    sentence = problems[0]
    assert sentence.startswith(f"{column}: "), f"name the feature first: {sentence!r}"
    if column == "past_rate_route":
        assert "2 flights differ" in sentence, f"say how many flights differ: {sentence!r}"
    missing = [v for v in (*first, *values) if v not in sentence]
    assert not missing, (
        f"name the first differing flight (its date, carrier, number, origin) and both values; "
        f"{missing} not in {sentence!r}"
    )


@pytest.mark.exercise("compare_features")
@pytest.mark.points(2)
@pytest.mark.hint(
    "before comparing values: columns on one side only, and row counts, are "
    "differences to report (then stop: rows cannot be matched)"
)
def test_missing_columns_and_rows_are_reported(parity):
    fewer_columns = parity.compare_features(_table().drop(columns="dest"), _table())
    assert fewer_columns and "dest" in fewer_columns[0], (
        f"a column only one side has must be named: {fewer_columns}"
    )
    fewer_rows = parity.compare_features(_table().iloc[1:], _table())
    assert any("row counts differ" in p for p in fewer_rows), (
        f"a flight missing on one side must be reported: {fewer_rows}"
    )
    other_flight = _table()
    other_flight.loc[0, "flight"] = 1546
    assert parity.compare_features(other_flight, _table()), (
        "the same number of rows but another flight is a difference too"
    )


@pytest.mark.exercise("compare_features")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a missing value against a known one is a difference (for a nullable boolean, "
    "a == b is <NA> there, not False); only two missing values are equal"
)
def test_a_missing_value_against_a_known_one_differs(parity):
    served = _table()
    served["is_delayed"] = pd.array([True, False, True], dtype="boolean")
    problems = parity.compare_features(served, _table())
    assert len(problems) == 1 and problems[0].startswith("is_delayed: "), (
        f"a label served where training had none must be reported: {problems}"
    )
    assert "1 flights differ" in problems[0], f"one flight differs: {problems[0]!r}"


@pytest.mark.exercise("compare_features")
@pytest.mark.points(1)
@pytest.mark.hint(
    "the tolerance is relative: an absolute tolerance such as np.isclose's default 1e-8 "
    "makes every small rate equal to every other; keep any absolute one tiny"
)
def test_small_values_are_compared_relatively(parity):
    tiny = _table(rate=(1e-10, 0.3, np.nan))
    assert len(parity.compare_features(tiny, _table(rate=(2e-10, 0.3, np.nan)))) == 1, (
        "1e-10 and 2e-10 differ by half: an absolute tolerance of 1e-8 hides it"
    )


@pytest.mark.exercise("compare_features")
@pytest.mark.points(1)
@pytest.mark.hint(
    "compare as numbers only when both sides are numbers: a rate served as the "
    "text '0.2' would break the model, so it is a difference"
)
def test_a_number_served_as_text_differs(parity):
    served = _table()
    served["past_rate_route"] = ["0.2", "0.3", None]
    problems = parity.compare_features(served, _table())
    assert problems and problems[0].startswith("past_rate_route: "), (
        f"numbers served as text must be reported: {problems}"
    )
