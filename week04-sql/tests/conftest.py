"""Fixtures for week04's checks.

One fixture per graded module (``load``, ``queries``, ``features``, ``explain``, ``online``,
``parity``), loaded through
the grader's ``solution`` fixture: the reference package by default, your ``exercises/`` file
under ``uv run course grade week04``.

Database checks take a ``db`` (an empty database with the week's tables) or ``loaded`` (the
first ten days of January 2013, real data) and run once per backend:

* ``sqlite``: a temporary file, always;
* ``postgresql``: when ``COURSE_POSTGRES_URL`` is set, each test in a schema of its own
  (``search_path``) that is dropped afterwards, so repeated and parallel runs never collide.
  Without the variable these cases are skipped with a reason, except under ``CI=true``, where
  they fail: CI promised a PostgreSQL and must not go green without one.

Graded checks run on SQLite only while grading (``course grade`` sets ``COURSE_GRADING=1``), so
the points possible do not depend on which databases happen to be around.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from types import ModuleType

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from course import data
from week04_sql.db import make_engine
from week04_sql.load import days_of, load_days
from week04_sql.schema import create_schema

POSTGRES_ENV = "COURSE_POSTGRES_URL"
EXAMPLE_URL = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/course_test"
#: The real days in ``loaded``: enough history for 7-day windows.
LOADED_DAYS = range(1, 11)


@pytest.fixture
def load(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("load")


@pytest.fixture
def queries(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("queries")


@pytest.fixture
def features(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("features")


@pytest.fixture
def online(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("online")


@pytest.fixture
def parity(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("parity")


@pytest.fixture
def explain(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("explain")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    grading = os.environ.get("COURSE_GRADING") == "1"
    graded = metafunc.definition.get_closest_marker("points") is not None
    backends = ["sqlite"] if grading and graded else ["sqlite", "postgresql"]
    # Function scope on purpose: a session-scoped parameter makes pytest regroup the tests by
    # backend, which would list the exercises out of lesson order in `course grade`.
    metafunc.parametrize("backend", backends)


def postgres_url() -> str:
    """The URL of the test PostgreSQL, or a skip (a failure under CI) saying how to get one."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    how = (
        f"set {POSTGRES_ENV} to run the PostgreSQL checks, e.g. {POSTGRES_ENV}={EXAMPLE_URL} "
        "(start one with: docker compose -f week04-sql/docker-compose.yml up -d)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            f"CI=true but {POSTGRES_ENV} is not set: the CI script must start "
            f"PostgreSQL 15 and export it; {how}",
            pytrace=False,
        )
    pytest.skip(how)


@contextmanager
def fresh_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on an empty database of its own, removed afterwards."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "flights.db"
        engine = make_engine(f"sqlite:///{path}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    url = postgres_url()
    schema = f"week04_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-c search_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An empty database with the week's tables, on ``backend``; gone after the test."""
    with fresh_database(backend, tmp_path_factory) as engine:
        create_schema(engine)
        yield engine


@pytest.fixture(scope="session")
def _loaded_databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], Engine]]:
    """One loaded database per backend for the whole session, built on first use."""
    with ExitStack() as stack:
        engines: dict[str, Engine] = {}

        def get(backend: str) -> Engine:
            if backend not in engines:
                engine = stack.enter_context(fresh_database(backend, tmp_path_factory))
                load_days(engine, days_of(1, LOADED_DAYS))
                engines[backend] = engine
            return engines[backend]

        yield get


@pytest.fixture
def loaded(backend: str, _loaded_databases: Callable[[str], Engine]) -> Engine:
    """1-10 January 2013 loaded into ``backend`` (~8,500 flights), shared by the session.
    Read-only: a test that changes it must undo the change."""
    return _loaded_databases(backend)


@pytest.fixture(scope="session")
def jan_flights() -> pd.DataFrame:
    """The raw flights of the days in ``loaded``."""
    return data.flights_slice(month=1, days=LOADED_DAYS)
