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
@pytest.mark.points(3)
@pytest.mark.hint("count only flights whose label is known: a cancelled flight is not 'on time'")
def test_rate_ignores_unknown_labels(explore):
    got = explore.delay_rate_by(FLIGHTS, "carrier").set_index("carrier")
    assert got.loc["AA", "flights"] == 2, (
        f"AA has 2 labelled flights, got {got.loc['AA', 'flights']}: drop <NA> labels first"
    )
    assert got.loc["AA", "delay_rate"] == pytest.approx(0.5)
    assert got.loc["UA", "delay_rate"] == pytest.approx(1.0)


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(2)
@pytest.mark.hint(
    "35 flights of 1-7 January were cancelled and 21 diverted: none of them is on time or late"
)
def test_real_week_by_origin(explore, jan_week):
    flights = jan_week
    late = (flights["arr_delay"] > 15).astype("boolean").mask(flights["arr_delay"].isna())
    got = explore.delay_rate_by(flights.assign(is_delayed=late), "origin").set_index("origin")
    expected = {"EWR": (2187, 585), "JFK": (2157, 412), "LGA": (1699, 290)}
    for origin, (n, delayed) in expected.items():
        assert got.loc[origin, "flights"] == n, (
            f"{origin}: {got.loc[origin, 'flights']} flights, expected {n} with a known label: "
            "cancelled and diverted flights must not count as on time"
        )
        assert got.loc[origin, "delay_rate"] == pytest.approx(delayed / n, abs=1e-6), (
            f"{origin}: delay rate {got.loc[origin, 'delay_rate']:.4f}, expected "
            f"{delayed / n:.4f} ({delayed} of {n} labelled flights)"
        )


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(1)
@pytest.mark.hint(
    "return the columns: <group columns>, flights, delayed, delay_rate, sorted by group;"
    " flights and delayed are counts (integers)"
)
def test_columns_and_order(explore):
    got = explore.delay_rate_by(FLIGHTS, "carrier")
    assert list(got.columns) == ["carrier", "flights", "delayed", "delay_rate"]
    assert got["carrier"].tolist() == ["AA", "B6", "UA"], "sort the rows by the group keys"
    for column in ["flights", "delayed"]:
        assert pd.api.types.is_integer_dtype(got[column]), (
            f"{column} has dtype {got[column].dtype}: it counts flights, so keep it an integer"
        )


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(1)
@pytest.mark.hint(
    "min_flights counts labelled flights; once the small groups are gone, number the remaining"
    " rows 0, 1, ... again"
)
def test_min_flights(explore):
    got = explore.delay_rate_by(FLIGHTS, "carrier", min_flights=2)
    assert got["carrier"].tolist() == ["AA", "UA"], (
        f"B6 has 1 flight, got {got['carrier'].tolist()}"
    )
    assert list(got.index) == [0, 1], (
        f"index {list(got.index)}: number the remaining rows 0, 1, ... (ignore_index or "
        "reset_index), as the docstring promises"
    )


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(1)
@pytest.mark.hint(
    "`by` may be a list of columns: one row per combination that has a labelled flight"
)
def test_several_keys(explore):
    got = explore.delay_rate_by(FLIGHTS, ["carrier", "origin"])
    assert len(got) == 3, (
        f"expected 3 groups, got {len(got)}: (AA, LGA) has no labelled flight, so no rate"
    )
    aa_jfk = got[(got["carrier"] == "AA") & (got["origin"] == "JFK")]
    assert aa_jfk["delay_rate"].tolist() == [0.5]


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a categorical key makes groupby list every category, even one without a labelled flight:"
    " pass observed=True"
)
def test_no_row_for_a_group_without_labels(explore):
    status = pd.Categorical(
        ["arrived", "arrived", "cancelled", "diverted"],
        categories=["arrived", "diverted", "cancelled", "unknown"],
    )
    flights = pd.DataFrame(
        {"status": status, "is_delayed": pd.array([True, False, pd.NA, pd.NA], dtype="boolean")}
    )
    got = explore.delay_rate_by(flights, "status", min_flights=0)
    assert got["status"].astype(str).tolist() == ["arrived"], (
        f"groups {got['status'].astype(str).tolist()}: only arrived flights have a label, so "
        "cancelled, diverted and the unused category have no delay rate and no row"
    )
    assert got["delay_rate"].tolist() == [0.5]


@pytest.mark.exercise("delay_rate_by")
@pytest.mark.points(1)
@pytest.mark.hint("check for the is_delayed column first and raise ValueError naming it")
def test_needs_the_label_column(explore):
    try:
        explore.delay_rate_by(FLIGHTS.drop(columns="is_delayed"), "carrier")
    except ValueError as exc:
        assert "is_delayed" in str(exc), f"the error should name 'is_delayed'; it says {exc}"
    else:
        pytest.fail("no is_delayed column, yet no ValueError: a rate of what?")


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
