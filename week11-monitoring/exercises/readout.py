"""Exercise 2 — a number out of an Evidently report, found by name.

An Evidently report, as a dictionary, is a list of metric results whose order depends on
the presets, their options and Evidently's version: a number read by its position works today
and silently reads another number after an upgrade.

Check your work with ``uv run course grade week11``; when stuck, ``uv run course hint week11
metric_value`` gives one hint step at a time. The reference solution lives in
``week11_monitoring/readout.py``: look only once you are done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def metric_value(report: Mapping[str, Any], metric: str, column: str | None = None) -> Any:
    """The ``value`` of the one result in ``report`` computed by the metric ``metric`` (and,
    when ``column`` is given, on that column).

    Why: ``report["metrics"][0]`` is the drift count today and something else after a new
    preset; a metric found by its name keeps meaning the same thing.

    Args:
        report: ``snapshot.dict()`` of an Evidently 0.7 report. ``report["metrics"]`` is a
            list of entries; each has a ``metric_name`` (the metric's type, then its
            parameters in parentheses), a ``config`` dict and a ``value``, e.g.::

                {"id": "...", "metric_name": "DriftedColumnsCount(drift_share=0.5)",
                 "config": {"type": "evidently:metric_v2:DriftedColumnsCount",
                            "drift_share": 0.5},
                 "value": {"count": 21.0, "share": 0.677}}
                {"id": "...", "metric_name": "ValueDrift(column=temp,method=...)",
                 "config": {"type": "evidently:metric_v2:ValueDrift", "column": "temp"},
                 "value": 1.086}

            A per-column metric has its column in ``config["column"]``; a report-wide
            metric has no ``column`` key in its ``config``.
        metric: the metric's type as it starts ``metric_name``: ``"DriftedColumnsCount"``,
            ``"ValueDrift"``, ``"RocAuc"``...
        column: when given, only the entry on exactly this column counts.

    Returns:
        The matching entry's ``value``, as it is (a number or a dict).

    Raises:
        KeyError: no entry matches. The message names ``metric`` (and ``column``, when one
            was given), and lists the metric types the report does have (the part of each
            ``metric_name`` before ``"("``): each type once, in alphabetical order. When no
            column was asked for, the message shows no ``None``.
        ValueError: more than one entry matches (e.g. ``"ValueDrift"`` without a column).
            The message contains the word ``column`` (tell the caller to name the column
            they mean); never the first match returned silently.

    Invariants (checked):
        * the position of an entry in the list never matters;
        * an entry is ``metric``'s only when its ``metric_name`` is ``metric`` followed
          directly by ``"("``: ``"ValueDrift"`` never matches ``"ValueDriftSummary(...)"``;
        * a column matches only when it is equal to ``column``: ``"dep_hour"`` is not
          ``"dep_hour_2"``.
    """
    # TODO: your code here
    raise NotImplementedError("metric_value")
