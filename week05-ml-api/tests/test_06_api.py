"""The REST API through TestClient: status code first, then the body; 404, 413, 422, 503."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from week03_ml.artifact import MODEL_FILE


def test_liveness_and_readiness(client):
    live = client.get("/health/live")
    assert live.status_code == 200
    assert live.json()["status"] == "alive"
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert ready.json()["model_version"]


def test_model_info_names_version_features_threshold_window(client, model_dir):
    import json

    metadata = json.loads((model_dir / "metadata.json").read_text())
    response = client.get("/model")
    assert response.status_code == 200
    info = response.json()
    assert info["features"] == metadata["features"]
    assert info["threshold"] == pytest.approx(metadata["threshold"])
    assert info["training_window"] == ["2013-01-01", "2013-01-21"]
    assert info["fast_path"] is True
    assert len(info["model_version"]) == 12


def test_predict_one_carries_the_version(client, rows, pipeline):
    response = client.post("/predict", json=rows[0])
    assert response.status_code == 200
    body = response.json()
    assert body["model_version"] == client.get("/model").json()["model_version"]
    assert 0 <= body["probability"] <= 1
    assert body["delayed"] == (body["probability"] >= body["threshold"])
    assert body["unknown_categories"] == []


def test_batch_answers_in_request_order_and_match_single(client, rows):
    response = client.post("/predict/batch", json={"flights": rows[:20]})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 20 and len(body["predictions"]) == 20
    assert body["model_version"]
    singles = [client.post("/predict", json=r).json()["probability"] for r in rows[:3]]
    assert [p["probability"] for p in body["predictions"][:3]] == pytest.approx(singles, abs=1e-6)


def test_batch_cap_is_413_and_cap_itself_is_fine(client, rows, settings):
    at_cap = client.post("/predict/batch", json={"flights": rows[: settings.max_batch]})
    assert at_cap.status_code == 200
    over = client.post("/predict/batch", json={"flights": rows[: settings.max_batch + 1]})
    assert over.status_code == 413
    assert str(settings.max_batch) in over.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        pytest.param({"dep_hour": 25}, "dep_hour", "less_than_equal", id="hour-25"),
        pytest.param({"day_of_week": -1}, "day_of_week", "greater_than_equal", id="day-neg"),
        pytest.param({"origin": "BOS"}, "origin", "literal_error", id="origin-not-nyc"),
        pytest.param({"carrier": "b6"}, "carrier", "string_pattern_mismatch", id="lowercase"),
        pytest.param({"dest": "BOST"}, "dest", "string_pattern_mismatch", id="dest-4-letters"),
        pytest.param({"distance": 0}, "distance", "greater_than_equal", id="zero-distance"),
        pytest.param({"humid": 140}, "humid", "less_than_equal", id="humidity-140"),
        pytest.param({"past_rate_route": 1.5}, "past_rate_route", "less_than_equal", id="rate"),
        pytest.param({"dep_hr": 7}, "dep_hr", "extra_forbidden", id="typo-field"),
        pytest.param({"dep_hour": "seven"}, "dep_hour", "int_type", id="not-a-number"),
        # strict numbers: what the OpenAPI document declares is what is accepted
        pytest.param({"dep_hour": "7"}, "dep_hour", "int_type", id="quoted-number"),
        pytest.param({"past_rate_all_1d": False}, "past_rate_all_1d", "float_type", id="bool"),
    ],
)
def test_bad_input_is_422_naming_field_and_rule(client, rows, change, field, rule):
    response = client.post("/predict", json={**rows[0], **change})
    assert response.status_code == 422
    details = response.json()["detail"]
    assert {"field": field, "rule": rule} in [
        {"field": d["field"], "rule": d["rule"]} for d in details
    ], details


def test_missing_field_and_bad_json_are_422(client, rows):
    without = {k: v for k, v in rows[0].items() if k != "carrier"}
    response = client.post("/predict", json=without)
    assert response.status_code == 422
    assert response.json()["detail"][0] == {
        "field": "carrier",
        "rule": "missing",
        "message": "Field required",
        "input": without,
    }
    broken = client.post(
        "/predict/batch", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422
    assert broken.json()["detail"][0]["rule"] == "json_invalid"
    empty = client.post("/predict/batch", json={"flights": []})
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["field"] == "flights"


def test_batch_422_names_the_row(client, rows):
    response = client.post(
        "/predict/batch", json={"flights": [rows[0], {**rows[1], "dep_hour": 99}]}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "flights[1].dep_hour"


def test_unknown_route_is_404(client):
    response = client.get("/predictions")
    assert response.status_code == 404


def test_unknown_carrier_is_predicted_as_missing_and_reported(client, rows, pipeline):
    import pandas as pd

    row = {**rows[0], "carrier": "ZZ"}
    response = client.post("/predict", json=row)
    assert response.status_code == 200
    body = response.json()
    assert body["unknown_categories"] == ["carrier"]
    frame = pd.DataFrame([row]).astype(
        {k: "float64" for k, v in row.items() if not isinstance(v, str) and k != "plane_engine"}
    )
    assert body["probability"] == pytest.approx(pipeline.predict_proba(frame)[0, 1], abs=1e-6)


def test_unknown_carrier_rejected_under_reject_policy(settings, rows):
    from week05_ml_api.app import create_app

    strict = settings.model_copy(update={"unknown_categories": "reject"})
    with TestClient(create_app(strict)) as client:
        one = client.post("/predict", json={**rows[0], "carrier": "ZZ"})
        assert one.status_code == 422
        assert one.json()["detail"][0]["field"] == "carrier"
        assert one.json()["detail"][0]["rule"] == "unknown_category"
        many = client.post(
            "/predict/batch", json={"flights": [rows[0], {**rows[0], "dest": "QQQ"}]}
        )
        assert many.status_code == 422
        assert many.json()["detail"][0]["field"] == "flights[1].dest"


def test_not_ready_without_a_model(settings, tmp_path, rows):
    from week05_ml_api.app import create_app

    missing = settings.model_copy(update={"model_dir": tmp_path / "nothing"})
    with TestClient(create_app(missing)) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "failed"
        assert MODEL_FILE in ready.json()["detail"]
        assert client.post("/predict", json=rows[0]).status_code == 503
        assert client.get("/model").status_code == 503
        from week05_ml_api.metrics import sample_value as metric

        assert metric(client.get("/metrics").text, "week05_model_ready") == 0


def test_metrics_count_requests_predictions_and_cache_hits(client, rows):
    from week05_ml_api.metrics import sample_value as metric

    before = client.get("/metrics").text
    version = client.get("/model").json()["model_version"]
    for _ in range(3):
        assert client.post("/predict", json=rows[7]).status_code == 200
    assert client.post("/predict", json={**rows[7], "dep_hour": 99}).status_code == 422
    after = client.get("/metrics").text
    assert "text/plain" in client.get("/metrics").headers["content-type"]

    def moved(name: str, **labels: str) -> float:
        return metric(after, name, **labels) - metric(before, name, **labels)

    assert moved("week05_cache_lookups_total", result="hit") == 2
    assert moved("week05_cache_lookups_total", result="miss") == 1
    assert moved("week05_predictions_total", model_version=version) == 3
    assert moved("week05_requests_total", method="POST", route="/predict", status="200") == 3
    assert moved("week05_requests_total", method="POST", route="/predict", status="422") == 1
    assert moved("week05_request_duration_seconds_count", route="/predict") == 4
    assert metric(after, "week05_model_ready") == 1
    assert metric(after, "week05_model_info", model_version=version) == 1
    client.get("/no/such/route/42")
    assert "/no/such/route/42" not in client.get("/metrics").text, "route templates only"


def test_admin_reload_needs_the_token(client, other_model_dir):
    body = {"model_dir": str(other_model_dir)}
    assert client.post("/admin/reload", json=body).status_code == 401
    wrong = client.post("/admin/reload", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    before = client.get("/model").json()["model_version"]
    ok = client.post("/admin/reload", json=body, headers={"Authorization": "Bearer test-token"})
    assert ok.status_code == 200
    assert ok.json()["previous_version"] == before
    assert ok.json()["model_version"] == client.get("/model").json()["model_version"] != before


def test_failed_reload_keeps_serving_the_old_model(client, model_dir, rows):
    import uuid

    tmp_path = model_dir.parent / f"empty-{uuid.uuid4().hex}"  # under the model root
    tmp_path.mkdir()
    before = client.get("/model").json()["model_version"]
    bad = client.post(
        "/admin/reload",
        json={"model_dir": str(tmp_path)},
        headers={"Authorization": "Bearer test-token"},
    )
    assert bad.status_code == 404, "no model in that folder: nothing found there"
    assert (bad.json()["detail"][0]["field"], bad.json()["detail"][0]["rule"]) == (
        "model_dir",
        "model_found",
    )
    assert client.post("/predict", json=rows[0]).json()["model_version"] == before
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and "failed" in ready.json()["detail"]
    (tmp_path / MODEL_FILE).write_bytes(b"not a model")
    (tmp_path / "metadata.json").write_text("{}")
    broken = client.post(
        "/admin/reload",
        json={"model_dir": str(tmp_path)},
        headers={"Authorization": "Bearer test-token"},
    )
    assert broken.status_code == 422, "a model that is there but does not load"
    assert broken.json()["detail"][0]["rule"] == "loadable_model"
    assert client.post("/predict", json=rows[0]).json()["model_version"] == before


@pytest.mark.parametrize("where", ["/etc", "/nowhere/at/all", "../../..", "{root}/../.."])
def test_a_reload_outside_the_model_root_is_refused_without_a_look(client, model_dir, where):
    # the token opens loading models, not probing the server's disk: an existing folder and a
    # missing one outside the root get the same answer, and nothing is loaded
    given = where.format(root=model_dir.parent)
    before = client.get("/model").json()["model_version"]
    answer = client.post(
        "/admin/reload", json={"model_dir": given}, headers={"Authorization": "Bearer test-token"}
    )
    assert answer.status_code == 404, answer.text
    assert answer.json()["detail"] == [
        {
            "field": "model_dir",
            "rule": "under_model_root",
            "message": "model_dir must be a model folder under the model root (WEEK05_MODEL_ROOT)",
            "input": given,
        }
    ]
    assert client.get("/model").json()["model_version"] == before


def test_a_symbolic_link_out_of_the_root_is_refused(client, model_dir, tmp_path):
    import uuid

    link = model_dir.parent / f"link-{uuid.uuid4().hex}"
    link.symlink_to(tmp_path)  # a folder under the root by name, elsewhere in fact
    answer = client.post(
        "/admin/reload",
        json={"model_dir": str(link)},
        headers={"Authorization": "Bearer test-token"},
    )
    assert answer.status_code == 404 and "under_model_root" in answer.text, answer.text


def test_admin_disabled_without_a_token(settings):
    from week05_ml_api.app import create_app

    with TestClient(create_app(settings.model_copy(update={"admin_token": None}))) as client:
        assert (
            client.post("/admin/reload", headers={"Authorization": "Bearer x"}).status_code == 403
        )


def test_pipeline_path_gives_the_same_answers(settings, rows):
    from week05_ml_api.app import create_app

    with (
        TestClient(create_app(settings.model_copy(update={"fast_path": False}))) as slow,
        TestClient(create_app(settings)) as fast,
    ):
        assert slow.get("/model").json()["fast_path"] is False
        body = {"flights": rows[:30]}
        a = [p["probability"] for p in slow.post("/predict/batch", json=body).json()["predictions"]]
        b = [p["probability"] for p in fast.post("/predict/batch", json=body).json()["predictions"]]
        assert a == pytest.approx(b, abs=1e-6)


def test_readme_examples_are_valid_requests(client):
    """The README's curl commands send examples/flight.json and examples/batch.json."""
    import json
    from pathlib import Path

    examples = Path(__file__).resolve().parents[1] / "examples"
    json_body = {"content-type": "application/json"}
    one = client.post(
        "/predict", content=(examples / "flight.json").read_bytes(), headers=json_body
    )
    assert one.status_code == 200, one.text
    many = client.post(
        "/predict/batch", content=(examples / "batch.json").read_bytes(), headers=json_body
    )
    assert many.status_code == 200, many.text
    assert many.json()["count"] == len(json.loads((examples / "batch.json").read_text())["flights"])
    schema = client.get("/openapi.json").json()["components"]["schemas"]["FlightFeatures"]
    # the OpenAPI document leaves out null values (FastAPI writes it with exclude_none)
    sent = json.loads((examples / "flight.json").read_text())
    assert schema["examples"][0] == {k: v for k, v in sent.items() if v is not None}


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        pytest.param("/predict", {"carrier": "\ud800"}, 422, "carrier", id="predict"),
        pytest.param("/admin/reload", {"model_dir": "\ud800"}, 404, "model_dir", id="reload"),
    ],
)
def test_a_lone_surrogate_is_a_named_4xx_not_a_500(client, rows, path, body, status, field):
    # JSON may escape a lone surrogate ("\ud800"); UTF-8 cannot encode it: echoing it was a 500
    payload = {**rows[0], **body} if path == "/predict" else body
    text = json.dumps(payload)  # ASCII, the surrogate escaped, as a client library sends it
    headers = {"Authorization": "Bearer test-token", "Content-Type": "application/json"}
    answer = client.post(path, content=text, headers=headers)
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"][0]["field"] == field
    assert answer.json()["detail"][0]["input"] == "\ud800"
    ready = client.get("/health/ready")
    assert ready.status_code == 200, f"readiness broke after the request: {ready.text}"
