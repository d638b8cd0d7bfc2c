"""flights_daily: land, validate and load a day's weather and flights, then materialise features.

Thin wiring: each task runs one plain function of the flight date, named in
``week09_data_pipeline.tasks.TASKS``; the package is imported inside the tasks, never here, so
the scheduler parses this file in milliseconds. Weather and flights are independent until the
features need both::

    land_weather -> validate_weather -> load_weather --+
                                                        +-> materialize_features
    land_flights -> validate_flights -> load_flights --+
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
from airflow.sdk import dag, task

DAG_ID = "flights_daily"
TZ = "America/New_York"


def alert(context: Any) -> None:
    from week09_data_pipeline.alerts import on_failure

    on_failure(context)


def run(task_id: str, context: Any) -> Any:
    from week09_data_pipeline.tasks import run_task

    return run_task(DAG_ID, task_id, context)


@dag(
    dag_id=DAG_ID,
    schedule="@daily",
    start_date=pendulum.datetime(2013, 1, 1, tz=TZ),
    # the data ends with 2013: without an end date, unpausing would also schedule "today"
    end_date=pendulum.datetime(2013, 12, 31, tz=TZ),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=dt.timedelta(hours=1),
    default_args={
        "retries": 2,
        "retry_delay": dt.timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=10),
        "execution_timeout": dt.timedelta(minutes=10),
        "on_failure_callback": alert,
    },
    tags=["week09", "etl"],
)
def flights_daily() -> None:
    @task
    def land_weather(**context: Any) -> Any:
        return run("land_weather", context)

    @task
    def validate_weather(**context: Any) -> Any:
        return run("validate_weather", context)

    @task
    def load_weather(**context: Any) -> Any:
        return run("load_weather", context)

    @task
    def land_flights(**context: Any) -> Any:
        return run("land_flights", context)

    @task
    def validate_flights(**context: Any) -> Any:
        return run("validate_flights", context)

    @task
    def load_flights(**context: Any) -> Any:
        return run("load_flights", context)

    @task
    def materialize_features(**context: Any) -> Any:
        return run("materialize_features", context)

    weather = land_weather() >> validate_weather() >> load_weather()
    flights = land_flights() >> validate_flights() >> load_flights()
    [weather, flights] >> materialize_features()


flights_daily()
