"""score_nightly: on the evening of day D, score the flights scheduled for D+1 with the champion.

It runs at 18:00 New York time, after flights_daily has loaded D and materialised the store for
D+1 (scoring fails naming the date if it has not: a retry later then succeeds)::

    land_schedule -> score_flights
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
from airflow.sdk import dag, task

DAG_ID = "score_nightly"
TZ = "America/New_York"


def alert(context: Any) -> None:
    from week09_data_pipeline.alerts import on_failure

    on_failure(context)


def run(task_id: str, context: Any) -> Any:
    from week09_data_pipeline.tasks import run_task

    return run_task(DAG_ID, task_id, context)


@dag(
    dag_id=DAG_ID,
    schedule="0 18 * * *",
    start_date=pendulum.datetime(2013, 1, 1, tz=TZ),
    end_date=pendulum.datetime(2013, 12, 31, tz=TZ),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=dt.timedelta(hours=1),
    default_args={
        "retries": 3,
        "retry_delay": dt.timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=30),
        "execution_timeout": dt.timedelta(minutes=15),
        "on_failure_callback": alert,
    },
    tags=["week09", "scoring"],
)
def score_nightly() -> None:
    @task
    def land_schedule(**context: Any) -> Any:
        return run("land_schedule", context)

    @task
    def score_flights(**context: Any) -> Any:
        return run("score_flights", context)

    land_schedule() >> score_flights()


score_nightly()
