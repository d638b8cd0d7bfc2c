"""The prediction log: one JSON line per predicted flight, with its request, model and features."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from week05_ml_api.predlog import COLUMNS, features_hash, read_log
from week05_ml_api.schemas import FEATURES


@pytest.fixture
def logged(settings, tmp_path):
    from week05_ml_api.app import create_app

    folder = tmp_path / "log"
    with TestClient(create_app(settings.model_copy(update={"prediction_log": folder}))) as client:
        yield client, folder


def test_every_predicted_flight_is_logged_once_with_its_request(logged, rows):
    client, folder = logged
    assert read_log(folder).empty and list(read_log(folder).columns) == list(COLUMNS)
    one = client.post("/predict", json=rows[0], headers={"X-Request-ID": "abc-1"}).json()
    batch = client.post("/predict/batch", json={"flights": rows[1:4]}).json()
    columnar = {"columns": list(FEATURES), "data": [[r.get(f) for f in FEATURES] for r in rows[:2]]}
    split = client.post("/predict/batch", json=columnar).json()
    assert client.post("/predict", json={**rows[0], "dep_hour": 99}).status_code == 422

    log = read_log(folder)
    assert len(log) == 1 + 3 + 2, "one line per predicted flight, none for a refused request"
    assert log["request_id"].iloc[0] == "abc-1", "the caller's X-Request-ID is kept"
    assert log["request_id"].iloc[1:4].nunique() == 1, "a batch's flights share one request id"
    assert log["request_id"].iloc[1] != log["request_id"].iloc[4]
    assert list(log["route"]) == ["/predict"] + ["/predict/batch"] * 5
    answered = [one["probability"]] + [p["probability"] for p in batch["predictions"]]
    answered += [p["probability"] for p in split["predictions"]]
    assert list(log["probability"]) == pytest.approx(answered, abs=1e-12)
    assert set(log["model_version"]) == {one["model_version"]}
    # the same flight, sent alone and in a columnar batch, hashes the same
    assert log["features_hash"].iloc[0] == log["features_hash"].iloc[4]
    assert log["features_hash"].iloc[0] == features_hash(rows[0])
    assert log["dep_hour"].iloc[0] == rows[0]["dep_hour"], "features are columns of the table"
    assert log["time"].is_monotonic_increasing


def test_the_hash_ignores_key_order_but_not_values(rows):
    flipped = dict(reversed(list(rows[0].items())))
    assert features_hash(flipped) == features_hash(rows[0])
    assert features_hash({**rows[0], "dep_hour": 3}) != features_hash({**rows[0], "dep_hour": 4})
    assert len(features_hash(rows[0])) == 16
