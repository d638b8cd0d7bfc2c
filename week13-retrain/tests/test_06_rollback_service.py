"""Rollback end to end: week06's registry, week05's running service, one alias move and one
reload — the service answers with the previous champion again, without a restart."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow
TOKEN = "s3cret"


def test_a_rollback_reaches_the_running_service(tmp_path):
    import mlflow

    from week05_ml_api.sample import demo_flights, demo_model, request_rows
    from week05_ml_api.settings import Settings as ServiceSettings
    from week06_mlflow.registry import CHAMPION, move_aliases, register
    from week06_mlflow.serving import create_app
    from week06_mlflow.settings import ensure_experiment, new_local_store
    from week06_mlflow.tracking import log_saved_model
    from week13_retrain.aliases import mlflow_client, rollback

    uri = new_local_store(tmp_path / "registry")
    before, env = mlflow.get_tracking_uri(), os.environ.get("MLFLOW_TRACKING_URI")
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    os.environ["MLFLOW_TRACKING_URI"] = uri  # the service resolves models:/ URIs here
    try:
        experiment = ensure_experiment("week13", tmp_path / "artifacts")
        for trees in (40, 20):  # version 1, then version 2
            run = log_saved_model(demo_model(trees), experiment_id=experiment)
            register(run.model_uri or "", "flight-delay", alias=None)
        client = mlflow_client(uri)
        move_aliases(client, "flight-delay", "1")
        move_aliases(client, "flight-delay", "2")  # v2 champion, v1 previous
        flight = request_rows(demo_flights(days=range(22, 23)), 1)[0]
        service = ServiceSettings(
            model_dir=f"models:/flight-delay@{CHAMPION}", admin_token=TOKEN, _env_file=None
        )
        with TestClient(create_app(service)) as api:
            assert api.post("/predict", json=flight).json()["model_version"] == "flight-delay/v2"
            rolled_back, restored = rollback(client, "flight-delay")
            assert (rolled_back, restored) == ("2", "1")
            reload = api.post("/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
            assert reload.status_code == 200, reload.text
            assert reload.json() == {
                "previous_version": "flight-delay/v2",
                "model_version": "flight-delay/v1",
            }
            answer = api.post("/predict", json=flight).json()
            assert answer["model_version"] == "flight-delay/v1", "the service serves v1 again"
        aliases = client.get_registered_model("flight-delay").aliases
        assert {k: str(v) for k, v in aliases.items()} == {"champion": "1", "previous": "2"}, (
            "the rolled-back version is kept as previous"
        )
    finally:
        mlflow.set_tracking_uri(before)
        mlflow.set_registry_uri(before)
        if env is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = env
