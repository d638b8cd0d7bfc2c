"""MLflow with its artifacts in the bucket: a model logged through week 6's server lands in the
bucket and loads back as ``models:/...@champion``."""

from __future__ import annotations

import numpy as np
import pytest

from week10_cloud.storage import list_keys
from week10_cloud.tracking import ARTIFACT_PREFIX, artifact_destination, server_environment


def test_the_server_reaches_the_bucket_without_showing_secrets_to_clients(s3):
    assert artifact_destination(s3.settings) == f"s3://{s3.name}/{ARTIFACT_PREFIX}"
    env = server_environment(s3.settings)
    assert env["MLFLOW_S3_ENDPOINT_URL"] == s3.settings.endpoint_url
    assert env["AWS_ACCESS_KEY_ID"] == s3.settings.access_key_id.get_secret_value()


@pytest.mark.slow
def test_a_champion_logged_through_the_server_lives_in_the_bucket(s3, tmp_path, pipeline, flights):
    import mlflow

    from week03_ml.features import FEATURES
    from week06_mlflow.registry import CHAMPION, load_registered, register
    from week06_mlflow.tracking import log_model
    from week10_cloud.tracking import mlflow_on_bucket

    metadata = {"features": list(FEATURES), "dtypes": {}, "threshold": 0.3, "model": "xgboost"}
    X = flights[list(FEATURES)].head(200)
    before = mlflow.get_tracking_uri()
    with mlflow_on_bucket(tmp_path / "mlflow", s3.settings) as url:
        try:
            mlflow.set_tracking_uri(url)
            mlflow.set_registry_uri(url)
            with mlflow.start_run():
                info = log_model(pipeline, metadata, X, with_example=False)
            register(info.model_uri, "flight-delay", alias=CHAMPION, tracking_uri=url)
            loaded = load_registered("models:/flight-delay@champion", tracking_uri=url)
        finally:
            mlflow.set_tracking_uri(before)
            mlflow.set_registry_uri(before)
    stored = list_keys(s3.client, s3.name, f"{ARTIFACT_PREFIX}/")
    assert any(key.endswith("MLmodel") for key in stored), f"no model in the bucket: {stored[:5]}"
    assert not (tmp_path / "mlflow" / "artifacts").exists(), "artifacts went to the local disk"
    assert loaded.version == "1" and loaded.metadata["threshold"] == 0.3
    np.testing.assert_allclose(
        loaded.pipeline.predict_proba(X)[:, 1], pipeline.predict_proba(X)[:, 1], atol=1e-12
    )
