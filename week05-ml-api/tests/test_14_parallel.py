"""A large batch on an otherwise idle server uses every core; under load, one core per request."""

from __future__ import annotations

import re

import numpy as np
import pytest
from fastapi.testclient import TestClient

from week05_ml_api import metrics
from week05_ml_api.fastpath import PARALLEL_ROWS, FastModel, encode_rows, usable_cores

MULTI_CORE = pytest.mark.skipif(usable_cores() < 2, reason="needs two cores")


def test_in_flight_counts_the_requests_being_answered(client, rows):
    from week05_ml_api.dependencies import get_feature_store

    seen: list[int] = []

    async def record() -> None:  # runs while /predict/schedule is being answered
        seen.append(metrics.in_flight())

    before = metrics.in_flight()
    client.app.dependency_overrides[get_feature_store] = record
    try:
        client.post("/predict/schedule", json={**rows[0]})  # any answer will do
    finally:
        client.app.dependency_overrides.clear()
    assert seen == [before + 1], f"while answering, in_flight() should count it: {seen}"
    assert metrics.in_flight() == before, "a finished request must stop counting"


@MULTI_CORE
def test_the_parallel_booster_gives_the_same_answers(pipeline, rows):
    fast = FastModel.from_pipeline(pipeline)
    matrix = encode_rows(rows[: PARALLEL_ROWS + 44], fast.columns, fast.maps)
    assert fast.runs_parallel(len(matrix), parallel=True)
    assert not fast.runs_parallel(len(matrix), parallel=False)
    assert not fast.runs_parallel(PARALLEL_ROWS - 1, parallel=True), "small batches: one core"
    np.testing.assert_allclose(
        fast.predict_matrix(matrix, parallel=True), fast.predict_matrix(matrix), atol=1e-6
    )


def _parallel_batches(client: TestClient) -> float:
    text = client.get("/metrics").text
    found = re.search(r"^week05_parallel_batches_total (\S+)$", text, re.MULTILINE)
    assert found, text
    return float(found.group(1))


@MULTI_CORE
@pytest.mark.parametrize("enabled", [True, False], ids=["default", "switched-off"])
def test_only_a_batch_alone_in_its_worker_runs_on_every_core(model_dir, rows, enabled, monkeypatch):
    from week05_ml_api.app import create_app
    from week05_ml_api.settings import Settings

    settings = Settings(model_dir=model_dir, parallel_batches=enabled, _env_file=None)
    body = {"flights": rows[:PARALLEL_ROWS]}
    with TestClient(create_app(settings)) as client:
        before = _parallel_batches(client)  # one counter per process: count from here
        assert client.post("/predict/batch", json=body).status_code == 200
        assert _parallel_batches(client) - before == int(enabled)
        with monkeypatch.context() as patch:
            patch.setattr(metrics, "_in_flight", 1)  # another request is being answered
            assert client.post("/predict/batch", json=body).status_code == 200
        assert _parallel_batches(client) - before == int(enabled), "busy: one core per request"
        small = {"flights": rows[: PARALLEL_ROWS - 1]}
        assert client.post("/predict/batch", json=small).status_code == 200
        assert _parallel_batches(client) - before == int(enabled), "small batches: one core"
