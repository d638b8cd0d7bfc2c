"""Exercise 3: the label, ``is_delayed``, defined once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course import data


@pytest.mark.exercise("is_delayed")
@pytest.mark.points(1)
@pytest.mark.hint("delayed means MORE than 15 minutes late: 15 is on time, 15.5 is not")
@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        pytest.param(16.0, True, id="16-late"),
        pytest.param(15.5, True, id="15.5-late"),
        pytest.param(-12.0, False, id="early"),
    ],
)
def test_threshold(target, minutes, expected):
    got = target.is_delayed(pd.Series([minutes]))
    assert bool(got.iloc[0]) is expected, (
        f"arr_delay {minutes} -> expected {expected}, got {got.iloc[0]}"
    )


@pytest.mark.exercise("is_delayed")
@pytest.mark.points(2)
@pytest.mark.hint(
    "delayed means MORE than 15 minutes late: a flight exactly 15 minutes late is not"
)
def test_exactly_15_minutes_is_on_time(target):
    got = target.is_delayed(pd.Series([15.0, 14.0]))
    assert bool(got.iloc[0]) is False, (
        f"arr_delay 15.0 -> {got.iloc[0]}: the FAA counts a flight as delayed only when it is "
        "MORE than 15 minutes late (> 15, not >= 15)"
    )
    assert bool(got.iloc[1]) is False


@pytest.mark.exercise("is_delayed")
@pytest.mark.points(2)
@pytest.mark.hint("NaN > 15 is False in pandas: set the unknown rows back to pd.NA explicitly")
def test_unknown_stays_unknown(target):
    got = target.is_delayed(pd.Series([np.nan, 30.0]))
    assert got.isna().iloc[0], (
        "a cancelled or diverted flight has no arr_delay: its label is unknown (<NA>), "
        f"not {got.iloc[0]!r} — 'False' would count the worst days as on time"
    )
    assert bool(got.iloc[1]) is True


@pytest.mark.exercise("is_delayed")
@pytest.mark.points(1)
@pytest.mark.hint("use pandas' nullable 'boolean' dtype and name the Series 'is_delayed'")
def test_dtype_and_name(target):
    got = target.is_delayed(pd.Series([1.0, np.nan], name="arr_delay"))
    assert str(got.dtype) == "boolean", f"dtype should be the nullable 'boolean', got {got.dtype}"
    assert got.name == "is_delayed", f"name should be 'is_delayed', got {got.name!r}"


@pytest.mark.exercise("is_delayed")
@pytest.mark.points(1)
@pytest.mark.hint(
    "of 327,346 flights with an arrival delay in 2013, 77,630 were more than 15 min late"
)
def test_counts_for_2013(target):
    got = target.is_delayed(data.load_table("flights")["arr_delay"])
    assert got.notna().sum() == 327_346, (
        f"labelled flights: expected 327,346, got {got.notna().sum()}"
    )
    assert got.sum() == 77_630, f"delayed flights: expected 77,630, got {got.sum()}"


def test_labelled_keeps_known_labels_as_bool(jan_week):
    from week01_data.target import labelled

    out = labelled(jan_week)
    assert out["is_delayed"].dtype == bool
    assert len(out) == jan_week["arr_delay"].notna().sum()
