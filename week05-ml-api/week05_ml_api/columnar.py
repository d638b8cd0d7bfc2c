"""The columnar batch body: ``{"columns": [...], "data": [[...], ...]}``, validated per column.

A batch of 1,000 flights as a list of JSON objects repeats the 30 field names in every row
(738 kB); parsing it costs more than predicting it. The columnar body (pandas'
``to_dict(orient="split")``, mlflow's ``dataframe_split``) names each feature once (297 kB).
It is parsed by orjson into plain Python lists (~0.8 ms for 1,000 rows; pydantic-core's
parser takes ~1.8 ms and ``json.loads`` ~6 ms), transposed into one tuple per column, and
each column is checked as a whole: a ``set`` of the value types, NumPy comparisons for the
ranges, a pattern test per *distinct* string. The rules are read from
:class:`~week05_ml_api.schemas.FlightFeatures`' field metadata (:class:`ColumnRule`), never
restated here.

Only the cells that fail those fast checks go through pydantic (the field's own annotation and
constraints, JSON mode): a cell pydantic accepts after all (``4.0`` for an integer, as in the
row form) takes pydantic's value, and a cell it refuses gets pydantic's error, at
``("body", "data", row, field)``, so the 422 reads like the row form's
(``data[17].distance``, ``less_than_equal``, ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

import numpy as np
import orjson
from pydantic import ConfigDict, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import from_json

from week05_ml_api.batch import check_batch_size
from week05_ml_api.errors import error_details
from week05_ml_api.exceptions import InvalidInput
from week05_ml_api.schemas import EXAMPLE, FEATURES, FlightFeatures, whole_number

#: What a body must contain to be read as columnar (see :func:`parse_columns`).
MARKER = b'"columns"'

Error = dict[str, Any]


@dataclass(frozen=True)
class ColumnRule:
    """One field's type and constraints, read from its pydantic ``FieldInfo``."""

    name: str
    kind: type  # str, int or float
    nullable: bool
    choices: frozenset[Any] | None  # a Literal's values
    bounds: tuple[tuple[str, float], ...]  # ("ge" | "gt" | "le" | "lt", limit)
    pattern: re.Pattern[str] | None
    min_length: int | None
    max_length: int | None
    exact: bool  # False: a constraint this module does not know; every cell goes to pydantic
    adapter: TypeAdapter[Any]

    @classmethod
    def from_field(cls, name: str, info: FieldInfo) -> ColumnRule:
        annotation = info.annotation
        args = get_args(annotation)
        nullable = get_origin(annotation) in (Union, UnionType) and NoneType in args
        if nullable:
            (annotation,) = [a for a in args if a is not NoneType]
        choices = None
        if get_origin(annotation) is Literal:
            choices = frozenset(get_args(annotation))
            kind: Any = str if all(isinstance(c, str) for c in choices) else object
        else:
            kind = annotation
        exact = kind in (str, int, float)
        bounds: list[tuple[str, float]] = []
        pattern, min_length, max_length = None, None, None
        for item in info.metadata:
            known = False
            for op in ("ge", "gt", "le", "lt"):
                if getattr(item, op, None) is not None:
                    bounds.append((op, float(getattr(item, op))))
                    known = True
            if getattr(item, "pattern", None) is not None:
                pattern, known = re.compile(item.pattern), True
            if getattr(item, "min_length", None) is not None:
                min_length, known = item.min_length, True
            if getattr(item, "max_length", None) is not None:
                max_length, known = item.max_length, True
            if getattr(item, "func", None) is whole_number:  # 7.0 for 7: the suspects' path
                known = True
            exact = exact and known
        config = ConfigDict(
            allow_inf_nan=FlightFeatures.model_config.get("allow_inf_nan", True),
            strict=FlightFeatures.model_config.get("strict", False),
        )
        adapter: TypeAdapter[Any] = TypeAdapter(info.rebuild_annotation(), config=config)
        return cls(
            name,
            kind,
            nullable,
            choices,
            tuple(bounds),
            pattern,
            min_length,
            max_length,
            exact,
            adapter,
        )

    def _string_ok(self, value: str) -> bool:
        return (
            (self.choices is None or value in self.choices)
            and (self.pattern is None or self.pattern.search(value) is not None)
            and (self.min_length is None or len(value) >= self.min_length)
            and (self.max_length is None or len(value) <= self.max_length)
        )

    def _suspects_strings(self, values: Sequence[Any]) -> list[int]:
        """Rows whose value is not a valid string (or an allowed ``None``)."""
        types = set(map(type, values))
        allowed = {str, NoneType} if self.nullable else {str}
        if types <= allowed:  # all hashable: test each distinct value once
            distinct = set(values)
            distinct.discard(None)
            if all(self._string_ok(v) for v in distinct):
                return []
        good: set[Any] = {v for v in values if type(v) is str and self._string_ok(v)}
        if self.nullable:
            good.add(None)
        return [
            i for i, v in enumerate(values) if not ((v is None or type(v) is str) and v in good)
        ]

    def _suspects_numbers(self, values: Sequence[Any]) -> tuple[np.ndarray, list[int]]:
        """``(column as float64 with NaN for None, rows failing a fast check)``."""
        n = len(values)
        allowed: set[type] = {int} if self.kind is int else {int, float}
        if self.nullable:
            allowed.add(NoneType)
        clean: Sequence[Any] = values
        wrong_type: list[int] = []
        if not set(map(type, values)) <= allowed:  # bools, strings, lists...: those cells
            wrong_type = [i for i, v in enumerate(values) if type(v) not in allowed]
            clean = list(values)
            for i in wrong_type:
                clean[i] = None
        try:
            column = np.array(clean, dtype=np.float64).reshape(n)
        except (OverflowError, ValueError, TypeError):  # e.g. an integer beyond float64
            return np.full(n, np.nan), list(range(n))
        ok = np.isfinite(column)  # False for None, NaN, infinities
        for compare, limit in self._compare:
            ok &= compare(column, limit)
        if ok.all() and not wrong_type:
            return column, []
        bad = set(wrong_type)
        bad.update(i for i in np.flatnonzero(~ok).tolist() if values[i] is not None)
        return column, sorted(bad)

    @property
    def _compare(self) -> list[tuple[np.ufunc, float]]:
        ufuncs = {"ge": np.greater_equal, "gt": np.greater, "le": np.less_equal, "lt": np.less}
        return [(ufuncs[op], limit) for op, limit in self.bounds]

    def check(self, values: Sequence[Any], errors: list[Error]) -> Any:
        """The column's validated values (float64 array for numbers, list for strings); each
        refused cell appends pydantic's error for it to ``errors``."""
        numeric = self.exact and self.kind in (int, float) and self.choices is None
        column: Any
        if numeric:
            column, suspects = self._suspects_numbers(values)
        elif self.exact and self.kind is str:
            column, suspects = list(values), self._suspects_strings(values)
        else:
            column, suspects = list(values), list(range(len(values)))
        for row in suspects:
            try:
                value = self.adapter.validate_json(json.dumps(values[row]))
            except ValidationError as exc:
                errors.extend(
                    {**e, "loc": ("body", "data", row, self.name, *e["loc"])}
                    for e in exc.errors(include_url=False)
                )
                continue
            except RecursionError:  # a cell of lists ~1,000 deep (orjson reads up to 1,024)
                errors.append(
                    _error(
                        ("data", row, self.name),
                        "json_invalid",
                        "Input is nested too deeply",
                        "[[[...]]]",
                    )
                )
                continue
            except (TypeError, ValueError):  # not JSON-serialisable: cannot come from JSON
                value = values[row]
            column[row] = (np.nan if value is None else value) if numeric else value
        return column


#: One rule per request field, in FlightFeatures' order.
RULES: dict[str, ColumnRule] = {
    name: ColumnRule.from_field(name, info) for name, info in FlightFeatures.model_fields.items()
}


@dataclass(frozen=True)
class Columns:
    """A validated columnar batch: ``values[feature]`` holds ``size`` values (float64 arrays
    with NaN for null numbers, lists of ``str | None`` for strings)."""

    values: dict[str, Any]
    size: int


def _error(loc: tuple[Any, ...], kind: str, msg: str, value: Any) -> Error:
    return {"loc": ("body", *loc), "type": kind, "msg": msg, "input": value}


ORDER = f": the columns are every feature once, in this order: {', '.join(FEATURES)}"


def _check_columns(columns: Any) -> list[Error]:
    """``columns`` must be every feature once, in :data:`FEATURES`' order: the one order the
    OpenAPI document can describe cell by cell (``prefixItems``), so a body the document
    allows is a body the server accepts."""
    if columns == list(FEATURES):
        return []
    if not isinstance(columns, list):
        return [_error(("columns",), "list_type", "Input should be a valid list", columns)]
    for j, (name, expected) in enumerate(zip(columns, FEATURES, strict=False)):
        if name != expected:
            rule = "column_order" if name in FEATURES else "unknown_column"
            message = f"column {j} is {name!r}, should be {expected!r}{ORDER}"
            return [_error(("columns", j), rule, message, name)]
    if len(columns) > len(FEATURES):
        extra = columns[len(FEATURES)]
        return [
            _error(
                ("columns", len(FEATURES)),
                "extra_column",
                f"no column after the last{ORDER}",
                extra,
            )
        ]
    return [
        _error(
            ("columns",),
            "missing_column",
            f"column {FEATURES[len(columns)]!r} and those after it are missing{ORDER}",
            columns,
        )
    ]


def _check_rows(data: list[Any], width: int) -> list[Error]:
    errors = []
    for i, row in enumerate(data):
        if not isinstance(row, list):
            errors.append(_error(("data", i), "list_type", "Input should be a valid list", row))
        elif len(row) != width:
            errors.append(
                _error(
                    ("data", i),
                    "row_length",
                    f"Row should have {width} values, one per column, got {len(row)}",
                    row,
                )
            )
    return errors


def _load_json(body: bytes) -> Any:
    """The body as Python objects. orjson reads strict JSON only; what it refuses (``NaN`` /
    ``Infinity`` literals, numbers beyond a double, broken JSON) is read again by pydantic-core,
    which reads it as the row form does: NaN and Infinity become cells refused with
    ``finite_number``, broken JSON a ``json_invalid`` 422. (orjson reads integers beyond 64
    bits as floats: such a cell is still refused, by its range, with the float as input.)"""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        return from_json(body, allow_inf_nan=True)
    except ValueError as exc:
        raise InvalidInput(
            error_details([_error((), "json_invalid", f"Invalid JSON: {exc}", None)])
        ) from exc


def parse_columns(body: bytes, cap: int) -> Columns | None:
    """Parse and validate a columnar batch body; ``None`` when ``body`` is the row form.

    Raises :class:`~week05_ml_api.exceptions.InvalidInput` for a bad body and
    :class:`~week05_ml_api.exceptions.BatchTooLarge` for more than ``cap`` rows. A JSON object
    with a ``"flights"`` key, or anything but an object, is left to the row form's validation
    (``None``).
    """
    payload = _load_json(body)
    if not isinstance(payload, dict) or "flights" in payload:
        return None
    errors = [
        _error((key,), "extra_forbidden", "Extra inputs are not permitted", payload[key])
        for key in payload
        if key not in ("columns", "data")
    ]
    errors += [
        _error((key,), "missing", "Field required", None)
        for key in ("columns", "data")
        if key not in payload
    ]
    if errors:
        raise InvalidInput(error_details(errors))
    columns, data = payload["columns"], payload["data"]
    errors = _check_columns(columns)
    if not isinstance(data, list):
        errors.append(_error(("data",), "list_type", "Input should be a valid list", data))
    else:
        if not data:
            errors.append(
                _error(
                    ("data",),
                    "too_short",
                    "List should have at least 1 item after validation, not 0",
                    data,
                )
            )
        check_batch_size(len(data), cap)
        if not errors:
            errors = _check_rows(data, len(columns))
    if errors:
        raise InvalidInput(error_details(errors))
    cells: list[Error] = []
    values = {
        name: RULES[name].check(column, cells)
        for name, column in zip(columns, zip(*data, strict=True), strict=True)
    }
    if cells:
        order = {name: j for j, name in enumerate(FEATURES)}
        cells.sort(key=lambda e: (e["loc"][2], order[e["loc"][3]]))
        raise InvalidInput(error_details(cells))
    return Columns(values, len(data))


def body_schema(cap: int) -> dict[str, Any]:
    """The JSON schema of the columnar body, cell by cell: ``columns`` is the one list
    :data:`FEATURES`, and the ``j``-th value of every row follows feature ``j``'s rules
    (``prefixItems``), at most ``cap`` rows. Refs point at the OpenAPI components."""
    properties = FlightFeatures.model_json_schema(ref_template="#/components/schemas/{model}")[
        "properties"
    ]
    return {
        "title": "BatchColumns",
        "type": "object",
        "description": "Many flights, column-wise (pandas' to_dict(orient='split') of the "
        "features in this order): each feature named once, then one list of values per flight.",
        "additionalProperties": False,
        "required": ["columns", "data"],
        "properties": {
            "columns": {"const": list(FEATURES), "description": "the features, in this order"},
            "data": {
                "type": "array",
                "minItems": 1,
                "maxItems": cap,
                "items": {
                    "type": "array",
                    "prefixItems": [properties[name] for name in FEATURES],
                    "minItems": len(FEATURES),
                    "maxItems": len(FEATURES),
                    "items": False,
                },
            },
        },
        "examples": [{"columns": list(FEATURES), "data": [[EXAMPLE[f] for f in FEATURES]]}],
    }
