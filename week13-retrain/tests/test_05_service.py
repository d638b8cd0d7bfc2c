"""The A/B split composed into week05's service: every answer names its arm (header) and its
model version (body); the admin call sets the split; the assignment is logged."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

TOKEN = "s3cret"
# two demo models (week05's, a few seconds each on first use) and a real app
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    from week05_ml_api.sample import demo_model
    from week05_ml_api.settings import Settings as ServiceSettings
    from week13_retrain.service import create_ab_app
    from week13_retrain.settings import Settings

    log_dir = tmp_path_factory.mktemp("predlog")
    service = ServiceSettings(model_dir=demo_model(40), prediction_log=log_dir)
    app = create_ab_app(service, Settings(admin_token=TOKEN, share=0.0))
    with TestClient(app) as test_client:
        test_client.log_dir = log_dir  # type: ignore[attr-defined]
        yield test_client


@functools.cache
def _body() -> dict:
    """One real flight's request (building it reads a day of week 1's data: done once)."""
    from week05_ml_api.sample import demo_flights, request_rows

    return request_rows(demo_flights(days=range(22, 23)), 1)[0]


def _ask(client, flight: str):
    return client.post("/predict", json=_body(), headers={"X-Flight-ID": flight})


def test_the_split_needs_the_token(client):
    response = client.post("/admin/split", json={"share": 0.5})
    assert response.status_code == 401, response.text
    wrong = client.post("/admin/split", json={"share": 0.5}, headers={"Authorization": "Bearer x"})
    assert wrong.status_code == 401, wrong.text
    bad = client.post(
        "/admin/split", json={"share": 1.5}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert bad.status_code == 422, f"a share of 1.5 must be refused: {bad.text}"


@pytest.mark.parametrize(
    ("challenger", "status", "rule"),
    [
        pytest.param("{root}/missing", 404, "model_found", id="no-folder"),
        pytest.param("/etc", 404, "under_model_root", id="outside-the-root"),
        pytest.param("models:/nobody@challenger", 404, "model_found", id="not-registered"),
    ],
)
def test_a_challenger_that_does_not_load_is_refused_by_name(
    client, tmp_path, monkeypatch, challenger, status, rule
):
    from week05_ml_api.sample import demo_model

    # found by schemathesis: these were 500s, and the split half set
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'empty.db'}")
    challenger = challenger.format(root=demo_model(40).parent)  # the service's model root
    before = client.get("/ab").json()
    response = client.post(
        "/admin/split",
        json={"share": 0.5, "challenger": challenger},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == status, response.text
    [detail] = response.json()["detail"]
    assert (detail["field"], detail["rule"], detail["input"]) == ("challenger", rule, challenger)
    assert client.get("/ab").json() == before, "a refused split changes nothing"


def test_answers_name_arm_and_version(client):
    from week05_ml_api.sample import demo_model
    from week13_retrain.assign import assign_arm
    from week13_retrain.service import read_assignments

    response = client.post(
        "/admin/split",
        json={"share": 0.5, "challenger": str(demo_model(20))},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200, response.text
    info = response.json()
    assert info["share"] == 0.5 and info["challenger_version"] != info["champion_version"]
    versions = {"champion": info["champion_version"], "challenger": info["challenger_version"]}
    flights = [f"2013-01-22/UA/{n}/EWR" for n in range(1, 41)]
    seen = set()
    for flight in flights:
        answer = _ask(client, flight)
        assert answer.status_code == 200, answer.text
        arm = answer.headers["X-AB-Arm"]
        assert arm == assign_arm(flight, 0.5, "week13-ab"), f"{flight}: served by {arm}"
        assert answer.json()["model_version"] == versions[arm], (
            f"{flight} went to the {arm} but the answer names {answer.json()['model_version']}"
        )
        seen.add(arm)
    assert seen == {"champion", "challenger"}, f"40 flights at 50 %: arms {seen}"
    logged = read_assignments(Path(client.log_dir))
    assert len(logged) == len(flights), f"one assignment line per answer: {len(logged)}"
    assert set(logged["arm"]) == seen


def test_a_split_set_through_one_worker_reaches_the_others(tmp_path):
    """Two apps on one run folder stand for two workers of one server: the split and the
    challenger set through the first are what the second serves."""
    from week05_ml_api.sample import demo_model
    from week05_ml_api.settings import Settings as ServiceSettings
    from week13_retrain.service import create_ab_app
    from week13_retrain.settings import Settings

    service = ServiceSettings(model_dir=demo_model(40), run_dir=tmp_path / "run")
    apps = [create_ab_app(service, Settings(admin_token=TOKEN, share=0.0)) for _ in range(2)]
    with TestClient(apps[0]) as first, TestClient(apps[1]) as second:
        assert second.get("/ab").json()["challenger_version"] is None
        response = first.post(
            "/admin/split",
            json={"share": 0.3, "challenger": str(demo_model(20))},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 200, response.text
        seen = second.get("/ab").json()
        assert seen["share"] == 0.3, "the other worker must take up the published share"
        assert seen["challenger_version"] == response.json()["challenger_version"] is not None
        flights = [f"2013-09-14/UA/{n}/EWR" for n in range(1, 41)]
        arms_first = [_ask(first, f).headers["X-AB-Arm"] for f in flights]
        arms_second = [_ask(second, f).headers["X-AB-Arm"] for f in flights]
        assert arms_first == arms_second, "a flight gets the same arm from every worker"
        assert "challenger" in arms_second
