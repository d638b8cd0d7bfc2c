"""Exercise 6: ``POST /predict/schedule``, your ``schedule_router`` inside week 5's real app.

Each check builds the app with ``create_app`` exactly as the service does, with your
``schedule_router`` where the reference's goes (``predict_router`` includes it), and calls it
with FastAPI's TestClient; the online store is week 4's, in a SQLite file with 20-23 January
loaded and features as of 23 January. The checks read status codes and bodies, the prediction
log and the app's OpenAPI document, never how the route is written.
"""

# no `from __future__ import annotations`: FastAPI reads the test's dependency functions'
# annotations (Request) at run time
import asyncio
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

pytestmark = pytest.mark.exercise("schedule_router")

#: A flight the store knows: UA 1545, Newark to Houston, 07:30 on Wednesday 23 January 2013.
UA1545 = {
    "carrier": "UA",
    "flight": 1545,
    "origin": "EWR",
    "dest": "IAH",
    "sched_dep": "2013-01-23T07:30:00",
    "tailnum": "N14228",
}
#: What the store supplies for it (among the 30 features).
UA1545_FEATURES = {
    "carrier": "UA",
    "origin": "EWR",
    "dest": "IAH",
    "dep_hour": 7,
    "day_of_week": 2,
    "distance": 1400,
    "plane_year": 1999,
}
ROUTE = "/predict/schedule"


@pytest.fixture
def build(schedule_route, model_dir, online_store_url, monkeypatch) -> Iterator[Callable]:
    """``build(extensions=None, **settings)``: a TestClient on ``create_app(Settings(...))``
    with your ``schedule_router`` in the reference's place, its lifespan run (the model
    loaded); a server error is answered as a 500, as a real server would."""
    from week05_ml_api.app import create_app
    from week05_ml_api.dependencies import Extensions
    from week05_ml_api.routes import predict
    from week05_ml_api.settings import Settings

    monkeypatch.setattr(predict, "schedule_router", schedule_route.schedule_router)
    with ExitStack() as stack:

        def make(extensions: Extensions | None = None, **changes: Any) -> TestClient:
            values = {"model_dir": model_dir, "database_url": online_store_url, **changes}
            app = create_app(Settings(**values, _env_file=None), extensions=extensions)
            return stack.enter_context(TestClient(app, raise_server_exceptions=False))

        yield make


@pytest.fixture
def client(build) -> TestClient:
    return build()


def _fields(response) -> list[tuple[Any, Any]]:
    """The (field, rule) pairs of an error body in the API's shape, [] for any other body."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return []
    if not isinstance(detail, list):
        return []
    return [(d.get("field"), d.get("rule")) for d in detail if isinstance(d, dict)]


def _shown(response) -> str:
    return f"{response.status_code} {response.text[:300]}"


class SpyStore:
    """Week 5's feature store, noting each lookup and whether it ran on the event loop."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.on_loop: list[bool] = []

    def features(self, flight: Any) -> Any:
        try:
            asyncio.get_running_loop()
            self.on_loop.append(True)
        except RuntimeError:  # no loop in this thread: a worker thread
            self.on_loop.append(False)
        return self.store.features(flight)


# the first check of the file builds the session's model and store (~10 s cold, on a busy
# 2-core machine): its own budget, so that a slow machine never fails a correct route
@pytest.mark.budget(60)
@pytest.mark.points(3)
@pytest.mark.hint("score what store.features(flight) returns, and answer it as `features`")
def test_a_known_flight_is_answered_with_its_features(client):
    """A flight the store knows gets 200, the served model's version and the store's features."""
    response = client.post(ROUTE, json=UA1545)
    assert response.status_code == 200, (
        f"UA1545 on 23 January, a date the store has features for: expected 200, got "
        f"{_shown(response)}"
    )
    body = response.json()
    served = client.get("/health/ready").json().get("model_version")
    assert body.get("model_version") == served, (
        f"model_version {body.get('model_version')!r}: expected {served!r}, the model being "
        "served (the prediction's own model_version): a client must know which model answered"
    )
    assert 0 <= body.get("probability", -1) <= 1, f"probability {body.get('probability')!r}"
    features = body.get("features") or {}
    got = {name: features.get(name) for name in UA1545_FEATURES}
    assert got == UA1545_FEATURES, (
        f"features {got}: expected {UA1545_FEATURES}, what the store supplies for UA1545 "
        "(07:30, a Wednesday, 1,400 miles, plane N14228 built in 1999). Answer with the "
        "FlightFeatures the store gave, the ones the model scored"
    )


@pytest.mark.points(1)
@pytest.mark.hint("one model, one way to predict: the service's predict_one on those features")
def test_the_answer_is_the_one_predict_gives_for_those_features(client):
    """The probability equals ``POST /predict``'s for the features the answer shows."""
    body = client.post(ROUTE, json=UA1545).json()
    full = client.post("/predict", json=body.get("features"))
    assert full.status_code == 200, f"POST /predict of the answer's features: {_shown(full)}"
    keys = ("model_version", "probability", "delayed", "threshold")
    expected = {k: full.json()[k] for k in keys}
    got = {k: body.get(k) for k in keys}
    assert got == pytest.approx(expected, abs=1e-9), (
        f"answer {got}: expected {expected}, what POST /predict answers for the same features. "
        "A schedule-only flight is scored exactly like a full one: the service's predict_one on "
        "the store's features, and its fields copied into the answer"
    )


@pytest.mark.points(2)
@pytest.mark.hint("the store raises FeaturesNotFound: let it reach the app, which answers 404")
def test_a_date_the_store_has_not_reached_is_a_404_naming_it(client):
    """A date the store has not materialised is a 404 naming ``sched_dep``."""
    response = client.post(ROUTE, json={**UA1545, "sched_dep": "2013-01-30T07:30:00"})
    assert response.status_code == 404 and ("sched_dep", "store_reached") in _fields(response), (
        f"30 January, a date the store has no features for yet: expected 404 with detail "
        f"[{{'field': 'sched_dep', 'rule': 'store_reached', ...}}], got {_shown(response)}. "
        "The store raises FeaturesNotFound, and the app's handler turns it into that 404; a "
        "route that catches it (a 500, a 400, an HTTPException) loses the field and the rule"
    )


@pytest.mark.points(2)
@pytest.mark.hint(
    "the store raises UnknownRoute: let it through, the app answers 404 with the field"
)
def test_an_unknown_route_without_distance_is_a_404_naming_it(client):
    """A route the store never saw, with no distance in the request, is a 404 naming ``dest``."""
    response = client.post(ROUTE, json={**UA1545, "dest": "XYZ"})
    assert response.status_code == 404 and ("dest", "known_route") in _fields(response), (
        f"EWR to XYZ, a route nobody flew, and no distance: expected 404 with detail "
        f"[{{'field': 'dest', 'rule': 'known_route', ...}}], got {_shown(response)}. The store "
        "cannot know the distance and raises UnknownRoute; let the app's handler answer it"
    )


@pytest.mark.points(1)
@pytest.mark.hint("pass the whole ScheduledFlight to the store: its distance is part of it")
def test_a_distance_in_the_request_is_used(client):
    """A distance the client sends is the distance the model sees."""
    response = client.post(ROUTE, json={**UA1545, "dest": "XYZ", "distance": 900})
    assert response.status_code == 200, (
        f"EWR to XYZ with distance 900: expected 200 (the store uses the request's distance "
        f"when the route is new), got {_shown(response)}"
    )
    distance = (response.json().get("features") or {}).get("distance")
    assert distance == 900, f"features.distance {distance!r}: expected the 900 the client sent"


@pytest.mark.points(1)
@pytest.mark.hint(
    "type the body as ScheduledFlight: FastAPI validates it and the app words the 422"
)
@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"dest": "iah"}, "dest", id="lower-case-airport"),
        pytest.param({"flight": 0}, "flight", id="flight-number-0"),
        pytest.param({"sched_dep": "yesterday"}, "sched_dep", id="not-a-date"),
        pytest.param({"dep_hr": 7}, "dep_hr", id="unknown-field"),
    ],
)
def test_a_bad_field_is_a_422_naming_it(client, change, field):
    """A field that breaks ScheduledFlight's rules is a 422 naming it."""
    response = client.post(ROUTE, json={**UA1545, **change})
    fields = [f for f, _ in _fields(response)]
    assert response.status_code == 422 and field in fields, (
        f"{change}: expected 422 with a detail naming the field {field!r} ({{'field': "
        f"{field!r}, 'rule': ..., ...}}), got {_shown(response)}. With the body typed as "
        "ScheduledFlight, FastAPI refuses it before your code runs and the app's handler "
        "names each field; a body read by hand turns a client's mistake into a 500"
    )


@pytest.mark.points(1)
@pytest.mark.hint("the service raises ModelNotReady when it has no model: do not catch it")
def test_no_model_is_a_503(build, tmp_path):
    """With no model loaded the route answers 503, in the readiness route's body."""
    client = build(model_dir=tmp_path / "no-model-here")
    response = client.post(ROUTE, json=UA1545)
    status = response.json().get("status") if response.status_code == 503 else None
    assert (response.status_code, status) == (503, "unavailable"), (
        f"no model loaded: expected 503 with {{'status': 'unavailable', 'detail': ...}} (the "
        f"body of /health/ready, which a client or a probe reads), got {_shown(response)}. "
        "The service's ModelNotReady reaches the app's handler when the route lets it through"
    )


@pytest.mark.points(1)
@pytest.mark.hint("the store raises StoreUnavailable when its database is down: let it through")
def test_an_unreachable_store_is_a_503(build):
    """With the store's database down the route answers 503."""
    down = "postgresql+psycopg://nobody:nothing@127.0.0.1:1/nowhere"  # port 1: refused at once
    response = build(database_url=down).post(ROUTE, json=UA1545)
    status = response.json().get("status") if response.status_code == 503 else None
    assert (response.status_code, status) == (503, "unavailable"), (
        f"the store's database refuses connections: expected 503 with {{'status': "
        f"'unavailable', ...}}, got {_shown(response)}. The store raises StoreUnavailable "
        "(the outage is the server's, not the client's fault: not a 4xx, and not a 500 bug)"
    )


@pytest.mark.points(1)
@pytest.mark.hint("ask for the store as a parameter typed FeatureStoreDep")
def test_the_store_comes_from_its_dependency(client):
    """The route reads the app's one feature store, through ``FeatureStoreDep``."""
    spy = SpyStore(client.app.state.feature_store)
    client.app.state.feature_store = spy
    response = client.post(ROUTE, json=UA1545)
    assert response.status_code == 200 and spy.on_loop, (
        f"the app's feature store was asked {len(spy.on_loop)} times (answer "
        f"{response.status_code}): expected the route to get it from FeatureStoreDep. The app "
        "makes one store, with one connection pool; a store made per request connects anew "
        "every time, and one made elsewhere ignores the app's settings"
    )


@pytest.mark.points(1)
@pytest.mark.hint("asyncio.to_thread runs a blocking call in a worker thread and awaits it")
def test_the_store_is_read_off_the_event_loop(client):
    """The store's database reads run in a worker thread, not on the event loop."""
    spy = SpyStore(client.app.state.feature_store)
    client.app.state.feature_store = spy
    client.post(ROUTE, json=UA1545)
    assert spy.on_loop, "the app's feature store was not asked (see the FeatureStoreDep check)"
    assert not any(spy.on_loop), (
        "store.features ran on the event loop: expected it in a worker thread. It waits for "
        "the database; on the loop, every other request of the worker waits with it"
    )


@pytest.mark.points(1)
@pytest.mark.hint(
    "Depends(extensions.service) and Depends(extensions.request_log), not week 5's own"
)
@pytest.mark.parametrize("provider", ["service", "request_log"])
def test_the_route_asks_the_extensions(build, provider):
    """The route gets its service and its request log from ``extensions``, as week 13 needs."""
    from week05_ml_api.dependencies import Extensions, get_request_log, get_service

    asked: list[str] = []

    async def service(request: Request):
        asked.append("service")
        return await get_service(request)

    async def request_log(request: Request):
        asked.append("request_log")
        return await get_request_log(request)

    client = build(extensions=Extensions(service=service, request_log=request_log))
    response = client.post(ROUTE, json=UA1545)
    why = {
        "service": "its service picks the champion's or the challenger's model per flight",
        "request_log": "its request log adds the arm each flight went to",
    }
    assert response.status_code == 200 and provider in asked, (
        f"extensions.{provider} was not asked (answer {response.status_code}): expected the "
        f"route to depend on extensions.{provider}, not on week 5's own getter. Week 13's A/B "
        f"test gives its own: {why[provider]}"
    )


@pytest.mark.points(1)
@pytest.mark.hint("log.record(...) once per answer: the version, the threshold, [features], [p]")
def test_every_answered_flight_is_in_the_prediction_log(build, tmp_path):
    """Each answered flight is one line of the prediction log, with the route and features."""
    from week05_ml_api.predlog import read_log

    client = build(prediction_log=tmp_path / "log")
    body = client.post(ROUTE, json=UA1545).json()
    logged = read_log(tmp_path / "log")
    assert len(logged) == 1, (
        f"{len(logged)} lines in the prediction log after one answered flight: expected 1 (what "
        "week 11's monitoring reads: a flight missing from it is a prediction nobody checks)"
    )
    row = logged.iloc[0]
    got = (row["route"], row["probability"], row["dep_hour"], row["plane_year"])
    expected = (ROUTE, body.get("probability"), 7, 1999)
    assert got == pytest.approx(expected), (
        f"logged (route, probability, dep_hour, plane_year) = {got}: expected {expected}, the "
        "answer's probability and the features the store supplied"
    )


def _operation(client: TestClient) -> dict[str, Any]:
    operation = client.get("/openapi.json").json()["paths"].get(ROUTE, {}).get("post")
    assert operation, f"the OpenAPI document has no POST {ROUTE}"
    return operation


def _model(content: dict[str, Any]) -> str:
    """The component a body's schema refers to (``ScheduledFlight``), or what it is instead."""
    schema = content.get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").rsplit("/", 1)[-1] or str(schema)


@pytest.mark.points(1)
@pytest.mark.hint("a parameter typed ScheduledFlight is the request body, and the document says so")
def test_the_document_describes_the_request_body(client):
    """The OpenAPI document gives ``ScheduledFlight`` as the route's request body."""
    body = _model(_operation(client).get("requestBody", {}).get("content", {}))
    assert body == "ScheduledFlight", (
        f"the request body is documented as {body}: expected the ScheduledFlight schema, so a "
        "client (and /docs) knows every field and its rule before calling"
    )


@pytest.mark.points(1)
@pytest.mark.hint("response_model=SchedulePrediction (or the return annotation) documents the 200")
def test_the_document_describes_the_answer(client):
    """The OpenAPI document gives ``SchedulePrediction`` as the 200 answer."""
    answer = _model(_operation(client)["responses"].get("200", {}).get("content", {}))
    assert answer == "SchedulePrediction", (
        f"the 200 answer is documented as {answer}: expected SchedulePrediction, the prediction "
        "and its features"
    )


@pytest.mark.points(1)
@pytest.mark.hint('responses={404: {"model": ..., "description": ...}, ...} on the route')
@pytest.mark.parametrize(
    ("status", "model"),
    [("404", "FieldProblem"), ("422", "FieldProblem"), ("503", "Status")],
)
def test_the_document_declares_each_error(client, status, model):
    """The OpenAPI document declares the route's 404, 422 and 503 with their bodies."""
    declared = _operation(client)["responses"].get(status)
    assert declared, (
        f"the document declares no {status} for POST {ROUTE}: expected it with the {model} "
        "body. A client generated from the document (and Schemathesis) trusts what it says"
    )
    got = _model(declared.get("content", {}))
    assert got == model, (
        f"the {status} answer is documented as {got}: expected {model}, the body the app's "
        "handler really sends (FastAPI's default for 422, HTTPValidationError, is not it)"
    )
    assert declared.get("description") not in {None, "", "Additional Response"}, (
        f"the {status} has no description of its own ({declared.get('description')!r}): say "
        "when it happens, the reader of /docs has nothing else"
    )
