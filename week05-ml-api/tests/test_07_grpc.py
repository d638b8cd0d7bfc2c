"""gRPC: the same core as REST, INVALID_ARGUMENT on bad input, the standard health service, and
stubs that regenerate byte for byte from delay.proto."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from week05_ml_api import delay_pb2, delay_pb2_grpc
from week05_ml_api.schemas import FlightFeatures


@pytest.fixture(scope="module")
def service(model_dir: Path):
    from week05_ml_api.predictor import PredictionService

    svc = PredictionService()
    svc.store.load(model_dir)
    return svc


@pytest.fixture(scope="module")
def channel(service) -> Iterator[grpc.Channel]:
    from week05_ml_api.grpc_service import start_server

    server, port = start_server(service, "127.0.0.1:0", max_batch=50, workers=4)
    with grpc.insecure_channel(f"127.0.0.1:{port}") as chan:
        yield chan
    server.stop(grace=None)


@pytest.fixture
def stub(channel) -> delay_pb2_grpc.DelayModelStub:
    return delay_pb2_grpc.DelayModelStub(channel)


def _flight(row: dict) -> delay_pb2.Flight:
    return delay_pb2.Flight(**{k: v for k, v in row.items() if v is not None})


def test_proto_fields_are_the_rest_schema(service):
    proto_fields = [f.name for f in delay_pb2.Flight.DESCRIPTOR.fields]
    assert proto_fields == list(FlightFeatures.model_fields), (
        "delay.proto's Flight and schemas.FlightFeatures must list the same fields in order"
    )


def test_health_rpc_and_standard_health(stub, channel, service):
    reply = stub.Health(delay_pb2.HealthRequest())
    assert reply.status == "ready"
    assert reply.model_version == service.store.require().version
    standard = health_pb2_grpc.HealthStub(channel)
    for name in ("", "week05.delay.v1.DelayModel"):
        answer = standard.Check(health_pb2.HealthCheckRequest(service=name))
        assert answer.status == health_pb2.HealthCheckResponse.SERVING


def test_predict_equals_rest_core(stub, service, rows):
    reply = stub.Predict(delay_pb2.PredictRequest(flight=_flight(rows[0])))
    expected = service.predict_one(FlightFeatures.model_validate(rows[0]))
    assert reply.model_version == expected.model_version
    assert reply.probability == pytest.approx(expected.probability, abs=1e-12)
    assert reply.delayed == expected.delayed


def test_batch_predict_in_order(stub, rows):
    reply = stub.BatchPredict(
        delay_pb2.BatchPredictRequest(flights=[_flight(r) for r in rows[:10]])
    )
    singles = [
        stub.Predict(delay_pb2.PredictRequest(flight=_flight(r))).probability for r in rows[:10]
    ]
    assert [p.probability for p in reply.predictions] == pytest.approx(singles, abs=1e-6)
    assert reply.model_version


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param({"dep_hour": 25}, "dep_hour: less_than_equal", id="hour-25"),
        pytest.param({"origin": "BOS"}, "origin: literal_error", id="origin"),
        pytest.param({"carrier": None}, "carrier: missing", id="missing-carrier"),
    ],
)
def test_bad_input_is_invalid_argument_naming_the_field(stub, rows, change, expected):
    with pytest.raises(grpc.RpcError) as caught:
        stub.Predict(delay_pb2.PredictRequest(flight=_flight({**rows[0], **change})))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert expected in caught.value.details()


def test_batch_errors_and_cap(stub, rows):
    with pytest.raises(grpc.RpcError) as caught:
        stub.BatchPredict(
            delay_pb2.BatchPredictRequest(
                flights=[_flight(rows[0]), _flight({**rows[1], "dep_hour": 30})]
            )
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "flights[1].dep_hour" in caught.value.details()
    with pytest.raises(grpc.RpcError) as too_many:
        stub.BatchPredict(delay_pb2.BatchPredictRequest(flights=[_flight(r) for r in rows[:51]]))
    assert too_many.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "51" in too_many.value.details()
    with pytest.raises(grpc.RpcError) as empty:
        stub.BatchPredict(delay_pb2.BatchPredictRequest())
    assert empty.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as no_flight:
        stub.Predict(delay_pb2.PredictRequest())
    assert no_flight.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_not_ready_is_unavailable_then_serving_once_loaded(model_dir, rows):
    from week05_ml_api.grpc_service import start_server
    from week05_ml_api.predictor import PredictionService

    service = PredictionService()
    server, port = start_server(service, "127.0.0.1:0")
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as chan:
            stub = delay_pb2_grpc.DelayModelStub(chan)
            assert stub.Health(delay_pb2.HealthRequest()).status == "loading"
            with pytest.raises(grpc.RpcError) as caught:
                stub.Predict(delay_pb2.PredictRequest(flight=delay_pb2.Flight(carrier="B6")))
            # validation happens before the model is needed: fix the request first
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            standard = health_pb2_grpc.HealthStub(chan)
            status = standard.Check(health_pb2.HealthCheckRequest(service="")).status
            assert status == health_pb2.HealthCheckResponse.NOT_SERVING
            with pytest.raises(grpc.RpcError) as unavailable:
                stub.Predict(delay_pb2.PredictRequest(flight=_flight(rows[0])))
            assert unavailable.value.code() == grpc.StatusCode.UNAVAILABLE
            service.store.load(model_dir)
            status = standard.Check(health_pb2.HealthCheckRequest(service="")).status
            assert status == health_pb2.HealthCheckResponse.SERVING
            assert stub.Predict(delay_pb2.PredictRequest(flight=_flight(rows[0]))).probability
    finally:
        server.stop(grace=None)


def test_regenerating_the_stubs_gives_the_committed_files(tmp_path):
    """The README's command (grpcio-tools' protoc, the include root above the package so the
    stubs import ``from week05_ml_api import delay_pb2``) writes the committed files again."""
    from grpc_tools import protoc

    import week05_ml_api

    package = Path(week05_ml_api.__file__).parent
    out = f"{tmp_path}"
    args = [f"-I{package.parent}", f"--python_out={out}", f"--pyi_out={out}"]
    args += [f"--grpc_python_out={out}", f"{package.name}/delay.proto"]
    assert protoc.main(["protoc", *args]) == 0
    for name in ("delay_pb2.py", "delay_pb2.pyi", "delay_pb2_grpc.py"):
        fresh = (tmp_path / package.name / name).read_bytes()
        assert fresh == (package / name).read_bytes(), (
            f"{name} differs from a fresh generation: run the README's protoc command"
        )
