"""Fixtures for week09's checks.

One fixture per graded module (``context``, ``raw``, ``scoring``, ``training``, ``alerts``),
loaded through the grader's ``solution`` fixture: the reference package by default, your
``exercises/`` file under ``uv run course grade week09``.

Pipeline checks take ``settings_for(backend)``: a ``Settings`` whose data folder is a fresh
temporary folder and whose warehouse is a fresh database on ``backend``:

* ``sqlite``: a temporary file, always;
* ``postgresql``: when ``COURSE_POSTGRES_URL`` is set, a schema of its own (``search_path``)
  dropped afterwards. Without the variable these cases are skipped with a reason, except under
  ``CI=true``, where they fail (CI promised a PostgreSQL).

The MLflow store with a champion (trained once for 2013-09-01, ~10 s) is shared by the session.
The Airflow checks (``test_07_dags.py``) configure a temporary ``AIRFLOW_HOME`` before anything
imports airflow, and run every ``dag.test()`` in this one process.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa

POSTGRES_ENV = "COURSE_POSTGRES_URL"
EXAMPLE_URL = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/course_test"
#: the champion is trained for this (Sunday) logical date: July-August history
TRAINED_ON = dt.date(2013, 9, 1)


@pytest.fixture(scope="session", autouse=True)
def _no_telemetry() -> Iterator[None]:
    before = os.environ.get("MLFLOW_DISABLE_TELEMETRY")
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    yield
    if before is None:
        os.environ.pop("MLFLOW_DISABLE_TELEMETRY", None)
    else:
        os.environ["MLFLOW_DISABLE_TELEMETRY"] = before


@pytest.fixture
def context(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("context")


@pytest.fixture
def raw(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("raw")


@pytest.fixture
def scoring(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("scoring")


@pytest.fixture
def training(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("training")


@pytest.fixture
def alerts(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("alerts")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", ["sqlite", "postgresql"])


def postgres_url() -> str:
    """The URL of the test PostgreSQL, or a skip (a failure under CI) saying how to get one."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    how = (
        f"set {POSTGRES_ENV} to run the PostgreSQL checks, e.g. {POSTGRES_ENV}={EXAMPLE_URL} "
        "(start one with: docker compose -f week09-data-pipeline/docker-compose.yml up -d)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {POSTGRES_ENV} is not set: {how}", pytrace=False)
    pytest.skip(how)


@pytest.fixture(scope="session")
def mlflow_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A local MLflow store whose model has a champion trained for :data:`TRAINED_ON`;
    MLflow's URIs are put back afterwards. Yields the settings fields that point at it."""
    import mlflow

    from week09_data_pipeline.settings import get_settings
    from week09_data_pipeline.training import decide, register_candidate, train_candidate

    folder = tmp_path_factory.mktemp("mlflow")
    fields: dict[str, Any] = {
        "mlflow_tracking_uri": f"sqlite:///{folder / 'mlruns.db'}",
        "mlflow_artifact_root": folder / "artifacts",
        "n_estimators": 40,
    }
    before = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    settings = get_settings(data_dir=folder / "data", **fields)
    train_candidate(TRAINED_ON, settings)
    decide(TRAINED_ON, settings)
    registered = register_candidate(TRAINED_ON, settings)
    assert registered is not None and registered.champion, "the first good model is champion"
    yield fields
    mlflow.set_tracking_uri(before[0])
    mlflow.set_registry_uri(before[1])


@pytest.fixture
def settings_for(
    tmp_path_factory: pytest.TempPathFactory, mlflow_store: dict[str, Any]
) -> Iterator[Callable[[str], Any]]:
    """``settings_for(backend)``: fresh data folder, fresh warehouse on ``backend``, the
    session's MLflow store with its champion."""
    from week09_data_pipeline.settings import get_settings

    with ExitStack() as stack:

        def make(backend: str) -> Any:
            folder = tmp_path_factory.mktemp(f"week09-{backend}")
            if backend == "sqlite":
                url = f"sqlite:///{folder / 'warehouse.db'}"
            else:
                url = stack.enter_context(_postgres_schema(postgres_url()))
            return get_settings(data_dir=folder / "data", database_url=url, **mlflow_store)

        yield make


class _postgres_schema:
    """A URL whose connections use a fresh schema (``search_path``), dropped on exit."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.schema = f"week09_test_{uuid.uuid4().hex[:12]}"

    def __enter__(self) -> str:
        admin = sa.create_engine(self.url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.schema}"'))
        admin.dispose()
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}options=-csearch_path%3D{self.schema}"

    def __exit__(self, *exc: object) -> None:
        admin = sa.create_engine(self.url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_settings(settings_for: Callable[[str], Any]) -> Any:
    return settings_for("sqlite")


@pytest.fixture
def receiver() -> Iterator[Any]:
    """A local webhook that records what it is posted (week09's ``LocalReceiver``)."""
    from week09_data_pipeline.alerts import LocalReceiver

    with LocalReceiver() as server:
        yield server
