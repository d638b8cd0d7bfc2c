"""Serving from the MLflow registry: week 5's app with :func:`week06_mlflow.serving.load_source`,
``WEEK05_MODEL_DIR=models:/<name>@champion`` (reference-only, not graded)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="module")
def demo_flights() -> pd.DataFrame:
    """Week 5's demo window: 1-28 January 2013 with week 3's features (~3 s)."""
    from week05_ml_api.sample import demo_flights

    return demo_flights()


@pytest.fixture(scope="module")
def model_dir(demo_flights: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from week05_ml_api.sample import train_demo_model

    return train_demo_model(tmp_path_factory.mktemp("model") / "demo", demo_flights)


@pytest.fixture(scope="module")
def other_model_dir(demo_flights: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from week05_ml_api.sample import train_demo_model

    folder = tmp_path_factory.mktemp("model") / "other"
    return train_demo_model(folder, demo_flights, n_estimators=8)


@pytest.fixture(scope="module")
def rows(demo_flights: pd.DataFrame) -> list[dict[str, Any]]:
    from week05_ml_api.sample import request_rows, scoring_flights

    return request_rows(scoring_flights(demo_flights))


@pytest.fixture(scope="module")
def registered(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo model logged and registered by week 6's own functions (skops format, week 3's
    metadata), alias ``champion``, in a temporary store that stays the active one (and
    ``MLFLOW_TRACKING_URI``, for the servers this module starts) while its checks run."""
    import mlflow

    from week06_mlflow.registry import CHAMPION, register
    from week06_mlflow.settings import ensure_experiment, new_local_store
    from week06_mlflow.tracking import log_saved_model

    store = tmp_path_factory.mktemp("registry")
    previous, env = mlflow.get_tracking_uri(), os.environ.get("MLFLOW_TRACKING_URI")
    uri = new_local_store(store)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    os.environ["MLFLOW_TRACKING_URI"] = uri
    try:
        experiment = ensure_experiment("week05", store / "artifacts")
        run = log_saved_model(model_dir, experiment_id=experiment)
        assert run.model_uri is not None
        register(run.model_uri, "flight-delay", alias=CHAMPION)
        yield "models:/flight-delay@champion"
    finally:
        mlflow.set_tracking_uri(previous)
        mlflow.set_registry_uri(previous)
        if env is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = env


@pytest.mark.slow
def test_champion_serves_the_same_predictions_as_its_folder(
    registered: str, model_dir: Path, rows: list[dict[str, Any]]
) -> None:
    from week05_ml_api.predictor import LoadedModel
    from week06_mlflow.serving import load_source

    from_folder = LoadedModel.load(model_dir, load=load_source)
    # the same setting as a folder: WEEK05_MODEL_DIR=models:/flight-delay@champion
    from_registry = LoadedModel.load(registered, load=load_source)
    assert from_registry.version == "flight-delay/v1"
    np.testing.assert_allclose(
        from_registry.predict(rows[:200]), from_folder.predict(rows[:200]), rtol=0, atol=1e-12
    )
    assert from_registry.fast is not None, "the fast path works on a registered model too"
    assert from_registry.source == "models:/flight-delay/1", "workers follow the exact version"


@pytest.mark.slow
def test_the_app_serves_the_champion_and_reloads_a_new_one(
    registered: str, model_dir: Path, other_model_dir: Path, rows: list[dict[str, Any]]
) -> None:
    from fastapi.testclient import TestClient

    from week05_ml_api.settings import Settings
    from week06_mlflow.registry import CHAMPION, register
    from week06_mlflow.serving import create_app
    from week06_mlflow.tracking import log_saved_model

    settings = Settings(model_dir=registered, admin_token="t", _env_file=None)
    with TestClient(create_app(settings)) as client:
        assert client.get("/model").json()["model_version"] == "flight-delay/v1"
        assert client.get("/model").json()["fast_path"] is True
        first = client.post("/predict", json=rows[3]).json()
        assert first["model_version"] == "flight-delay/v1"
        # week 6 promotes a new champion; one call and the service serves it
        register(log_saved_model(other_model_dir).model_uri or "", "flight-delay", alias=CHAMPION)
        reload = client.post("/admin/reload", headers={"Authorization": "Bearer t"})
        assert reload.status_code == 200, reload.text
        assert reload.json() == {
            "previous_version": "flight-delay/v1",
            "model_version": "flight-delay/v2",
        }
        assert client.post("/predict", json=rows[3]).json()["model_version"] == "flight-delay/v2"


def test_a_model_without_metadata_is_refused_by_name(tmp_path: Path, model_dir: Path) -> None:
    import mlflow
    import mlflow.sklearn

    from week03_ml.artifact import load_model
    from week06_mlflow.serving import load_source

    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    try:
        experiment = mlflow.create_experiment("bare", artifact_location=str(tmp_path / "art"))
        with mlflow.start_run(experiment_id=experiment):
            mlflow.sklearn.log_model(
                load_model(model_dir)[0],
                name="model",
                registered_model_name="bare",
                pip_requirements=["scikit-learn"],
                serialization_format="cloudpickle",
            )
        with pytest.raises(ValueError, match=r"has no \['features', 'dtypes', 'threshold'\]"):
            load_source("models:/bare/1")
        with pytest.raises(LookupError, match="bare"):
            load_source("models:/bare/7")  # a version the registry does not have
    finally:
        mlflow.set_tracking_uri(previous)


def test_week05s_own_app_refuses_a_registry_uri_by_name(model_dir: Path) -> None:
    from week05_ml_api.predictor import load_folder

    with pytest.raises(ValueError, match=r"week06_mlflow\.serving:create_app"):
        load_folder("models:/flight-delay@champion")
    assert load_folder(str(model_dir))[2] == str(model_dir), "a folder loads itself again"
