"""Reading numbers out of an Evidently report: by the metric's *name*, never its position.

``Report.run(...)`` returns a snapshot; ``snapshot.dict()["metrics"]`` is a list of entries
like::

    {"id": "15e8...", "metric_name": "DriftedColumnsCount(drift_share=0.5)",
     "config": {"type": "evidently:metric_v2:DriftedColumnsCount", "drift_share": 0.5},
     "value": {"count": 21.0, "share": 0.677}}
    {"id": "7912...", "metric_name": "ValueDrift(column=dep_hour,method=...,threshold=0.1)",
     "config": {"type": "evidently:metric_v2:ValueDrift", "column": "dep_hour", ...},
     "value": 0.0297}

The order of that list depends on the presets, their options and Evidently's version: the
first entry is the drift count today, and something else after an upgrade or a new preset.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def metric_value(report: Mapping[str, Any], metric: str, column: str | None = None) -> Any:
    """The ``value`` of the one entry of ``report["metrics"]`` computed by ``metric`` (and, when
    given, on ``column``) (exercise 2).

    * an entry is ``metric``'s when its ``metric_name`` is ``metric`` followed by ``"("``:
      ``"ValueDrift"`` matches ``"ValueDrift(column=...)"``, never ``"ValueDriftSummary(..."``;
    * with ``column``, the entry's ``config["column"]`` must equal it exactly (``dep_hour`` is
      not ``dep_hour_2``);
    * no such entry: ``KeyError`` naming what was asked and the metric names there are;
    * more than one: ``ValueError`` (say which column you mean), never the first one found.
    """
    wanted = f"{metric}("
    found = [
        entry
        for entry in report["metrics"]
        if entry["metric_name"].startswith(wanted)
        and (column is None or entry["config"].get("column") == column)
    ]
    asked = metric if column is None else f"{metric} on column {column!r}"
    if not found:
        names = sorted({entry["metric_name"].split("(")[0] for entry in report["metrics"]})
        raise KeyError(f"no {asked} in the report; it has {names}")
    if len(found) > 1:
        raise ValueError(f"{len(found)} entries are {asked}: name the column you mean")
    return found[0]["value"]


def drift_share(report: Mapping[str, Any]) -> float:
    """Share of drifted columns: ``DriftedColumnsCount``'s ``share``."""
    return float(metric_value(report, "DriftedColumnsCount")["share"])


def drifted_count(report: Mapping[str, Any]) -> int:
    """Number of drifted columns: ``DriftedColumnsCount``'s ``count``."""
    return int(metric_value(report, "DriftedColumnsCount")["count"])


def column_distance(report: Mapping[str, Any], column: str) -> float:
    """The drift distance Evidently measured on ``column`` (its ``ValueDrift``)."""
    return float(metric_value(report, "ValueDrift", column))
