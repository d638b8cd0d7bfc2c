"""Fixtures for week06's checks.

Each module fixture is one module of the week, loaded through the grader's ``solution`` fixture:
the reference package by default, your ``exercises/`` file under ``uv run course grade week06``.

Every check that writes runs or models does it in a temporary store (a SQLite file under
pytest's tmp folder), never in your ``mlruns.db``: the URI is set inside the fixtures and put
back afterwards. The expensive fixtures (a small real data window, a tracked run, a search, a
real ``mlflow server``) are session-scoped and used only by the reference checks.

The real server takes 10-30 s to boot, so it is *started* as soon as collection ends (when a
selected check needs it and we are not only grading) and waited for by the checks that use it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from week03_ml.models import XGBParams
from week03_ml.split import Split
from week03_ml.train import TrainConfig, split_labelled

SERVER_FIXTURE = "mlflow_server"
_SERVER_KEY = pytest.StashKey[Any]()
_SERVER_ROOT_KEY = pytest.StashKey[Path]()
_TELEMETRY_KEY = pytest.StashKey[str | None]()


def pytest_configure(config: pytest.Config) -> None:
    # No usage telemetry from the checks (MLflow sends it from a background thread, also at exit)
    config.stash[_TELEMETRY_KEY] = os.environ.get("MLFLOW_DISABLE_TELEMETRY")
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"


def pytest_collection_finish(session: pytest.Session) -> None:
    # Boot the real server in the background while the notebooks and the local checks run;
    # only when a selected check needs it (after -k / -m / grading deselected the others).
    config = session.config
    if config.getoption("course_graded_only", False) or config.getoption("collectonly"):
        return
    if not any(SERVER_FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        return
    from week06_mlflow.server import start_server

    root = Path(tempfile.mkdtemp(prefix="week06-mlflow-server-"))
    config.stash[_SERVER_ROOT_KEY] = root
    config.stash[_SERVER_KEY] = start_server(root)


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_SERVER_KEY, None)
    if server is not None:
        from week06_mlflow.server import stop_server

        stop_server(server)
    root = config.stash.get(_SERVER_ROOT_KEY, None)
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)
    if _TELEMETRY_KEY in config.stash:
        before = config.stash[_TELEMETRY_KEY]
        if before is None:
            os.environ.pop("MLFLOW_DISABLE_TELEMETRY", None)
        else:
            os.environ["MLFLOW_DISABLE_TELEMETRY"] = before


@pytest.fixture
def tracking(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("tracking")


@pytest.fixture
def search(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("search")


@pytest.fixture
def registry(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("registry")


@pytest.fixture(scope="session")
def flights() -> pd.DataFrame:
    """A real window: the first week of January-May 2013 with week 3's features (~32,000
    flights, ~3 s)."""
    from week06_mlflow.data import load_flights

    return load_flights(months=[1, 2, 3, 4, 5], days=range(1, 8))


@pytest.fixture(scope="session")
def config() -> TrainConfig:
    """Train on January-February, validate on March, test on April-May; 20 small trees on one
    thread (the machine's two cores are shared)."""
    return TrainConfig(
        valid_start="2013-03-01",
        test_start="2013-04-01",
        models=("xgboost",),
        xgboost=XGBParams(n_estimators=20, max_depth=3, learning_rate=0.3, n_jobs=1),
    )


@pytest.fixture(scope="session")
def split(flights: pd.DataFrame, config: TrainConfig) -> Split:
    return split_labelled(flights, config)


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A temporary local store (SQLite + artifacts folder) for the whole session; the MLflow
    URIs are restored afterwards. Yields its Settings; experiment ``week06-tests``."""
    import mlflow

    from week06_mlflow.settings import get_settings, new_local_store, use_store

    folder = tmp_path_factory.mktemp("mlflow-store")
    settings = get_settings(
        mlflow_tracking_uri=new_local_store(folder),
        mlflow_artifact_root=folder / "artifacts",
        mlflow_experiment_name="week06-tests",
    )
    before = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    saved_env = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = settings.mlflow_tracking_uri
    use_store(settings)  # (new_local_store points experiment 0 inside the folder too)
    yield settings
    mlflow.set_tracking_uri(before[0])
    mlflow.set_registry_uri(before[1])
    if saved_env is None:
        os.environ.pop("MLFLOW_TRACKING_URI", None)
    else:
        os.environ["MLFLOW_TRACKING_URI"] = saved_env


@pytest.fixture
def local_store(store: Any) -> Iterator[Any]:
    """The session store, made current for this check (another check may have moved it)."""
    import mlflow

    from week06_mlflow.settings import use_store

    before = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    use_store(store)
    yield store
    mlflow.set_tracking_uri(before[0])
    mlflow.set_registry_uri(before[1])


@pytest.fixture(scope="session")
def experiment_id(store: Any) -> str:
    from week06_mlflow.settings import ensure_experiment

    return ensure_experiment(store.mlflow_experiment_name, store.mlflow_artifact_root)


@pytest.fixture(scope="session")
def tracked(store: Any, experiment_id: str, split: Split, config: TrainConfig) -> Any:
    """One tracked XGBoost run with its model and plots."""
    from week06_mlflow.tracking import train_and_track

    return train_and_track(split, config, experiment_id=experiment_id, run_name="tracked")


@pytest.fixture(scope="session")
def searched(store: Any, experiment_id: str, split: Split, config: TrainConfig) -> Any:
    """A three-candidate search logged as child runs of one parent."""
    from week06_mlflow.search import param_grid, run_search

    grid = param_grid(config.xgboost, max_depth=[1, 3, 5])
    return run_search(split, config, grid, experiment_id=experiment_id, run_name="test-search")


@pytest.fixture(scope="session")
def mlflow_server(request: pytest.FixtureRequest) -> str:
    """The URL of the real ``mlflow server`` started after collection (see the hook above)."""
    from week06_mlflow.server import wait_until_healthy

    server = request.config.stash.get(_SERVER_KEY, None)
    if server is None:
        pytest.skip("the mlflow server is not started when only grading")
    return wait_until_healthy(server, timeout=150)
