"""The two forms of POST /predict/batch's body, both validated by pydantic from the raw bytes
(``schemas.parse_batch``): the same answers, the same rules and the same 422 shape for the
columnar form as for the row form."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient

from week05_ml_api.schemas import FEATURES


def columnar(rows: list[dict[str, Any]], columns: list[str] | None = None) -> dict[str, Any]:
    columns = list(FEATURES) if columns is None else columns
    return {"columns": columns, "data": [[row.get(c) for c in columns] for row in rows]}


def shuffled_features() -> list[str]:
    columns = list(FEATURES)
    random.Random(12).shuffle(columns)
    return columns


def test_same_probabilities_as_the_row_form(client, rows):
    sample = rows[:50]
    by_rows = client.post("/predict/batch", json={"flights": sample})
    by_columns = client.post("/predict/batch", json=columnar(sample))
    assert by_rows.status_code == 200 and by_columns.status_code == 200, by_columns.text
    a, b = by_rows.json(), by_columns.json()
    assert b["count"] == 50 and b["model_version"] == a["model_version"]
    assert b["threshold"] == a["threshold"]
    assert [p["probability"] for p in b["predictions"]] == pytest.approx(
        [p["probability"] for p in a["predictions"]], abs=1e-9, rel=0
    )
    assert [p["delayed"] for p in b["predictions"]] == [p["delayed"] for p in a["predictions"]]


def test_small_batches_take_the_same_path_as_rows(client, rows):
    for size in (1, 3):
        a = client.post("/predict/batch", json={"flights": rows[:size]}).json()
        b = client.post("/predict/batch", json=columnar(rows[:size])).json()
        assert [p["probability"] for p in b["predictions"]] == pytest.approx(
            [p["probability"] for p in a["predictions"]], abs=1e-9, rel=0
        )


def test_numbers_are_strict_like_the_row_form(client, rows):
    row = {**rows[0], "dep_hour": 7.0, "day_of_week": "3", "temp": "21.5", "wind_gust": None}
    a = client.post("/predict/batch", json={"flights": [row]})
    b = client.post("/predict/batch", json=columnar([row]))
    assert a.status_code == 422 and b.status_code == 422, b.text
    as_rows = [(d["field"].replace("flights", "data"), d["rule"]) for d in a.json()["detail"]]
    assert as_rows == [(d["field"], d["rule"]) for d in b.json()["detail"]]
    assert {d["rule"] for d in b.json()["detail"]} == {"int_type", "float_type"}


def test_columns_in_another_order_are_422_naming_each_misplaced(client, rows):
    columns = shuffled_features()
    response = client.post("/predict/batch", json=columnar(rows[:2], columns))
    assert response.status_code == 422
    misplaced = [j for j, (a, b) in enumerate(zip(columns, FEATURES, strict=True)) if a != b]
    detail = [d for d in response.json()["detail"] if d["field"].startswith("columns")]
    assert [d["field"] for d in detail] == [f"columns[{j}]" for j in misplaced], detail
    assert {d["rule"] for d in detail} == {"literal_error"}
    assert FEATURES[misplaced[0]] in detail[0]["message"], "say which column belongs there"


@pytest.mark.parametrize(
    ("columns", "rule", "field"),
    [
        pytest.param([*FEATURES[:-1], "dep_hr"], "literal_error", "columns[29]", id="unknown"),
        pytest.param(list(FEATURES[:-1]), "missing", "columns[29]", id="missing"),
        pytest.param([*FEATURES, "carrier"], "too_long", "columns", id="duplicate"),
    ],
)
def test_wrong_columns_are_422_naming_them(client, rows, columns, rule, field):
    body = {"columns": columns, "data": [[rows[0].get(c) for c in FEATURES]]}
    response = client.post("/predict/batch", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(d["rule"] == rule and d["field"] == field for d in detail), detail


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        pytest.param("distance", 0, "greater_than_equal", id="out-of-range-ge"),
        pytest.param("dep_hour", 25, "less_than_equal", id="out-of-range-le"),
        pytest.param("humid", 101.5, "less_than_equal", id="optional-out-of-range"),
        pytest.param("dep_hour", 4.5, "int_type", id="fractional-int"),
        pytest.param("temp", "warm", "float_type", id="wrong-type-number"),
        pytest.param("distance", None, "float_type", id="null-required"),
        pytest.param("carrier", 6, "string_type", id="wrong-type-string"),
        pytest.param("carrier", "b6", "string_pattern_mismatch", id="pattern"),
        pytest.param("origin", "BOS", "literal_error", id="literal"),
        pytest.param("plane_engine", "", "string_too_short", id="too-short"),
        pytest.param("wind_dir", [1], "float_type", id="nested"),
    ],
)
def test_bad_cell_is_422_like_the_row_form(client, rows, field, value, rule):
    sample = rows[:20]
    bad = [dict(r) for r in sample]
    bad[17][field] = value
    response = client.post("/predict/batch", json=columnar(bad))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail == [
        {
            "field": f"data[17].{field}",
            "rule": rule,
            "message": detail[0]["message"],
            "input": value,
        }
    ], detail
    as_rows = client.post("/predict/batch", json={"flights": bad}).json()["detail"]
    assert [(d["field"].replace("flights", "data"), d["rule"], d["message"]) for d in as_rows] == [
        (d["field"], d["rule"], d["message"]) for d in detail
    ]


def test_many_bad_cells_are_all_named_in_row_order(client, rows):
    bad = [dict(r) for r in rows[:10]]
    bad[2]["dep_hour"], bad[2]["carrier"], bad[7]["humid"] = -1, "x", 200
    detail = client.post("/predict/batch", json=columnar(bad)).json()["detail"]
    assert [d["field"] for d in detail] == ["data[2].carrier", "data[2].dep_hour", "data[7].humid"]


@pytest.mark.parametrize("value", [float("nan"), float("inf")], ids=["nan", "infinity"])
def test_nan_and_infinity_are_refused(client, rows, value):
    body = columnar(rows[:3])
    body["data"][1][body["columns"].index("temp")] = value
    raw = json.dumps(body)  # NaN / Infinity literals, which json.loads accepts
    response = client.post(
        "/predict/batch", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "data[1].temp"
    assert response.json()["detail"][0]["rule"] == "finite_number"
    as_rows = {"flights": [dict(zip(body["columns"], r, strict=True)) for r in body["data"]]}
    response = client.post(
        "/predict/batch", content=json.dumps(as_rows), headers={"content-type": "application/json"}
    )
    assert response.status_code == 422  # not a 500: the rejected NaN is echoed as a string
    assert response.json()["detail"][0]["field"] == "flights[1].temp"


@pytest.mark.parametrize("text", ["flights", "columns"])
def test_a_cell_holding_a_key_name_does_not_confuse_the_forms(client, rows, text):
    sample = [{**rows[0], "plane_engine": text}, rows[1]]
    body = {"data": columnar(sample)["data"], "columns": list(FEATURES)}  # data first
    response = client.post("/predict/batch", json=body)
    assert response.status_code == 200, response.text
    as_rows = client.post("/predict/batch", json={"flights": sample})
    assert as_rows.status_code == 200, as_rows.text
    assert response.json() == as_rows.json()


@pytest.mark.parametrize(
    ("mangle", "field", "rule"),
    [
        pytest.param("short", "data[3].past_rate_all_1d", "missing", id="short"),
        pytest.param("long", "data[3]", "too_long", id="long"),
        pytest.param("not-a-list", "data[3]", "tuple_type", id="not-a-list"),
    ],
)
def test_ragged_row_is_422_naming_the_row(client, rows, mangle, field, rule):
    body = columnar(rows[:5])
    body["data"][3] = {
        "short": body["data"][3][:-1],
        "long": [*body["data"][3], 1.0],
        "not-a-list": {"carrier": "B6"},
    }[mangle]
    response = client.post("/predict/batch", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert (detail[0]["field"], detail[0]["rule"]) == (field, rule), detail


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        pytest.param({"columns": list(FEATURES)}, "data", "missing", id="no-data"),
        pytest.param({"columns": list(FEATURES), "data": []}, "data", "too_short", id="empty"),
        pytest.param(
            {"columns": list(FEATURES), "data": [], "x": 1}, "x", "extra_forbidden", id="extra-key"
        ),
        pytest.param({"columns": "carrier", "data": [[1]]}, "columns", "tuple_type", id="columns"),
        pytest.param({"columns": list(FEATURES), "data": 3}, "data", "list_type", id="data"),
    ],
)
def test_malformed_body_is_422(client, body, field, rule):
    response = client.post("/predict/batch", json=body)
    assert response.status_code == 422
    assert {"field": field, "rule": rule} in [
        {"field": d["field"], "rule": d["rule"]} for d in response.json()["detail"]
    ]


def test_invalid_json_is_422(client):
    response = client.post(
        "/predict/batch", content=b'{"columns": [', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["rule"] == "json_invalid"


def test_cap_is_413_and_cap_itself_is_fine(client, rows, settings):
    at_cap = client.post("/predict/batch", json=columnar(rows[: settings.max_batch]))
    assert at_cap.status_code == 200
    assert at_cap.json()["count"] == settings.max_batch
    over = client.post("/predict/batch", json=columnar(rows[: settings.max_batch + 1]))
    assert over.status_code == 413
    assert str(settings.max_batch) in over.json()["detail"]


def test_unknown_category_is_missing_and_reported_like_rows(client, rows):
    sample = [
        rows[0],
        {**rows[1], "carrier": "ZZ"},
        {**rows[2], "dest": "QQQ", "plane_engine": "Steam"},
    ]
    a = client.post("/predict/batch", json={"flights": sample}).json()
    b = client.post("/predict/batch", json=columnar(sample)).json()
    assert [p["unknown_categories"] for p in b["predictions"]] == [
        p["unknown_categories"] for p in a["predictions"]
    ]
    assert b["predictions"][1]["unknown_categories"] == ["carrier"]
    assert [p["probability"] for p in b["predictions"]] == pytest.approx(
        [p["probability"] for p in a["predictions"]], abs=1e-9, rel=0
    )


def test_unknown_category_rejected_under_reject_policy(settings, rows):
    from week05_ml_api.app import create_app

    strict = settings.model_copy(update={"unknown_categories": "reject"})
    with TestClient(create_app(strict)) as client:
        response = client.post(
            "/predict/batch", json=columnar([rows[0], {**rows[0], "dest": "QQQ"}])
        )
        assert response.status_code == 422
        assert response.json()["detail"] == [
            {
                "field": "data[1].dest",
                "rule": "unknown_category",
                "message": "the model never saw dest 'QQQ' in training",
                "input": "QQQ",
            }
        ]


def test_rows_mentioning_columns_still_use_the_row_form(client, rows):
    row = {**rows[0], "plane_engine": '"columns"'}
    response = client.post("/predict/batch", json={"flights": [row]})
    assert response.status_code == 200, response.text


def test_pipeline_path_gives_the_same_answers(settings, rows):
    from week05_ml_api.app import create_app

    slow = settings.model_copy(update={"fast_path": False})
    sample = rows[:30]
    with TestClient(create_app(slow)) as client:
        assert client.get("/model").json()["fast_path"] is False
        a = client.post("/predict/batch", json={"flights": sample}).json()
        b = client.post("/predict/batch", json=columnar(sample)).json()
    assert [p["probability"] for p in b["predictions"]] == pytest.approx(
        [p["probability"] for p in a["predictions"]], abs=1e-9, rel=0
    )


def test_openapi_describes_both_bodies(client):
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/predict/batch"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    shapes = body["oneOf"]
    assert {tuple(sorted(s["required"])) for s in shapes} == {("flights",), ("columns", "data")}
    columns = next(s for s in shapes if "columns" in s["properties"])
    names = columns["properties"]["columns"]["prefixItems"]
    assert [n["const"] for n in names] == list(FEATURES)
    cells = columns["properties"]["data"]["items"]["prefixItems"]
    flight = schema["components"]["schemas"]["FlightFeatures"]["properties"]
    rules = ("pattern", "minimum", "maximum", "enum", "anyOf", "type", "minLength", "maxLength")
    for name, cell in zip(FEATURES, cells, strict=True):
        declared = {k: v for k, v in flight[name].items() if k in rules}
        assert {k: v for k, v in cell.items() if k in rules} == declared, name
    assert columns["properties"]["data"]["maxItems"] == 50, "the app's own cap"
    example = columns["examples"][0]
    assert client.post("/predict/batch", json=example).status_code == 200


@pytest.mark.parametrize(
    "literal",
    ["18446744073709551616", "1e400", "-Infinity"],
    ids=["beyond-64-bits", "overflows-double", "minus-infinity"],
)
def test_extreme_numbers_are_named(client, rows, literal):
    body = columnar(rows[:2])
    column = body["columns"].index("dep_hour")
    body["data"][1][column] = "LITERAL"  # replaced by the literal, as raw JSON
    raw = json.dumps(body).replace('"LITERAL"', literal)
    response = client.post(
        "/predict/batch", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    (detail,) = response.json()["detail"]
    assert detail["field"] == "data[1].dep_hour", detail


def test_the_batch_answer_written_by_hand_is_the_schema_answer():
    from week05_ml_api.predictor import BatchResult
    from week05_ml_api.schemas import BatchPrediction

    result = BatchResult("abc123def456", 0.3, [0.1, 0.3, 0.95], [(), ("carrier",), ()])
    written = BatchPrediction.model_validate_json(result.to_json())
    assert (written.model_version, written.threshold, written.count) == ("abc123def456", 0.3, 3)
    assert [p.probability for p in written.predictions] == [0.1, 0.3, 0.95]
    assert [p.delayed for p in written.predictions] == [False, True, True], (
        "delayed means probability >= threshold"
    )
    assert written.predictions[1].unknown_categories == ["carrier"]


@pytest.mark.parametrize("depth", [300, 1020], ids=["deep", "deeper"])
def test_a_deeply_nested_cell_is_a_422_not_a_500(client, rows, depth):
    body = columnar(rows[:2])
    body["data"][0][body["columns"].index("temp")] = "LITERAL"
    raw = json.dumps(body).replace('"LITERAL"', "[" * depth + "]" * depth)
    response = client.post(
        "/predict/batch", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text[:300]
    assert response.json()["detail"][0]["rule"] == "json_invalid"


def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    """A 50 MB string in one field: 413 from its Content-Length, nothing parsed or echoed."""
    from week05_ml_api.limits import body_limit

    cap = client.app.state.settings.max_batch
    huge = b'{"flights": [{"carrier": "' + b"U" * 50_000_000 + b'"}]}'
    answer = client.post(
        "/predict/batch", content=huge, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413, answer.text[:200]
    assert f"{body_limit(cap):,} bytes" in answer.json()["detail"]
    assert len(answer.content) < 200, "the refusal must not echo the body"


def test_a_chunked_body_is_counted_as_it_streams(client):
    """No Content-Length (chunked): refused once the bytes received pass the limit."""
    sent = []

    def chunks():
        yield b'{"flights": [{"carrier": "'
        for _ in range(40):  # 40 MiB in all, far over the limit
            sent.append(1)
            yield b"U" * (1 << 20)
        yield b'"}]}'

    answer = client.post("/predict", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413, answer.text[:200]
    assert "request body is over" in answer.json()["detail"]


def test_the_largest_batch_the_cap_allows_still_fits(rows, settings):
    from week05_ml_api.app import create_app

    small = settings.model_copy(update={"max_batch": 40})
    with TestClient(create_app(small)) as api:
        full = {"flights": (rows * 40)[:40]}
        assert api.post("/predict/batch", json=full).status_code == 200
        over = api.post("/predict/batch", json={"flights": (rows * 41)[:41]})
        assert over.status_code == 413 and "40" in over.text, "the batch cap still answers"
