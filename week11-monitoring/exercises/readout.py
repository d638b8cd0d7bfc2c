"""Exercise 2 — a number out of an Evidently report, found by name.

Fill in the function below, then check it with ``uv run course grade week11``. The reference
solution lives in ``week11_monitoring/readout.py``: look only once you are done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def metric_value(report: Mapping[str, Any], metric: str, column: str | None = None) -> Any:
    """The ``value`` of the one entry of ``report["metrics"]`` computed by ``metric`` (and, when
    given, on ``column``).

    ``report`` is ``snapshot.dict()`` of an Evidently 0.7 report: ``report["metrics"]`` is a
    list of entries such as::

        {"id": "...", "metric_name": "DriftedColumnsCount(drift_share=0.5)",
         "config": {"type": "evidently:metric_v2:DriftedColumnsCount", "drift_share": 0.5},
         "value": {"count": 21.0, "share": 0.677}}
        {"id": "...", "metric_name": "ValueDrift(column=temp,method=...,threshold=0.1)",
         "config": {"type": "evidently:metric_v2:ValueDrift", "column": "temp", ...},
         "value": 1.086}

    Why: the order of that list depends on the presets, their options and Evidently's
    version. ``report["metrics"][0]["value"]["share"]`` works today and silently reads another
    number after an upgrade.

    Steps:
      1. Keep the entries whose ``metric_name`` starts with ``metric + "("`` (so
         ``"ValueDrift"`` never matches ``"ValueDriftSummary(...)"``) and, when ``column`` is
         given, whose ``config.get("column")`` equals ``column`` exactly.
      2. None: raise ``KeyError`` naming what was asked (metric, and column if any) and the
         metric names the report has (the part of ``metric_name`` before ``"("``).
      3. More than one: raise ``ValueError`` saying to name the column.
      4. Return the one entry's ``"value"``.
    """
    # TODO: your code here
    raise NotImplementedError("metric_value")
