"""A large batch on an otherwise idle server uses every core; under load, one core per request."""

from __future__ import annotations

import re

import numpy as np
import pytest
from fastapi.testclient import TestClient

from week05_ml_api.fastpath import PARALLEL_ROWS, FastModel, encode_rows, usable_cores
from week05_ml_api.workers import answering, busy

MULTI_CORE = pytest.mark.skipif(usable_cores() < 2, reason="needs two cores")


def test_busy_counts_the_requests_being_answered():
    before = busy()
    with answering():
        with answering():
            assert busy() == before + 2
        assert busy() == before + 1
    assert busy() == before, "a finished request must stop counting"


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


def _parallel_batches(client: TestClient) -> int:
    text = client.get("/metrics").text
    found = re.search(r"^week05_parallel_batches_total (\d+)$", text, re.MULTILINE)
    assert found, text
    return int(found.group(1))


@MULTI_CORE
@pytest.mark.parametrize("enabled", [True, False], ids=["default", "switched-off"])
def test_only_a_batch_alone_in_the_server_runs_on_every_core(model_dir, rows, enabled):
    from week05_ml_api.app import create_app
    from week05_ml_api.settings import Settings

    settings = Settings(model_dir=model_dir, parallel_batches=enabled, _env_file=None)
    body = {"flights": rows[:PARALLEL_ROWS]}
    with TestClient(create_app(settings)) as client:
        assert client.post("/predict/batch", json=body).status_code == 200
        assert _parallel_batches(client) == int(enabled)
        with answering():  # another request is being answered meanwhile
            assert client.post("/predict/batch", json=body).status_code == 200
        assert _parallel_batches(client) == int(enabled), "under load: one core per request"
        small = {"flights": rows[: PARALLEL_ROWS - 1]}
        assert client.post("/predict/batch", json=small).status_code == 200
        assert _parallel_batches(client) == int(enabled), "small batches never go parallel"
