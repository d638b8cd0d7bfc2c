"""Serving from the MLflow registry: ``WEEK05_MODEL_DIR=models:/<name>@champion`` (week 6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest


@pytest.fixture(scope="module")
def registered(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo model registered as ``flight-delay`` in a temporary store, alias ``champion``;
    the store stays the active one while this module's checks run."""
    import mlflow
    import mlflow.sklearn
    from mlflow import MlflowClient

    from week03_ml.artifact import load_model

    store = tmp_path_factory.mktemp("registry")
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(f"sqlite:///{store / 'mlflow.db'}")
    try:
        experiment = mlflow.create_experiment("week05", artifact_location=str(store / "art"))
        pipeline, metadata = load_model(model_dir)
        with mlflow.start_run(experiment_id=experiment):
            info = mlflow.sklearn.log_model(
                pipeline,
                name="model",
                registered_model_name="flight-delay",
                metadata=metadata,
                pip_requirements=["scikit-learn", "xgboost"],
                serialization_format="cloudpickle",
            )
        MlflowClient().set_registered_model_alias(
            "flight-delay", "champion", str(info.registered_model_version)
        )
        yield "models:/flight-delay@champion"
    finally:
        mlflow.set_tracking_uri(previous)


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
