from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Flight(_message.Message):
    __slots__ = ("carrier", "origin", "dest", "plane_engine", "day_of_week", "dep_hour", "distance", "plane_year", "plane_seats", "temp", "dewp", "humid", "wind_dir", "wind_speed", "wind_gust", "precip", "pressure", "visib", "precip_3h", "precip_6h", "visib_min_3h", "pressure_change_3h", "wind_gust_max_3h", "precip_today", "past_rate_route", "past_rate_carrier_28d", "past_rate_origin_hour", "past_rate_origin_1d", "past_rate_dest_7d", "past_rate_all_1d")
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DEST_FIELD_NUMBER: _ClassVar[int]
    PLANE_ENGINE_FIELD_NUMBER: _ClassVar[int]
    DAY_OF_WEEK_FIELD_NUMBER: _ClassVar[int]
    DEP_HOUR_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    PLANE_YEAR_FIELD_NUMBER: _ClassVar[int]
    PLANE_SEATS_FIELD_NUMBER: _ClassVar[int]
    TEMP_FIELD_NUMBER: _ClassVar[int]
    DEWP_FIELD_NUMBER: _ClassVar[int]
    HUMID_FIELD_NUMBER: _ClassVar[int]
    WIND_DIR_FIELD_NUMBER: _ClassVar[int]
    WIND_SPEED_FIELD_NUMBER: _ClassVar[int]
    WIND_GUST_FIELD_NUMBER: _ClassVar[int]
    PRECIP_FIELD_NUMBER: _ClassVar[int]
    PRESSURE_FIELD_NUMBER: _ClassVar[int]
    VISIB_FIELD_NUMBER: _ClassVar[int]
    PRECIP_3H_FIELD_NUMBER: _ClassVar[int]
    PRECIP_6H_FIELD_NUMBER: _ClassVar[int]
    VISIB_MIN_3H_FIELD_NUMBER: _ClassVar[int]
    PRESSURE_CHANGE_3H_FIELD_NUMBER: _ClassVar[int]
    WIND_GUST_MAX_3H_FIELD_NUMBER: _ClassVar[int]
    PRECIP_TODAY_FIELD_NUMBER: _ClassVar[int]
    PAST_RATE_ROUTE_FIELD_NUMBER: _ClassVar[int]
    PAST_RATE_CARRIER_28D_FIELD_NUMBER: _ClassVar[int]
    PAST_RATE_ORIGIN_HOUR_FIELD_NUMBER: _ClassVar[int]
    PAST_RATE_ORIGIN_1D_FIELD_NUMBER: _ClassVar[int]
    PAST_RATE_DEST_7D_FIELD_NUMBER: _ClassVar[int]
    PAST_RATE_ALL_1D_FIELD_NUMBER: _ClassVar[int]
    carrier: str
    origin: str
    dest: str
    plane_engine: str
    day_of_week: int
    dep_hour: int
    distance: float
    plane_year: float
    plane_seats: float
    temp: float
    dewp: float
    humid: float
    wind_dir: float
    wind_speed: float
    wind_gust: float
    precip: float
    pressure: float
    visib: float
    precip_3h: float
    precip_6h: float
    visib_min_3h: float
    pressure_change_3h: float
    wind_gust_max_3h: float
    precip_today: float
    past_rate_route: float
    past_rate_carrier_28d: float
    past_rate_origin_hour: float
    past_rate_origin_1d: float
    past_rate_dest_7d: float
    past_rate_all_1d: float
    def __init__(self, carrier: _Optional[str] = ..., origin: _Optional[str] = ..., dest: _Optional[str] = ..., plane_engine: _Optional[str] = ..., day_of_week: _Optional[int] = ..., dep_hour: _Optional[int] = ..., distance: _Optional[float] = ..., plane_year: _Optional[float] = ..., plane_seats: _Optional[float] = ..., temp: _Optional[float] = ..., dewp: _Optional[float] = ..., humid: _Optional[float] = ..., wind_dir: _Optional[float] = ..., wind_speed: _Optional[float] = ..., wind_gust: _Optional[float] = ..., precip: _Optional[float] = ..., pressure: _Optional[float] = ..., visib: _Optional[float] = ..., precip_3h: _Optional[float] = ..., precip_6h: _Optional[float] = ..., visib_min_3h: _Optional[float] = ..., pressure_change_3h: _Optional[float] = ..., wind_gust_max_3h: _Optional[float] = ..., precip_today: _Optional[float] = ..., past_rate_route: _Optional[float] = ..., past_rate_carrier_28d: _Optional[float] = ..., past_rate_origin_hour: _Optional[float] = ..., past_rate_origin_1d: _Optional[float] = ..., past_rate_dest_7d: _Optional[float] = ..., past_rate_all_1d: _Optional[float] = ...) -> None: ...

class PredictRequest(_message.Message):
    __slots__ = ("flight",)
    FLIGHT_FIELD_NUMBER: _ClassVar[int]
    flight: Flight
    def __init__(self, flight: _Optional[_Union[Flight, _Mapping]] = ...) -> None: ...

class PredictReply(_message.Message):
    __slots__ = ("model_version", "probability", "delayed", "threshold", "unknown_categories")
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    DELAYED_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    model_version: str
    probability: float
    delayed: bool
    threshold: float
    unknown_categories: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, model_version: _Optional[str] = ..., probability: _Optional[float] = ..., delayed: _Optional[bool] = ..., threshold: _Optional[float] = ..., unknown_categories: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchPredictRequest(_message.Message):
    __slots__ = ("flights",)
    FLIGHTS_FIELD_NUMBER: _ClassVar[int]
    flights: _containers.RepeatedCompositeFieldContainer[Flight]
    def __init__(self, flights: _Optional[_Iterable[_Union[Flight, _Mapping]]] = ...) -> None: ...

class BatchPredictReply(_message.Message):
    __slots__ = ("model_version", "threshold", "predictions")
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    PREDICTIONS_FIELD_NUMBER: _ClassVar[int]
    model_version: str
    threshold: float
    predictions: _containers.RepeatedCompositeFieldContainer[PredictReply]
    def __init__(self, model_version: _Optional[str] = ..., threshold: _Optional[float] = ..., predictions: _Optional[_Iterable[_Union[PredictReply, _Mapping]]] = ...) -> None: ...

class ScheduledFlight(_message.Message):
    __slots__ = ("carrier", "flight", "origin", "dest", "sched_dep", "tailnum", "distance")
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    FLIGHT_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DEST_FIELD_NUMBER: _ClassVar[int]
    SCHED_DEP_FIELD_NUMBER: _ClassVar[int]
    TAILNUM_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    carrier: str
    flight: int
    origin: str
    dest: str
    sched_dep: str
    tailnum: str
    distance: float
    def __init__(self, carrier: _Optional[str] = ..., flight: _Optional[int] = ..., origin: _Optional[str] = ..., dest: _Optional[str] = ..., sched_dep: _Optional[str] = ..., tailnum: _Optional[str] = ..., distance: _Optional[float] = ...) -> None: ...

class HealthRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HealthReply(_message.Message):
    __slots__ = ("status", "model_version")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    status: str
    model_version: str
    def __init__(self, status: _Optional[str] = ..., model_version: _Optional[str] = ...) -> None: ...
