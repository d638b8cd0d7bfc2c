"""Fixtures for week05's checks.

Each module fixture is one module of the week, loaded through the grader's ``solution`` fixture:
the reference package by default, your ``exercises/`` file under ``uv run course grade week05``.

The model is real and small: week 3's XGBoost pipeline fitted on 1-21 January 2013 with 40
trees (:func:`week05_ml_api.sample.train_demo_model`), trained once per test session and saved
with week 3's ``save_model`` into a temporary folder — exactly what the API serves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def errors(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("errors")


@pytest.fixture
def batch(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("batch")


@pytest.fixture
def health(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("health")


@pytest.fixture
def fastpath(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("fastpath")


@pytest.fixture
def cache(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("cache")


@pytest.fixture
def schedule_route(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("schedule_route")


@pytest.fixture
def dockerfile(solution_file: Callable[[str], Path]) -> Path:
    """The service's Dockerfile: the reference's, or yours in ``exercises/Dockerfile``."""
    return solution_file("Dockerfile")


@pytest.fixture(scope="session")
def online_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Week 4's online store in a SQLite file: 20-23 January loaded, features materialised as
    of 23 January only (~3 s, once per session)."""
    import datetime as dt

    from week04_sql.db import make_engine
    from week04_sql.load import days_of, load_days
    from week04_sql.online import materialize

    url = f"sqlite:///{tmp_path_factory.mktemp('online')}/store.db"
    engine = make_engine(url)
    load_days(engine, days_of(1, range(20, 24)))
    materialize(engine, dt.date(2013, 1, 23))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def flights() -> pd.DataFrame:
    """1-28 January 2013 with week 3's features (~24,000 real flights, ~3 s)."""
    from week05_ml_api.sample import demo_flights

    return demo_flights()


@pytest.fixture(scope="session")
def model_dir(flights: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo model, saved by week 3's save_model (~3 s, once per session)."""
    from week05_ml_api.sample import train_demo_model

    return train_demo_model(tmp_path_factory.mktemp("model") / "demo", flights)


@pytest.fixture(scope="session")
def other_model_dir(flights: pd.DataFrame, model_dir: Path) -> Path:
    """A second, different model (fewer trees) beside the first (under the same model root):
    the target of hot reloads."""
    from week05_ml_api.sample import train_demo_model

    return train_demo_model(model_dir.parent / "other", flights, n_estimators=8)


@pytest.fixture(scope="session")
def rows(flights: pd.DataFrame) -> list[dict[str, Any]]:
    """Real request bodies: the flights of 22-28 January (never seen by the model)."""
    from week05_ml_api.sample import request_rows, scoring_flights

    return request_rows(scoring_flights(flights))


@pytest.fixture(scope="session")
def pipeline(model_dir: Path):
    from week03_ml.artifact import load_model

    return load_model(model_dir)[0]


@pytest.fixture
def settings(model_dir: Path):
    from week05_ml_api.settings import Settings

    return Settings(model_dir=model_dir, admin_token="test-token", max_batch=50, _env_file=None)


@pytest.fixture
def client(settings) -> Iterator[TestClient]:
    """The REST app around the demo model; ``with`` runs its lifespan (the eager load)."""
    from week05_ml_api.app import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client
