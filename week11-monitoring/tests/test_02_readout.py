"""Exercise 2: reading a number out of an Evidently report by the metric's name
(``metric_value``), never by its position in the list."""

from __future__ import annotations

import re
from typing import Any

import pytest

from week11_monitoring.readout import column_distance, drift_share, drifted_count


def _entry(name: str, value: Any, **config: Any) -> dict[str, Any]:
    kind = name.split("(")[0]
    return {
        "id": f"id-{name}",
        "metric_name": name,
        "config": {"type": f"evidently:metric_v2:{kind}", **config},
        "value": value,
    }


def _report(*, count_first: bool = True) -> dict[str, Any]:
    """Shaped like ``snapshot.dict()`` of the week's drift report (Evidently 0.7)."""
    count = _entry("DriftedColumnsCount(drift_share=0.5)", {"count": 3.0, "share": 0.75})
    drifts = [
        _entry(
            f"ValueDrift(column={c},method=Wasserstein distance (normed),threshold=0.1)",
            v,
            column=c,
        )
        for c, v in (("dep_hour", 0.03), ("dep_hour_2", 0.5), ("temp", 1.08), ("prediction", 0.4))
    ]
    summary = _entry("ValueDriftSummary(columns=4)", {"count": 9.0, "share": 0.1})
    metrics = [count, *drifts, summary] if count_first else [*drifts, summary, count]
    return {"metrics": metrics, "tests": []}


@pytest.mark.exercise("metric_value")
@pytest.mark.points(2)
@pytest.mark.hint(
    "look the entry up by its metric_name (the metric's type, then '('), not by its place"
)
def test_finds_the_drift_count_by_name(readout):
    assert readout.metric_value(_report(), "DriftedColumnsCount") == {"count": 3.0, "share": 0.75}


@pytest.mark.exercise("metric_value")
@pytest.mark.points(3)
@pytest.mark.hint(
    "never report['metrics'][0]: the order changes with presets, options and versions; "
    "look each entry's metric_name up"
)
def test_the_order_of_the_list_does_not_matter(readout):
    moved = _report(count_first=False)
    assert readout.metric_value(moved, "DriftedColumnsCount") == {"count": 3.0, "share": 0.75}, (
        "the drift count moved to the end of the list: it was read by position"
    )


@pytest.mark.exercise("metric_value")
@pytest.mark.points(3)
@pytest.mark.hint(
    "a column matches only when it is equal to the one asked for: 'dep_hour' must not "
    "match 'dep_hour_2' (no substring or prefix test on columns)"
)
@pytest.mark.parametrize(
    ("column", "expected"),
    [
        pytest.param("dep_hour", 0.03, id="dep_hour"),
        pytest.param("dep_hour_2", 0.5, id="a-longer-name"),
        pytest.param("prediction", 0.4, id="the-prediction"),
    ],
)
def test_a_column_metric_is_found_by_its_column(readout, column, expected):
    assert readout.metric_value(_report(), "ValueDrift", column) == expected


@pytest.mark.exercise("metric_value")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the metric's name is followed by '(': 'ValueDrift' is not 'ValueDriftSummary', "
    "and two matching entries are a ValueError, not the first one found"
)
def test_a_name_is_not_a_prefix_of_another(readout):
    only_summary = {"metrics": [_entry("ValueDriftSummary(columns=4)", 1.0)]}
    with pytest.raises(KeyError):
        readout.metric_value(only_summary, "ValueDrift")
    with pytest.raises(ValueError, match="column"):
        readout.metric_value(_report(), "ValueDrift")
    twice = {"metrics": _report()["metrics"][:1] * 2}
    with pytest.raises(ValueError):
        readout.metric_value(twice, "DriftedColumnsCount")


@pytest.mark.exercise("metric_value")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a missing metric is a KeyError that names what was asked and lists the metric types the "
    "report has (the part of metric_name before '('), each once, alphabetically"
)
def test_a_missing_metric_says_what_there_is(readout):
    with pytest.raises(KeyError) as caught:
        readout.metric_value(_report(), "RocAuc")
    message = str(caught.value)
    assert "RocAuc" in message, f"name the metric asked for: {message}"
    present = ["DriftedColumnsCount", "ValueDrift", "ValueDriftSummary"]
    found = [
        (match.start(), name)
        for name in present
        for match in re.finditer(rf"(?<!\w){name}(?!\w)", message)
    ]
    assert sorted(name for _, name in found) == present, (
        f"list each metric type the report has, once ({', '.join(present)}): {message}"
    )
    assert [name for _, name in sorted(found)] == present, (
        f"list the metric types in alphabetical order, {', '.join(present)}: {message}"
    )
    assert "None" not in message, f"no column was asked for: {message}"
    with pytest.raises(KeyError) as caught:
        readout.metric_value(_report(), "ValueDrift", "wind_speed")
    assert "wind_speed" in str(caught.value), f"name the column asked for: {caught.value}"


def test_the_readers_of_the_report_table():
    report = _report(count_first=False)
    assert drift_share(report) == 0.75 and drifted_count(report) == 3
    assert column_distance(report, "temp") == 1.08
