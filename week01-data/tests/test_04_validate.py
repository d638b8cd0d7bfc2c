"""Exercise 5: a quarantine that keeps rejected rows with their reason (``quarantine``)."""

from __future__ import annotations

import pandas as pd
import pytest

from week01_data.validate import flights_schema, violations, weather_schema


def _weather() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin": ["EWR", "JFK", "LGA", "EWR"],
            "temp": [39.0, 40.0, 41.0, 30.0],
            "humid": [60.0, 120.0, 55.0, 70.0],
            "wind_dir": [270.0, 250.0, 10.0, 0.0],
            "wind_speed": [10.0, 8.0, 1048.4, 5.0],
            "precip": [0.0, 0.0, 0.0, 0.1],
            "visib": [10.0, -1.0, 10.0, 9.0],
        },
        index=[10, 11, 12, 13],
    )


@pytest.mark.exercise("quarantine")
@pytest.mark.points(2)
@pytest.mark.hint("every input row ends in exactly one of (valid, rejected), with its index kept")
def test_nothing_is_lost(validate):
    table = _weather()
    valid, rejected = validate.quarantine(table, weather_schema())
    assert sorted(valid.index) == [10, 13], (
        f"valid rows should be 10 and 13, got {list(valid.index)}"
    )
    assert sorted(rejected.index) == [11, 12], (
        f"rejected rows should be 11 and 12, got {list(rejected.index)}: rows are set aside, "
        "never dropped"
    )
    assert len(valid) + len(rejected) == len(table)


@pytest.mark.exercise("quarantine")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the reason is '<column>: <check>' with pandera's own name of the check, exactly as in"
    " failure_cases, e.g. 'wind_speed: in_range(0, 150)'"
)
def test_reason_names_column_and_rule(validate):
    _, rejected = validate.quarantine(_weather(), weather_schema())
    assert "reason" in rejected.columns, "rejected rows need a `reason` column"
    reason = rejected.loc[12, "reason"]
    assert reason == "wind_speed: in_range(0, 150)", (
        f"the 1,048 mph row's reason should name the column and the rule, got {reason!r}"
    )


@pytest.mark.exercise("quarantine")
@pytest.mark.points(1)
@pytest.mark.hint("a row can break several rules: join them all with '; ' in one reason")
def test_every_broken_rule_is_named(validate):
    _, rejected = validate.quarantine(_weather(), weather_schema())
    reason = rejected.loc[11, "reason"]
    assert "humid" in reason and "visib" in reason, (
        f"row 11 breaks humid and visib, its reason says only {reason!r}"
    )
    rules = sorted(reason.split("; "))
    assert rules == ["humid: in_range(0, 100)", "visib: in_range(0, 10)"], (
        f"row 11's reason {reason!r} should be 'column: rule' items joined with '; '"
    )


@pytest.mark.exercise("quarantine")
@pytest.mark.points(1)
@pytest.mark.hint(
    "match reasons to rows by index label, not by position: the input's index need not be sorted"
)
def test_reasons_stay_on_their_rows_when_the_index_is_unsorted(validate):
    table = _weather().iloc[::-1]  # index 13, 12, 11, 10
    _, rejected = validate.quarantine(table, weather_schema())
    reason = rejected.loc[12, "reason"]
    assert reason == "wind_speed: in_range(0, 150)", (
        f"row 12 (1,048 mph) got the reason {reason!r}: reasons were put on the rows in a "
        "different order than the rows they belong to"
    )


@pytest.mark.exercise("quarantine")
@pytest.mark.points(1)
@pytest.mark.hint("rejected rows keep their original values: the raw data is evidence")
def test_rejected_rows_are_unchanged(validate):
    table = _weather()
    _, rejected = validate.quarantine(table, weather_schema())
    pd.testing.assert_frame_equal(rejected.drop(columns="reason"), table.loc[[11, 12]])


@pytest.mark.exercise("quarantine")
@pytest.mark.points(1)
@pytest.mark.hint(
    "work on copies: add the reason to the rejected rows, never to the caller's table"
)
def test_valid_rows_unchanged_and_input_untouched(validate):
    table = _weather()
    before = table.copy()
    valid, _ = validate.quarantine(table, weather_schema())
    pd.testing.assert_frame_equal(table, before, obj="the caller's table after quarantine()")
    pd.testing.assert_frame_equal(valid, before.loc[[10, 13]], obj="the valid rows")


@pytest.mark.exercise("quarantine")
@pytest.mark.points(1)
@pytest.mark.hint(
    "failure cases without an `index` concern a whole column: raise ValueError naming it (for a"
    " missing column pandera puts its name in `failure_case`, not in `column`)"
)
@pytest.mark.parametrize(
    "break_visib",
    [
        pytest.param(lambda t: t.drop(columns="visib"), id="missing-column"),
        pytest.param(lambda t: t.assign(visib=["ten", "nine", "ten", "five"]), id="words"),
    ],
)
def test_whole_column_problem_is_an_error(validate, break_visib):
    broken = break_visib(_weather())
    try:
        valid, rejected = validate.quarantine(broken, weather_schema())
    except ValueError as exc:
        assert "visib" in str(exc), f"the error should name the column 'visib'; it says {exc}"
    else:
        pytest.fail(
            f"visib is missing or holds words, yet {len(valid)} rows passed and {len(rejected)} "
            "were rejected: a broken column cannot be pinned on rows, raise ValueError instead"
        )


@pytest.mark.exercise("quarantine")
@pytest.mark.points(1)
@pytest.mark.hint(
    "when nothing is wrong, return all rows as valid and an empty `rejected` with a reason column"
)
def test_valid_table(validate):
    table = _weather().loc[[10, 13]]
    valid, rejected = validate.quarantine(table, weather_schema())
    assert len(valid) == 2 and len(rejected) == 0
    assert "reason" in rejected.columns


@pytest.mark.exercise("quarantine")
@pytest.mark.points(1)
@pytest.mark.hint("on the real weather exactly one reading is impossible: wind of 1,048 mph")
def test_real_weather(validate, weather):
    valid, rejected = validate.quarantine(weather, weather_schema())
    assert len(rejected) == 1, f"expected the one 1,048 mph reading, got {len(rejected)} rows"
    assert len(valid) == len(weather) - 1


# --- reference-only checks --------------------------------------------------------------------


def test_violations_lists_column_rule_and_count():
    found = violations(_weather(), weather_schema())
    assert set(found["column"]) == {"humid", "wind_speed", "visib"}
    assert found["rows"].sum() == 3


def test_violations_empty_on_clean_table(jan_week):
    assert violations(jan_week, flights_schema()).empty


def test_flights_schema_catches_bad_clock_time(jan_week):
    broken = jan_week.head(3).copy()
    broken.loc[1, "sched_dep_time"] = 1275
    found = violations(broken, flights_schema())
    assert (found["column"] == "sched_dep_time").any()
