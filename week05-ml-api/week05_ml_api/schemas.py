"""What the API accepts and answers: pydantic v2 models, their rules read from week 3's
feature registry (:data:`week03_ml.features.BY_NAME`), the one place a feature's valid values
are written. Bad input never reaches the model: a value outside its range, a malformed code, an
unknown or misspelt field (``extra="forbid"``) is a 422 naming the field and the rule (README,
"A request").
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from week03_ml.features import BY_NAME

#: One real flight, as a request carries it (the schema's example, the self-check at load)
EXAMPLE: dict[str, Any] = {
    "carrier": "B6",
    "origin": "JFK",
    "dest": "BOS",
    "plane_engine": "Turbo-fan",
    "day_of_week": 4,
    "dep_hour": 17,
    "distance": 187,
    "plane_year": 2006,
    "plane_seats": 100,
    "temp": 28.0,
    "dewp": 12.0,
    "humid": 50.7,
    "wind_dir": 310,
    "wind_speed": 16.1,
    "wind_gust": None,
    "precip": 0.0,
    "pressure": 1017.9,
    "visib": 10.0,
    "precip_3h": 0.0,
    "precip_6h": 0.0,
    "visib_min_3h": 10.0,
    "pressure_change_3h": 0.8,
    "wind_gust_max_3h": 24.2,
    "precip_today": 0.0,
    "past_rate_route": 0.21,
    "past_rate_carrier_28d": 0.24,
    "past_rate_origin_hour": 0.3,
    "past_rate_origin_1d": 0.18,
    "past_rate_dest_7d": 0.2,
    "past_rate_all_1d": 0.19,
}


def whole_number(value: Any) -> Any:
    """``2.0`` -> ``2``: JSON has one number type, and JSON Schema counts a number without a
    fraction as an integer. Anything else goes on to the strict check unchanged."""
    return int(value) if type(value) is float and value.is_integer() else value


#: An integer as JSON Schema means it: ``7`` or ``7.0``; never ``7.5``, ``"7"`` or ``true``.
JsonInt = Annotated[int, BeforeValidator(whole_number)]


def _declared(name: str, *, required: bool = False, **extra: Any) -> Any:
    """The field of feature ``name`` with the range or pattern week03's registry declares for
    it. An optional field defaults to ``null``, unknown: the trees' missing-value branch."""
    feature, rules = BY_NAME[name], dict(extra)
    if feature.valid is not None:
        rules.update(ge=feature.valid[0], le=feature.valid[1])
    if feature.pattern is not None:
        rules["pattern"] = feature.pattern
    if required:
        return Field(description=feature.description, **rules)
    return Field(default=None, description=f"{feature.description}; null if unknown", **rules)


class FlightFeatures(BaseModel):
    """One flight as the model sees it at scheduled departure (week 3's feature columns, with
    the ranges and patterns of week 3's feature registry)."""

    # strict: a number is a JSON number (no "4" for 4, no false for 0.0), as the schema says
    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        strict=True,
        json_schema_extra={"examples": [EXAMPLE]},
    )

    carrier: str = _declared("carrier", required=True, examples=["B6"])
    origin: Literal["JFK", "LGA", "EWR"] = _declared("origin", required=True, examples=["JFK"])
    dest: str = _declared("dest", required=True, examples=["BOS"])
    plane_engine: str | None = _declared(
        "plane_engine", min_length=1, max_length=40, examples=["Turbo-fan"]
    )
    day_of_week: JsonInt = _declared("day_of_week", required=True, examples=[4])
    dep_hour: JsonInt = _declared("dep_hour", required=True, examples=[17])
    distance: float = _declared("distance", required=True, examples=[187])
    plane_year: float | None = _declared("plane_year")
    plane_seats: float | None = _declared("plane_seats")
    temp: float | None = _declared("temp")
    dewp: float | None = _declared("dewp")
    humid: float | None = _declared("humid")
    wind_dir: float | None = _declared("wind_dir")
    wind_speed: float | None = _declared("wind_speed")
    wind_gust: float | None = _declared("wind_gust")
    precip: float | None = _declared("precip")
    pressure: float | None = _declared("pressure")
    visib: float | None = _declared("visib")
    precip_3h: float | None = _declared("precip_3h")
    precip_6h: float | None = _declared("precip_6h")
    visib_min_3h: float | None = _declared("visib_min_3h")
    pressure_change_3h: float | None = _declared("pressure_change_3h")
    wind_gust_max_3h: float | None = _declared("wind_gust_max_3h")
    precip_today: float | None = _declared("precip_today")
    past_rate_route: float | None = _declared("past_rate_route")
    past_rate_carrier_28d: float | None = _declared("past_rate_carrier_28d")
    past_rate_origin_hour: float | None = _declared("past_rate_origin_hour")
    past_rate_origin_1d: float | None = _declared("past_rate_origin_1d")
    past_rate_dest_7d: float | None = _declared("past_rate_dest_7d")
    past_rate_all_1d: float | None = _declared("past_rate_all_1d")


class BatchRequest(BaseModel):
    """Many flights in one call. The server caps the count (``WEEK05_MAX_BATCH``): beyond it the
    answer is 413, so a client splits its work into chunks of at most the cap."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"flights": [EXAMPLE]}]}
    )

    flights: list[FlightFeatures] = Field(min_length=1, description="at least one flight")


#: The request features in FlightFeatures' order: the columns of a columnar batch body.
FEATURES: tuple[str, ...] = tuple(FlightFeatures.model_fields)
#: One flight of a columnar body: value ``j`` follows feature ``j``'s own rules.
Cells = tuple[  # type: ignore[misc,valid-type]
    tuple(
        Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        for info in FlightFeatures.model_fields.values()
    )
]


class BatchColumns(BaseModel):
    """Many flights, column-wise (pandas' ``to_dict(orient="split")`` of the features in
    :data:`FEATURES`' order, mlflow's ``dataframe_split``): each feature named once, then one
    list of values per flight, a third of the row form's bytes."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [{"columns": list(FEATURES), "data": [[EXAMPLE[f] for f in FEATURES]]}]
        },
    )

    columns: tuple[tuple(Literal[name] for name in FEATURES)] = Field(  # type: ignore[valid-type]
        description="the features, in this order"
    )
    data: list[Cells] = Field(min_length=1, description="one list of values per flight")  # type: ignore[valid-type]

    def rows(self) -> list[dict[str, Any]]:
        return [dict(zip(FEATURES, cells, strict=True)) for cells in self.data]


def parse_batch(body: bytes) -> BatchRequest | BatchColumns:
    """A batch body validated by pydantic straight from its JSON bytes, in the form whose key
    (``"flights"`` or ``"columns"``) comes first; the row form when neither is there. The
    other form is tried when the first fails and the body holds its key too (a cell holding
    the text "flights", say): a valid body of either form is always accepted, an invalid one
    gets the errors of the form it meant. Raises pydantic's ``ValidationError``."""
    rows, columns = body.find(b'"flights"'), body.find(b'"columns"')
    forms: list[type[BatchRequest | BatchColumns]] = [BatchRequest, BatchColumns]
    if columns >= 0 and not 0 <= rows < columns:
        forms.reverse()
    try:
        return forms[0].model_validate_json(body)
    except ValidationError as first:
        if min(rows, columns) < 0:
            raise
        try:
            return forms[1].model_validate_json(body)
        except ValidationError:
            raise first from None


class ScheduledFlight(BaseModel):
    """A flight as its passenger knows it: the schedule only. The service looks up the rest of
    the model's features in the online store (week04), as of the flight's date."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [
                {
                    "carrier": "UA",
                    "flight": 1545,
                    "origin": "EWR",
                    "dest": "IAH",
                    "sched_dep": "2013-09-14T07:30:00",
                    "tailnum": "N14228",
                }
            ]
        },
    )

    carrier: str = _declared("carrier", required=True)
    flight: JsonInt = Field(ge=1, le=9999, strict=True, description="flight number")
    origin: Literal["JFK", "LGA", "EWR"] = _declared("origin", required=True)
    dest: str = _declared("dest", required=True)
    sched_dep: datetime = Field(
        description="scheduled departure, New York local time (an explicit offset is converted), "
        "in the years 1900-2199",
        json_schema_extra={"pattern": r"^(19|2[01])\d\d-"},
    )
    tailnum: str | None = Field(
        default=None, min_length=1, max_length=8, description="the plane's tail number, if known"
    )
    distance: float | None = _declared("distance", strict=True)

    @field_validator("sched_dep")
    @classmethod
    def _a_year_the_store_can_hold(cls, value: datetime) -> datetime:
        # pandas' timestamps end in 1677 and 2262: outside them a lookup could not even start
        if not 1900 <= value.year <= 2199:
            raise ValueError(f"the year must be between 1900 and 2199, got {value.year}")
        return value


class Prediction(BaseModel):
    """The answer for one flight; ``model_version`` says which model gave it."""

    model_version: str = Field(examples=["3f9a1c2b7d10"])
    probability: float = Field(ge=0, le=1, description="probability of arriving >15 min late")
    delayed: bool = Field(description="probability >= the model's threshold")
    threshold: float = Field(ge=0, le=1)
    unknown_categories: list[str] = Field(
        default_factory=list, description="fields whose category the model never saw"
    )


class SchedulePrediction(Prediction):
    """The answer for a schedule-only flight, with the features the store supplied."""

    features: FlightFeatures = Field(description="what the model saw, looked up as of the date")


class BatchItem(BaseModel):
    """One flight's answer inside a batch (same order as the request)."""

    probability: float = Field(ge=0, le=1)
    delayed: bool
    unknown_categories: list[str] = Field(default_factory=list)


class BatchPrediction(BaseModel):
    """The answers for a batch, in request order."""

    model_version: str
    threshold: float
    count: int
    predictions: list[BatchItem]


class ModelInfo(BaseModel):
    """What is being served: version, inputs, threshold and the data it learned from."""

    model_version: str
    model: str
    features: list[str]
    threshold: float
    training_window: list[str]
    metrics: dict[str, float]
    loaded_at: str
    fast_path: bool


class Status(BaseModel):
    """Liveness / readiness answer."""

    status: str = Field(examples=["ready"])
    model_version: str | None = None
    detail: str | None = None


class ReloadRequest(BaseModel):
    """Admin: load the model in ``model_dir`` (default: the configured folder; another folder
    must be under the model root, ``WEEK05_MODEL_ROOT``) and swap it in."""

    model_config = ConfigDict(extra="forbid")

    model_dir: str | None = Field(default=None, examples=["artifacts/week03"])


class ReloadResult(BaseModel):
    """Admin: which version was replaced by which."""

    previous_version: str | None
    model_version: str


class FieldError(BaseModel):
    """One thing wrong with a request: which field, which rule, why, and the value refused."""

    field: str = Field(examples=["flights[3].dep_hour"], description="'' for the whole body")
    rule: str = Field(examples=["less_than_equal"])
    message: str = Field(examples=["Input should be less than or equal to 23"])
    input: Any = Field(description="the refused value, as sent")


class FieldProblem(BaseModel):
    """The body of every 422 (and of a 404 that names a field): each field at fault."""

    detail: list[FieldError]


class Problem(BaseModel):
    """The body of an error that concerns the request as a whole (401, 403, 413)."""

    detail: str


class JSONAnswer(JSONResponse):
    """The API's JSON answers, written with every non-ASCII character escaped: an answer that
    quotes a caller's text (a 422's ``input``, a failed reload's path) stays valid JSON in
    UTF-8 even when that text holds a lone surrogate (``"\\ud800"``), which UTF-8 cannot encode
    (it was a 500)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode("ascii")
