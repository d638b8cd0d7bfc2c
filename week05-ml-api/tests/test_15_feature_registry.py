"""The request schema and the gRPC contract agree with week03's feature registry: the same
features in the same order, and each number's range and each code's pattern as declared there
(which week01's validation also reads). A field whose rule is written a second time would drift."""

from __future__ import annotations

from week03_ml.features import BY_NAME, FEATURES
from week05_ml_api import delay_pb2
from week05_ml_api.schemas import FlightFeatures


def test_request_fields_are_the_models_features_in_order() -> None:
    assert list(FlightFeatures.model_fields) == FEATURES


def test_grpc_flight_has_the_same_fields_in_the_same_order() -> None:
    fields = [f.name for f in delay_pb2.Flight.DESCRIPTOR.fields]
    assert fields == FEATURES, "regenerate delay.proto's Flight from the registry's features"


def test_every_rule_is_the_registrys() -> None:
    schema = FlightFeatures.model_json_schema()["properties"]
    for name in FEATURES:
        declared = BY_NAME[name]
        prop = schema[name]
        options = prop.get("anyOf", [prop])
        rule = next((o for o in options if o.get("type") != "null"), prop)
        if declared.valid is not None:
            assert (rule.get("minimum"), rule.get("maximum")) == declared.valid, name
        if declared.pattern is not None:
            assert rule.get("pattern") == declared.pattern, name
