"""Reference checks of the three DAGs: they parse, they are wired as designed, their files stay
thin, each task calls its function, one ``dag.test()`` per DAG, and a failing task is retried
then alerts. Airflow lives in a temporary ``AIRFLOW_HOME`` (SQLite metadata DB), configured
before anything imports it; every ``dag.test()`` runs in this one process (the first costs
~10 s, later ones ~1 s)."""

from __future__ import annotations

import ast
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from week09_data_pipeline.airflow_home import DAGS_FOLDER
from week09_data_pipeline.tasks import TASKS

NY = ZoneInfo("America/New_York")
#: Each DAG file may import only these at its top: the scheduler parses it every 30 s.
LIGHT_IMPORTS = {"__future__", "datetime", "typing", "pendulum", "airflow.sdk"}
EDGES = {
    "flights_daily": {
        ("land_weather", "validate_weather"),
        ("validate_weather", "load_weather"),
        ("load_weather", "materialize_features"),
        ("land_flights", "validate_flights"),
        ("validate_flights", "load_flights"),
        ("load_flights", "materialize_features"),
    },
    "train_weekly": {("train_candidate", "decide"), ("decide", "register_candidate")},
    "score_nightly": {("land_schedule", "score_flights")},
}
# skops (saving the model) looks a name up in every loaded module, and touching Airflow's
# deprecated module shims warns once per name: thousands of lines that say nothing about us
SKOPS_SCAN = "ignore:The `airflow\\.[\\w.]+`( attribute)? is deprecated:FutureWarning"


def _dag_files() -> list[Path]:
    return sorted(DAGS_FOLDER.glob("*.py"))


@pytest.mark.parametrize("path", _dag_files(), ids=lambda p: p.name)
def test_dag_files_import_nothing_heavy(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            top += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            top.append(node.module or "")
    heavy = [name for name in top if name not in LIGHT_IMPORTS]
    assert not heavy, (
        f"{path.name} imports {heavy} at module level: the scheduler re-parses DAG files "
        "constantly; import pandas, mlflow and the week's package inside the tasks"
    )


@pytest.mark.parametrize("dag_id", sorted(TASKS))
def test_every_task_calls_its_own_function(dag_id):
    source = (DAGS_FOLDER / f"{dag_id}.py").read_text(encoding="utf-8")
    calls = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.decorator_list and node.name in TASKS[dag_id]:
            run_calls = [
                c.args[0].value
                for c in ast.walk(node)
                if isinstance(c, ast.Call)
                and getattr(c.func, "id", "") == "run"
                and isinstance(c.args[0], ast.Constant)
            ]
            calls[node.name] = run_calls
    assert set(calls) == set(TASKS[dag_id]), f"{dag_id} tasks {sorted(calls)} vs TASKS"
    wrong = {task: got for task, got in calls.items() if got != [task]}
    assert not wrong, f"tasks that do not run their own TASKS entry: {wrong}"


@pytest.fixture(scope="session")
def airflow(
    tmp_path_factory: pytest.TempPathFactory, mlflow_store: dict[str, Any]
) -> Iterator[Any]:
    """A configured Airflow (metadata DB initialised), the parsed DagBag, and the WEEK09_*
    settings its tasks read (a fresh warehouse, the session's MLflow store)."""
    from week09_data_pipeline.airflow_home import configure, dag_bag, init_metadata_db
    from week09_data_pipeline.settings import get_settings

    folder = tmp_path_factory.mktemp("airflow")
    settings = get_settings(
        data_dir=folder / "data",
        database_url=f"sqlite:///{folder / 'warehouse.db'}",
        **mlflow_store,
    )
    env = {
        **configure(folder / "home"),
        "WEEK09_DATA_DIR": str(settings.data_dir),
        "WEEK09_DATABASE_URL": settings.database_url,
        "WEEK09_MLFLOW_TRACKING_URI": settings.mlflow_tracking_uri,
        "WEEK09_MLFLOW_ARTIFACT_ROOT": str(settings.mlflow_artifact_root),
        "WEEK09_N_ESTIMATORS": str(settings.n_estimators),
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    init_metadata_db()
    bag = dag_bag()
    yield bag, settings
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


pytestmark = pytest.mark.filterwarnings(SKOPS_SCAN)


@pytest.mark.slow
def test_the_dag_files_parse_without_errors(airflow):
    bag, _ = airflow
    assert not bag.import_errors, f"DAG files that fail to import: {bag.import_errors}"
    assert sorted(bag.dag_ids) == sorted(TASKS)


@pytest.mark.slow
@pytest.mark.parametrize("dag_id", sorted(EDGES))
def test_tasks_and_edges(airflow, dag_id):
    dag = airflow[0].get_dag(dag_id)
    assert set(dag.task_ids) == set(TASKS[dag_id]), f"{dag_id}: {sorted(dag.task_ids)}"
    edges = {(up, t.task_id) for t in dag.tasks for up in t.upstream_task_ids}
    assert edges == EDGES[dag_id], f"{dag_id} edges: {sorted(edges)}"


@pytest.mark.slow
@pytest.mark.parametrize("dag_id", sorted(TASKS))
def test_schedule_retries_and_alerts(airflow, dag_id):
    dag = airflow[0].get_dag(dag_id)
    assert type(dag.timetable).__name__ == "CronTriggerTimetable"
    assert dag.start_date == dt.datetime(2013, 1, 1, tzinfo=NY)
    assert dag.end_date == dt.datetime(2013, 12, 31, tzinfo=NY), "an end date: no run for today"
    assert dag.max_active_runs == 1 and dag.catchup is False and dag.dagrun_timeout
    for task in dag.tasks:
        assert task.retries >= 1 and task.retry_exponential_backoff, f"{task.task_id} retries"
        assert task.execution_timeout and task.execution_timeout <= dt.timedelta(minutes=30)
        assert task.on_failure_callback, f"{task.task_id} has no failure alert"


def _states(run: Any) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


@pytest.mark.slow
def test_dag_test_flights_daily_then_score_nightly(airflow):
    import sqlalchemy as sa

    from week09_data_pipeline.etl import warehouse
    from week09_data_pipeline.scoring import predictions

    bag, settings = airflow
    daily = bag.get_dag("flights_daily").test(logical_date=dt.datetime(2013, 9, 2, tzinfo=NY))
    assert str(daily.state) == "success", _states(daily)
    nightly = bag.get_dag("score_nightly").test(logical_date=dt.datetime(2013, 9, 2, 18, tzinfo=NY))
    assert str(nightly.state) == "success", _states(nightly)
    with warehouse(settings).connect() as conn:
        dates = conn.execute(sa.select(predictions.c.flight_date).distinct()).scalars().all()
        versions = conn.execute(sa.select(predictions.c.model_version).distinct()).scalars().all()
    assert [str(d) for d in dates] == ["2013-09-03"] and versions == ["1"]


@pytest.mark.slow
def test_dag_test_train_weekly_reuses_the_days_run_and_refuses_a_tie(airflow):
    bag, _ = airflow
    run = bag.get_dag("train_weekly").test(logical_date=dt.datetime(2013, 9, 1, tzinfo=NY))
    states = _states(run)
    assert str(run.state) == "success", states
    # the champion *is* 1 September's model: a tie, so the condition step skips registering
    assert states == {
        "train_candidate": "success",
        "decide": "success",
        "register_candidate": "skipped",
    }, states


@pytest.mark.slow
def test_a_failing_task_is_retried_then_alerts(airflow, receiver, monkeypatch):
    bag, _ = airflow
    monkeypatch.setenv("WEEK09_ALERT_WEBHOOK_URL", receiver.url)
    dag = bag.get_dag("score_nightly")
    for task in dag.tasks:  # one quick retry instead of minutes of back-off
        task.retries, task.retry_delay = 1, dt.timedelta(seconds=1)
        task.retry_exponential_backoff = False
    # nothing was loaded for December: the store is not ready, the score fails twice
    run = dag.test(logical_date=dt.datetime(2013, 12, 20, 18, tzinfo=NY))
    tries = {ti.task_id: (str(ti.state), ti.try_number) for ti in run.get_task_instances()}
    assert tries["score_flights"] == ("failed", 2), tries
    assert len(receiver.received) == 1, "one alert, after the last try (not one per try)"
    text = receiver.received[0]["text"]
    assert text.startswith("score_nightly.score_flights failed for 2013-12-20 (try 2 of 2)")
    assert "StoreNotReady" in text and "2013-12-21" in text
