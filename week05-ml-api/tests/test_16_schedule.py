"""POST /predict/schedule: a flight known only by its schedule gets a probability and the model
version; the features come from week04's online store as of its date, and what the store cannot
answer is a clear 4xx that names the field and the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

UA1545 = {
    "carrier": "UA",
    "flight": 1545,
    "origin": "EWR",
    "dest": "IAH",
    "sched_dep": "2013-01-23T07:30:00",
    "tailnum": "N14228",
}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """20-23 January loaded into a SQLite warehouse, 23 January materialized (~3 s)."""
    from week04_sql.db import make_engine
    from week04_sql.load import days_of, load_days
    from week04_sql.online import materialize

    url = f"sqlite:///{tmp_path_factory.mktemp('store')}/store.db"
    engine = make_engine(url)
    load_days(engine, days_of(1, range(20, 24)))
    materialize(engine, dt.date(2013, 1, 23))
    engine.dispose()
    return url


@pytest.fixture
def schedule_client(model_dir, store_url) -> Iterator[TestClient]:
    from week05_ml_api.app import create_app
    from week05_ml_api.settings import Settings

    settings = Settings(model_dir=model_dir, database_url=store_url, _env_file=None)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_schedule_only_flight_gets_a_probability(schedule_client):
    response = schedule_client.post("/predict/schedule", json=UA1545)
    assert response.status_code == 200, response.text
    body = response.json()
    assert 0 <= body["probability"] <= 1 and body["model_version"]
    features = body["features"]
    assert (features["dep_hour"], features["day_of_week"], features["distance"]) == (7, 2, 1400)
    assert features["plane_year"] == 1999 and features["past_rate_route"] is not None
    # the same features sent whole give the same answer: one model, one way to predict
    full = schedule_client.post("/predict", json=features)
    assert full.status_code == 200
    assert full.json()["probability"] == pytest.approx(body["probability"], abs=1e-9)


def test_an_explicit_offset_is_converted_to_new_york_time(schedule_client):
    utc = {**UA1545, "sched_dep": "2013-01-23T12:30:00+00:00"}  # 07:30 in New York (EST)
    response = schedule_client.post("/predict/schedule", json=utc)
    assert response.status_code == 200, response.text
    assert response.json()["features"]["dep_hour"] == 7


@pytest.mark.parametrize(
    ("change", "status", "field", "rule"),
    [
        pytest.param(
            {"sched_dep": "2013-01-30T07:30:00"},
            404,
            "sched_dep",
            "store_reached",
            id="date-not-reached",
        ),
        # 404: the route is what does not exist (a schema-valid request, refused for its data)
        pytest.param({"dest": "XYZ"}, 404, "dest", "known_route", id="unknown-route"),
        pytest.param({"dest": "iah"}, 422, "dest", "string_pattern_mismatch", id="bad-code"),
        pytest.param(
            {"sched_dep": "yesterday"},
            422,
            "sched_dep",
            "datetime_from_date_parsing",
            id="bad-time",
        ),
        pytest.param({"flight": 0}, 422, "flight", "greater_than_equal", id="bad-number"),
        # found by schemathesis: a year pandas cannot hold was a 500
        pytest.param(
            {"sched_dep": "0280-02-11T16:09:38+15:11"}, 422, "sched_dep", "value_error", id="year"
        ),
    ],
)
def test_what_cannot_be_answered_is_named(schedule_client, change, status, field, rule):
    response = schedule_client.post("/predict/schedule", json={**UA1545, **change})
    assert response.status_code == status, response.text
    details = response.json()["detail"]
    assert {"field": field, "rule": rule} in [
        {"field": d["field"], "rule": d["rule"]} for d in details
    ], details


def test_an_unknown_plane_is_answered_with_null_plane_features(schedule_client):
    response = schedule_client.post("/predict/schedule", json={**UA1545, "tailnum": "N00000"})
    assert response.status_code == 200, response.text
    features = response.json()["features"]
    assert features["plane_year"] is None and features["plane_engine"] is None


def test_a_distance_given_by_the_client_is_used(schedule_client):
    body = {**UA1545, "dest": "XYZ", "distance": 900}
    response = schedule_client.post("/predict/schedule", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["features"]["distance"] == 900


@pytest.fixture
def schedule_stub(model_dir, store_url) -> Iterator:
    import grpc

    from week05_ml_api import delay_pb2_grpc
    from week05_ml_api.grpc_service import start_server
    from week05_ml_api.predictor import PredictionService

    service = PredictionService()
    service.store.load(model_dir)
    server, port = start_server(service, "127.0.0.1:0", workers=2, database_url=store_url)
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield delay_pb2_grpc.DelayModelStub(channel)
    server.stop(grace=None)


def test_grpc_answers_a_schedule_only_flight_like_rest(schedule_stub, schedule_client):
    import grpc

    from week05_ml_api import delay_pb2

    reply = schedule_stub.PredictSchedule(delay_pb2.ScheduledFlight(**UA1545))
    rest = schedule_client.post("/predict/schedule", json=UA1545).json()
    assert reply.model_version == rest["model_version"]
    assert reply.probability == pytest.approx(rest["probability"], abs=1e-12)
    cases = [
        ({"sched_dep": "2013-01-30T07:30:00"}, grpc.StatusCode.NOT_FOUND, "store_reached"),
        ({"dest": "XYZ"}, grpc.StatusCode.NOT_FOUND, "known_route"),
        ({"dest": "iah"}, grpc.StatusCode.INVALID_ARGUMENT, "string_pattern_mismatch"),
    ]
    for change, code, rule in cases:
        with pytest.raises(grpc.RpcError) as raised:
            schedule_stub.PredictSchedule(delay_pb2.ScheduledFlight(**{**UA1545, **change}))
        assert raised.value.code() == code, (change, raised.value.details())
        assert rule in raised.value.details(), raised.value.details()
