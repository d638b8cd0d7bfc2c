"""train_weekly: train on the recent weeks, then register the model only if it is good enough.

``decide`` is the condition step (a short-circuit task): when it answers False the
registration is skipped, and the run is still a success, because refusing a worse model is the
job done right::

    train_candidate -> decide -> register_candidate
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
from airflow.sdk import dag, task

DAG_ID = "train_weekly"
TZ = "America/New_York"


def alert(context: Any) -> None:
    from week09_data_pipeline.alerts import on_failure

    on_failure(context)


def run(task_id: str, context: Any) -> Any:
    from week09_data_pipeline.tasks import run_task

    return run_task(DAG_ID, task_id, context)


@dag(
    dag_id=DAG_ID,
    schedule="@weekly",  # Sundays at midnight, New York time
    start_date=pendulum.datetime(2013, 1, 1, tz=TZ),
    end_date=pendulum.datetime(2013, 12, 31, tz=TZ),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=dt.timedelta(hours=2),
    default_args={
        "retries": 1,
        "retry_delay": dt.timedelta(minutes=1),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=10),
        "execution_timeout": dt.timedelta(minutes=30),
        "on_failure_callback": alert,
    },
    tags=["week09", "training"],
)
def train_weekly() -> None:
    @task
    def train_candidate(**context: Any) -> Any:
        return run("train_candidate", context)

    @task.short_circuit
    def decide(**context: Any) -> bool:
        return bool(run("decide", context)["promote"])

    @task
    def register_candidate(**context: Any) -> Any:
        return run("register_candidate", context)

    train_candidate() >> decide() >> register_candidate()


train_weekly()
