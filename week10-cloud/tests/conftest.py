"""Fixtures for week10's checks.

One fixture per graded module (``keys``, ``settings``, ``storage``, ``checks``,
``spark_scoring``), loaded through the grader's ``solution`` fixture: the reference package by
default, your ``exercises/`` file under ``uv run course grade week10``.

Storage checks talk to a real S3 server: moto's, on 127.0.0.1, one per session
(``s3_endpoint``); each check gets a bucket of its own (``s3``), so checks never see each
other's keys. The Spark session is started once per session and only by the checks marked
``slow`` that ask for it (``spark``: ~10 s to start).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from week10_cloud.emulator import FAKE_CREDENTIALS, s3_emulator
from week10_cloud.settings import Settings
from week10_cloud.storage import make_client


@pytest.fixture
def keys(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("keys")


@pytest.fixture
def settings_module(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("settings")


@pytest.fixture
def storage(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("storage")


@pytest.fixture
def checks(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("checks")


@pytest.fixture
def spark_scoring(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("spark_scoring")


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 for the whole session."""
    with s3_emulator() as endpoint:
        yield endpoint


@dataclass
class Bucket:
    """A fresh bucket on the emulator: its name, a client and the settings that reach it."""

    name: str
    client: Any
    settings: Settings


@pytest.fixture
def s3(s3_endpoint: str) -> Bucket:
    name = f"test-{uuid.uuid4().hex[:12]}"
    settings = Settings(
        bucket=name,
        endpoint_url=s3_endpoint,
        max_attempts=3,
        _env_file=None,  # type: ignore[call-arg]
        **FAKE_CREDENTIALS,  # type: ignore[arg-type]
    )
    client = make_client(settings)
    client.create_bucket(Bucket=name)
    return Bucket(name, client, settings)


@pytest.fixture(scope="session")
def flights() -> pd.DataFrame:
    """1-28 January 2013 with week 3's features (~24,000 real flights, ~3 s)."""
    from week05_ml_api.sample import demo_flights

    return demo_flights()


@pytest.fixture(scope="session")
def pipeline(flights: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """week05's demo model (week 3's XGBoost pipeline, 40 trees), trained for this session."""
    from week03_ml.artifact import load_model
    from week05_ml_api.sample import train_demo_model

    folder = train_demo_model(tmp_path_factory.mktemp("model") / "demo", flights)
    return load_model(folder)[0]


@pytest.fixture(scope="session")
def scoring_flights(flights: pd.DataFrame) -> pd.DataFrame:
    """The flights the demo model never saw (22-28 January)."""
    from week05_ml_api.sample import scoring_flights as unseen

    return unseen(flights)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local[2] Spark session for the whole run (slow checks only)."""
    from week10_cloud.spark_scoring import spark_session

    session = spark_session("local[2]", "week10-tests")
    yield session
    session.stop()


@pytest.fixture
def manifest_dir(tmp_path: Path) -> Path:
    """A copy of the committed manifests, to break on purpose."""
    import shutil

    from week10_cloud.manifests import MANIFEST_DIR

    target = tmp_path / "k8s"
    shutil.copytree(MANIFEST_DIR, target)
    return target
