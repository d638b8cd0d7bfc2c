"""The same features in pandas, and a check that the database's answer equals them.

Two implementations of one feature are a classic source of training/serving skew: the model
learns from pandas features and is served SQL features that differ in one corner case (a
cancelled flight counted as on time, a window that includes today). :func:`compare_features`
puts the two side by side, row by row and column by column.

The pandas side reuses week01 (``join_planes``, ``join_weather``, ``add_target``) and adds the
trailing rates here. When week03's pandas feature builder (with its past-only delay rates)
lands, :func:`pandas_features` should call it instead, so the parity check guards the features
the model actually trains on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from week01_data.join import WEATHER_COLUMNS, join_planes, join_weather
from week01_data.target import TARGET, add_target
from week04_sql.features import GROUPS, PLANE_FEATURES, WINDOWS_DAYS, build_features, rate_column

#: Columns that identify a flight in both tables.
KEYS = ["flight_date", "carrier", "flight", "origin"]


def trailing_rate_pandas(flights: pd.DataFrame, by: Sequence[str], days: int) -> pd.Series:
    """Per flight, the delay rate of its ``by`` group over the ``days`` days before its date.

    ``flights`` needs ``flight_date`` (datetime64, midnight) and ``is_delayed``. Daily counts,
    then a time-based rolling sum with ``closed="left"``: the window ``[d - days, d)`` holds
    the previous ``days`` calendar days and never day ``d`` itself. NaN when those days have
    no labelled flight. Returned in ``flights``' index order.
    """
    by = list(by)
    label = flights[TARGET].astype("Float64")
    daily = (
        flights.assign(_delayed=label, _known=label.notna().astype("int64"))
        .groupby([*by, "flight_date"], observed=True)[["_delayed", "_known"]]
        .sum()
        .astype("float64")
        .reset_index()
        .sort_values([*by, "flight_date"])
    )
    sums = (
        daily.groupby(by, observed=True)
        .rolling(f"{days}D", on="flight_date", closed="left")[["_delayed", "_known"]]
        .sum()
        .reset_index()  # one row per (group, day): the index holds the keys
    )
    sums["delay_rate"] = sums["_delayed"] / sums["_known"].replace(0, np.nan)
    merged = flights[[*by, "flight_date"]].merge(
        sums[[*by, "flight_date", "delay_rate"]], on=[*by, "flight_date"], how="left"
    )
    return pd.Series(merged["delay_rate"].to_numpy(), index=flights.index, name="delay_rate")


def pandas_features(
    flights: pd.DataFrame, planes: pd.DataFrame, weather: pd.DataFrame
) -> pd.DataFrame:
    """The feature table of :func:`week04_sql.features.build_features`, built in pandas from
    raw tables (as :func:`course.data.load_table` returns them)."""
    out = add_target(flights)
    out["flight_date"] = pd.to_datetime(out[["year", "month", "day"]])
    out["day_of_week"] = out["flight_date"].dt.dayofweek
    out = join_weather(join_planes(out, planes), weather)
    for group, by in GROUPS.items():
        for days in WINDOWS_DAYS:
            out[rate_column(group, days)] = trailing_rate_pandas(out, by, days)
    columns = [
        *KEYS,
        "dest",
        "tailnum",
        "time_hour",
        "month",
        "day_of_week",
        "hour",
        "distance",
        *PLANE_FEATURES,
        *WEATHER_COLUMNS,
        *(rate_column(g, d) for g in GROUPS for d in WINDOWS_DAYS),
        TARGET,
    ]
    return out[columns].sort_values(KEYS, ignore_index=True)


def compare_features(sql: pd.DataFrame, pandas: pd.DataFrame, *, rtol: float = 1e-9) -> list[str]:
    """Every difference between two feature tables, as sentences; empty when they agree.

    Rows are matched on :data:`KEYS`; numbers must agree to ``rtol`` with NaN equal to NaN
    (SQL NULL); other values exactly.
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
    for column in sorted(set(left.columns) & set(right.columns)):
        a, b = left[column], right[column]
        numeric = pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b)
        if numeric and not pd.api.types.is_bool_dtype(b):
            x, y = a.astype("float64").to_numpy(), b.astype("float64").to_numpy()
            same = np.isclose(x, y, rtol=rtol, atol=0, equal_nan=True)
        else:
            same = ((a == b).fillna(False) | (a.isna() & b.isna())).to_numpy(dtype=bool)
        if not same.all():
            i = int(np.argmin(same))
            problems.append(
                f"{column}: {int((~same).sum())} rows differ, e.g. {left[KEYS].iloc[i].to_dict()}: "
                f"SQL {a.iloc[i]!r} vs pandas {b.iloc[i]!r}"
            )
    return problems


def check_parity(
    conn: Connection,
    flights: pd.DataFrame,
    planes: pd.DataFrame,
    weather: pd.DataFrame,
    start: dt.date,
    end: dt.date,
) -> list[str]:
    """Compare the database's features for ``start``-``end`` with pandas features built from
    ``flights`` (the same flights that were loaded, history included); empty list = parity."""
    sql = build_features(conn, start, end)
    built = pandas_features(flights, planes, weather)
    in_range = built["flight_date"].between(pd.Timestamp(start), pd.Timestamp(end))
    return compare_features(sql, built[in_range].reset_index(drop=True))
