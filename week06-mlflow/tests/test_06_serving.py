"""Serving from the MLflow registry: ``WEEK05_MODEL_DIR=models:/<name>@champion`` (week 6)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest


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

    from_folder = LoadedModel.load(model_dir)
    # the same setting as a folder: WEEK05_MODEL_DIR=models:/flight-delay@champion
    from_registry = LoadedModel.load(Path(registered))
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

    from week05_ml_api.app import create_app
    from week05_ml_api.settings import Settings
    from week06_mlflow.registry import CHAMPION, register
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
    from week05_ml_api.registry import load_registered

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
            load_registered("models:/bare/1")
    finally:
        mlflow.set_tracking_uri(previous)
