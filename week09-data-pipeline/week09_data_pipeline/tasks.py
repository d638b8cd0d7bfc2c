"""What each Airflow task runs: one plain function of the logical date, per task id.

A DAG file's task body is one line, ``run_task("flights_daily", "load_flights", context)``:
:func:`run_task` reads the flight date from the context (:func:`~week09_data_pipeline.context.
flight_date`), the settings from the environment, calls the function :data:`TASKS` names for
that task with ``(day, settings, **kwargs)`` and returns its summary as plain JSON (an XCom).
The backfill CLI (:mod:`week09_data_pipeline.pipeline`) calls the very same functions, so the
scheduled pipeline and the in-process one cannot drift apart; a check proves every task of every
DAG is wired to its entry here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from week09_data_pipeline.context import flight_date

#: dag id -> task id -> ("module:function", keyword arguments)
TASKS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "flights_daily": {
        "land_flights": ("raw:land_day", {"table": "flights"}),
        "land_weather": ("raw:land_day", {"table": "weather"}),
        "validate_flights": ("etl:validate_day", {"table": "flights"}),
        "validate_weather": ("etl:validate_day", {"table": "weather"}),
        "load_flights": ("etl:load_day", {"table": "flights"}),
        "load_weather": ("etl:load_day", {"table": "weather"}),
        "materialize_features": ("features:materialize_day", {}),
    },
    "train_weekly": {
        "train_candidate": ("training:train_candidate", {}),
        "decide": ("training:decide", {}),
        "register_candidate": ("training:register_candidate", {}),
    },
    "score_nightly": {
        "land_schedule": ("scoring:land_schedule", {}),
        "score_flights": ("scoring:score_day", {}),
    },
}


def task_function(dag_id: str, task_id: str) -> tuple[Callable[..., Any], dict[str, str]]:
    """The function and keyword arguments of a task. Raises ``KeyError`` naming both ids."""
    try:
        target, kwargs = TASKS[dag_id][task_id]
    except KeyError:
        raise KeyError(f"no task {task_id!r} in DAG {dag_id!r}: see week09's tasks.TASKS") from None
    module, name = target.split(":")
    function = getattr(importlib.import_module(f"week09_data_pipeline.{module}"), name)
    return function, kwargs


def to_xcom(value: Any) -> Any:
    """A task's summary as plain JSON values (dates as ISO strings, paths as text)."""

    def default(obj: object) -> object:
        if isinstance(obj, dt.date | Path):
            return str(obj)
        raise TypeError(f"{type(obj).__name__} is not JSON: give the summary plain fields")

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.loads(json.dumps(value, default=default))


def run_task(dag_id: str, task_id: str, context: Mapping[str, Any]) -> Any:
    """Run task ``task_id`` of ``dag_id`` for the run's flight date; returns its JSON summary."""
    from week09_data_pipeline.settings import get_settings

    function, kwargs = task_function(dag_id, task_id)
    return to_xcom(function(flight_date(context), get_settings(), **kwargs))
