"""Exercise 1: a 422 (and a gRPC INVALID_ARGUMENT) that names the field and the rule."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from week05_ml_api.schemas import BatchRequest, FlightFeatures


def _error(loc: tuple, kind: str = "missing", msg: str = "Field required", **extra) -> dict:
    return {"loc": loc, "type": kind, "msg": msg, **extra}


@pytest.mark.exercise("error_details")
@pytest.mark.points(1)
@pytest.mark.hint("drop 'body'/'query' first; write integers as [i] glued to the name before")
@pytest.mark.parametrize(
    ("loc", "field"),
    [
        pytest.param(("body", "dep_hour"), "dep_hour", id="body-field"),
        pytest.param(("body", "flights", 3, "dep_hour"), "flights[3].dep_hour", id="batch-row"),
        pytest.param(("body",), "", id="whole-body"),
        pytest.param(("query", "limit"), "limit", id="query"),
        pytest.param(("flights", 0, "origin"), "flights[0].origin", id="no-source"),
        pytest.param((), "", id="model-level-empty-loc"),
        pytest.param(("body", "matrix", 2, 0), "matrix[2][0]", id="nested-indices"),
    ],
)
def test_field_names(errors, loc, field):
    got = errors.error_details([_error(loc)])
    assert len(got) == 1, f"one error in, one detail out; got {len(got)}"
    assert got[0]["field"] == field, (
        f"loc {loc} should name the field {field!r}, got {got[0]['field']!r}: a caller fixing "
        "row 3 of a batch needs the index, and 'body' is not part of any field's name"
    )


@pytest.mark.exercise("error_details")
@pytest.mark.points(2)
@pytest.mark.hint(
    "rule, message and input are the error's own type, msg and input, copied unchanged "
    "(not the ctx, not a reworded message)"
)
def test_rule_message_and_input_from_real_errors(errors, rows):
    bad = {**rows[0], "dep_hour": 25}
    with pytest.raises(ValidationError) as caught:
        FlightFeatures.model_validate(bad)
    got = errors.error_details(caught.value.errors())
    assert got == [
        {
            "field": "dep_hour",
            "rule": "less_than_equal",
            "message": "Input should be less than or equal to 23",
            "input": 25,
        }
    ], f"dep_hour=25 should say field dep_hour, rule less_than_equal and the input; got {got}"


@pytest.mark.exercise("error_details")
@pytest.mark.points(1)
@pytest.mark.hint("keep every error, in pydantic's order; missing keys (no 'input') -> None")
def test_every_error_kept_in_order(errors, rows):
    bad = {"flights": [rows[0], {**rows[1], "origin": "BOS", "carier": "B6"}]}
    with pytest.raises(ValidationError) as caught:
        BatchRequest.model_validate(bad)
    got = errors.error_details(caught.value.errors())
    fields = [d["field"] for d in got]
    assert fields == ["flights[1].origin", "flights[1].carier"], (
        f"expected the bad origin then the misspelt field of row 1, got {fields}"
    )
    assert errors.error_details([{"loc": ("x",), "type": "t", "msg": "m"}])[0]["input"] is None
