"""Training/serving skew, checked: the database's features equal week03's, flight by flight.

The model learns from week03's ``build_features`` (pandas); the database computes the same
features with window functions (:mod:`week04_sql.features`), both from one declaration per
feature (week03's registry). One declaration makes skew unlikely; this comparison proves it
absent, feature by feature, on real flights: a cancelled flight counted as on time, a window
that includes today or a local hour read as UTC would each show up here as a named feature, a
flight and two values.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from week04_sql.features import FEATURE_TABLE, KEYS, build_features


def week03_features(start: dt.date, end: dt.date) -> pd.DataFrame:
    """week03's feature table for the flights of ``start``..``end``, in :data:`FEATURE_TABLE`
    columns. Built from every flight since 1 January, as the rates of a day need all the days
    before it (the same history the database's windows see)."""
    from week03_ml.train import load_flights

    months = range(1, end.month + 1)
    built = load_flights(months=None if end.month == 12 else months)
    built["flight_date"] = pd.to_datetime(built[["year", "month", "day"]])
    chosen = built["flight_date"].between(pd.Timestamp(start), pd.Timestamp(end))
    return built.loc[chosen, FEATURE_TABLE].sort_values(KEYS, ignore_index=True)


def compare_features(sql: pd.DataFrame, pandas: pd.DataFrame, *, rtol: float = 1e-9) -> list[str]:
    """Every difference between two feature tables, as sentences; empty when they agree.

    Rows are matched on :data:`KEYS`; numbers must agree to ``rtol`` with NaN equal to NaN
    (SQL NULL); other values exactly. Each sentence names the feature, how many flights differ,
    the first such flight and both values.
    """
    problems = []
    missing = sorted(set(pandas.columns) ^ set(sql.columns))
    if missing:
        problems.append(f"columns only on one side: {missing}")
    left = sql.sort_values(KEYS, ignore_index=True)
    right = pandas.sort_values(KEYS, ignore_index=True)
    if len(left) != len(right):
        return [*problems, f"row counts differ: SQL {len(left)}, pandas {len(right)}"]
    for key in KEYS:
        if not (left[key].astype(str) == right[key].astype(str)).all():
            return [*problems, f"the flights differ (key column {key!r})"]
    for column in [c for c in right.columns if c in left.columns]:
        a, b = left[column], right[column]
        numeric = pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b)
        if numeric and not pd.api.types.is_bool_dtype(b):
            x, y = a.astype("float64").to_numpy(), b.astype("float64").to_numpy()
            same = np.isclose(x, y, rtol=rtol, atol=1e-12, equal_nan=True)
        else:
            same = ((a == b).fillna(False) | (a.isna() & b.isna())).to_numpy(dtype=bool)
        if not same.all():
            i = int(np.argmin(same))
            flight = " ".join(_show(v) for v in left[KEYS].iloc[i])
            problems.append(
                f"{column}: {int((~same).sum())} flights differ, first {flight}: "
                f"SQL {_show(a.iloc[i])} vs week03 {_show(b.iloc[i])}"
            )
    return problems


def _show(value: object) -> str:
    """A value as a person reads it: 2013-01-08, 0.2369..., nan, 'UA'."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def check_parity(conn: Connection, start: dt.date, end: dt.date) -> list[str]:
    """The database's feature table against week03's for ``start``..``end``: differences, if
    any (the database must hold every flight since 1 January, loaded by week04's loader)."""
    return compare_features(build_features(conn, start, end), week03_features(start, end))
