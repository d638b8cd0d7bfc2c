"""Declared schemas for the raw tables, and a quarantine that keeps rejected rows with a reason.

A schema says what every column must be (type, missing allowed or not, range, allowed values).
:func:`violations` lists every broken rule by column; :func:`quarantine` splits a table into the
rows that pass and the rows that do not, each rejected row carrying the rules it broke. Nothing
is silently dropped: ``len(valid) + len(rejected) == len(table)``.

The schemas use pandera, the validation library a data team would reach for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

REASON = "reason"


#: How an airline and an airport code are written (IATA: upper-case letters and digits). The one
#: place these patterns are written: week03's registry and week05's request schema read them.
CODE_PATTERNS: dict[str, str] = {"carrier": r"^[A-Z0-9]{2}$", "dest": r"^[A-Z0-9]{3}$"}

#: Physically possible readings at a New York airport, (low, high) inclusive. The one place
#: these ranges are written: week03's feature registry and week05's request schema read them.
WEATHER_RANGES: dict[str, tuple[float, float]] = {
    "temp": (-40, 120),  # °F
    "humid": (0, 100),  # %
    "wind_dir": (0, 360),  # degrees
    # 150 mph is a strong hurricane; the raw data holds one reading of 1,048 mph.
    "wind_speed": (0, 150),  # mph
    "precip": (0, 20),  # inches in one hour (the world record is about 12)
    "visib": (0, 10),  # miles: the stations report at most 10
}


def flights_schema() -> pa.DataFrameSchema:
    """The rules a raw flight must keep to be learned from."""
    import pandera.pandas as pa  # imported here: pandera takes ~2 s to import

    clock = [pa.Check.in_range(0, 2400), pa.Check(lambda s: s % 100 < 60, name="minutes_lt_60")]
    return pa.DataFrameSchema(
        {
            "year": pa.Column(int, pa.Check.eq(2013)),
            "month": pa.Column(int, pa.Check.in_range(1, 12)),
            "day": pa.Column(int, pa.Check.in_range(1, 31)),
            "sched_dep_time": pa.Column(int, clock),
            "dep_time": pa.Column(float, clock, nullable=True),
            "sched_arr_time": pa.Column(int, clock),
            "arr_delay": pa.Column(float, pa.Check.in_range(-120, 24 * 60), nullable=True),
            "carrier": pa.Column(str, pa.Check.str_matches(CODE_PATTERNS["carrier"])),
            "tailnum": pa.Column(str, nullable=True),
            "origin": pa.Column(str, pa.Check.isin(["EWR", "JFK", "LGA"])),
            "dest": pa.Column(str, pa.Check.str_matches(CODE_PATTERNS["dest"])),
            "distance": pa.Column(int, pa.Check.in_range(1, 6000)),
        },
        coerce=True,
        strict=False,
        name="flights",
    )


def weather_schema() -> pa.DataFrameSchema:
    """Physically possible weather at a New York airport."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "origin": pa.Column(str, pa.Check.isin(["EWR", "JFK", "LGA"])),
            **{
                name: pa.Column(float, pa.Check.in_range(low, high), nullable=True)
                for name, (low, high) in WEATHER_RANGES.items()
            },
        },
        coerce=True,
        strict=False,
        name="weather",
    )


def violations(table: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Every broken rule: one row per (column, rule) with the number of rows and an example.

    Columns: ``column``, ``rule``, ``rows``, ``example``. Empty when the table is valid.
    """
    import pandera.pandas as pa

    try:
        schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        return (
            cases.groupby(["column", "check"], dropna=False)
            .agg(rows=("failure_case", "size"), example=("failure_case", "first"))
            .reset_index()
            .rename(columns={"check": "rule"})
            .sort_values("rows", ascending=False, ignore_index=True)
        )
    return pd.DataFrame(columns=["column", "rule", "rows", "example"])


def quarantine(
    table: pd.DataFrame, schema: pa.DataFrameSchema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``table`` into ``(valid, rejected)`` by ``schema``; nothing is lost.

    ``rejected`` holds the offending rows unchanged plus a ``reason`` column naming every broken
    rule as ``"column: rule"`` (several joined with ``"; "``). Both keep the input's index;
    the valid rows are unchanged too, and ``table`` itself is left as it was.
    A problem with a whole column (missing, wrong type) cannot be pinned on rows: it raises a
    ``ValueError`` naming the column, because no row of such a table can be trusted.
    """
    import pandera.pandas as pa

    try:
        schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        whole = cases[cases["index"].isna()]
        if not whole.empty:
            first = whole.iloc[0]
            raise ValueError(
                f"the table as a whole breaks {first['check']!r} ({first['failure_case']!r}, "
                f"schema {first['column']!r}): no row of it can be trusted"
            ) from exc
        labels = cases["column"].astype(str) + ": " + cases["check"].astype(str)
        reasons = labels.groupby(cases["index"].to_numpy()).agg(
            lambda s: "; ".join(dict.fromkeys(s))  # unique, in order
        )
        bad = table.index.isin(reasons.index)
        rejected = table[bad].copy()
        rejected[REASON] = reasons.reindex(rejected.index).to_numpy()
        return table[~bad].copy(), rejected
    return table.copy(), table.iloc[0:0].assign(**{REASON: pd.Series(dtype="object")})
