"""The same tracking and registry code against a real ``mlflow server`` on 127.0.0.1.

The server (SQLite backend, artifacts proxied through it) is started once after collection by
``conftest.py`` and always stopped; these checks only switch the URI to it and back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def remote(mlflow_server: str) -> Iterator[Any]:
    """Settings pointing at the server, made current for one check, then put back."""
    import mlflow

    from week06_mlflow.settings import get_settings, use_store

    before = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    settings = get_settings(
        mlflow_tracking_uri=mlflow_server,
        mlflow_experiment_name="week06-server-tests",
        mlflow_model_name="flight-delay-server",
    )
    experiment_id = use_store(settings)
    yield settings, experiment_id
    mlflow.set_tracking_uri(before[0])
    mlflow.set_registry_uri(before[1])


def test_server_answers_health(mlflow_server):
    import urllib.request

    with urllib.request.urlopen(f"{mlflow_server}/health", timeout=5) as answer:
        assert answer.status == 200


def test_tracking_and_registry_through_the_server(remote, split, config):
    import mlflow

    from week06_mlflow.registry import describe, load_champion, promote, register
    from week06_mlflow.tracking import train_and_track

    settings, experiment_id = remote
    assert mlflow.get_tracking_uri().startswith("http://127.0.0.1:")
    run = train_and_track(
        split, config, experiment_id=experiment_id, run_name="on-server", plots=False
    )
    stored = mlflow.get_run(run.run_id)
    assert stored.info.artifact_uri.startswith("mlflow-artifacts:"), (
        f"artifacts should go through the server, got {stored.info.artifact_uri}"
    )
    assert stored.data.params["xgboost.max_depth"] == str(config.xgboost.max_depth)
    found = mlflow.search_runs(
        [experiment_id], filter_string="tags.model = 'xgboost'", output_format="list"
    )
    assert [r.info.run_id for r in found] == [run.run_id]

    name = settings.mlflow_model_name
    register(run.model_uri, name)
    assert promote(name, split.test, who="server-check").promote
    champion = load_champion(name, tracking_uri=settings.mlflow_tracking_uri)
    X = split.test[champion.features]
    assert run.result is not None
    np.testing.assert_allclose(
        champion.predict_proba(X), run.result.pipeline.predict_proba(X)[:, 1]
    )
    assert describe(name)["aliases"].tolist() == ["champion"]
