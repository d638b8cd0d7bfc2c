"""Exercise 6: delay rates by group (``delay_rate_by``), the number behind every EDA plot."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

FLIGHTS = pd.DataFrame(
    {
        "carrier": ["AA", "AA", "AA", "UA", "UA", "B6"],
        "origin": ["JFK", "JFK", "LGA", "EWR", "EWR", "JFK"],
        "is_delayed": pd.array([True, False, pd.NA, True, True, False], dtype="boolean"),
    }
)


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(2)
@pytest.mark.hint("count only flights whose label is known: a cancelled flight is not 'on time'")
def test_rate_ignores_unknown_labels(explore):
    got = explore.delay_rate_by(FLIGHTS, "carrier").set_index("carrier")
    assert got.loc["AA", "flights"] == 2, (
        f"AA has 2 labelled flights, got {got.loc['AA', 'flights']}: drop <NA> labels first"
    )
    assert got.loc["AA", "delay_rate"] == pytest.approx(0.5)
    assert got.loc["UA", "delay_rate"] == pytest.approx(1.0)


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(1)
@pytest.mark.hint(
    "return the columns: <group columns>, flights, delayed, delay_rate, sorted by group"
)
def test_columns_and_order(explore):
    got = explore.delay_rate_by(FLIGHTS, "carrier")
    assert list(got.columns) == ["carrier", "flights", "delayed", "delay_rate"]
    assert got["carrier"].tolist() == ["AA", "B6", "UA"], "sort the rows by the group keys"


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(1)
@pytest.mark.hint("filter on the number of labelled flights: flights >= min_flights")
def test_min_flights(explore):
    got = explore.delay_rate_by(FLIGHTS, "carrier", min_flights=2)
    assert got["carrier"].tolist() == ["AA", "UA"], (
        f"B6 has 1 flight, got {got['carrier'].tolist()}"
    )


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(1)
@pytest.mark.hint("`by` may be a list: groupby(list_of_columns)")
def test_several_keys(explore):
    got = explore.delay_rate_by(FLIGHTS, ["carrier", "origin"])
    assert len(got) == 3, (
        f"expected 3 groups, got {len(got)}: (AA, LGA) has no labelled flight, so no rate"
    )
    aa_jfk = got[(got["carrier"] == "AA") & (got["origin"] == "JFK")]
    assert aa_jfk["delay_rate"].tolist() == [0.5]


# --- reference-only checks --------------------------------------------------------------------


def test_missing_report():
    from week01_data.explore import missing_report

    frame = pd.DataFrame({"a": [1, None, None], "b": [1, 2, 3], "c": [None, 1, 2]})
    got = missing_report(frame)
    assert got["column"].tolist() == ["a", "c"]
    assert got["share"].iloc[0] == pytest.approx(2 / 3)


def test_plot_delay_rate():
    from week01_data.explore import delay_rate_by, plot_delay_rate

    ax = plot_delay_rate(delay_rate_by(FLIGHTS, "carrier"), "carrier")
    assert len(ax.patches) == 3


def test_delay_rate_needs_labels():
    from week01_data.explore import delay_rate_by

    with pytest.raises(ValueError, match="is_delayed"):
        delay_rate_by(FLIGHTS.drop(columns="is_delayed"), "carrier")
