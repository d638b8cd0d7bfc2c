"""Features a model may use: only what is known when the flight is *scheduled* to leave.

Four kinds:

* the schedule and the flight's plan: day of week, scheduled hour, carrier, origin,
  destination, distance; the plane (year built, seats, engine); the origin's weather at the
  scheduled hour (joined in week 1);
* the origin's weather over the hours up to the scheduled one (:func:`add_recent_weather`);
* past-only aggregates: how often a carrier, a route or an airport was late on *earlier days*
  (:func:`past_delay_rate`). Never the same day: at 08:00 the 18:00 flights have not arrived;
* nothing measured after departure. :func:`check_no_leakage` refuses ``dep_delay``,
  ``arr_time`` and friends by name, and every model pipeline calls it when it is fitted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from week01_data.join import WEATHER_COLUMNS
from week01_data.target import TARGET
from week01_data.validate import CODE_PATTERNS, WEATHER_RANGES

log = logging.getLogger(__name__)

#: Columns only known after the flight left (or the label itself): never a model input.
LEAKY_COLUMNS: frozenset[str] = frozenset(
    {
        "dep_time",
        "dep_delay",
        "arr_time",
        "arr_delay",
        "air_time",
        "dep_minutes",
        "status",
        TARGET,
    }
)

FeatureKind = Literal["category", "schedule", "plane", "weather", "recent_weather", "past_rate"]


@dataclass(frozen=True)
class Feature:
    """One model input, declared once. Everything that computes, stores, looks up or validates
    a feature reads this declaration: :func:`build_features` here, week04's SQL and online
    store, week05's request schema. Nothing else writes a window, a key or a range again.

    ``keys`` are the columns that pick the value: the group of a past rate, the weather station
    of a recent-weather feature. ``window`` counts days before the flight's date for a past
    rate (``None``: every earlier day) and hourly readings for recent weather. ``how`` says how
    readings combine: ``sum``, ``min``, ``max``, ``change`` (now minus ``window`` readings ago)
    or ``sum_today`` (since local midnight). ``valid`` is the inclusive range of a number,
    ``pattern`` the regular expression a category's value must match.
    """

    name: str
    kind: FeatureKind
    description: str
    source: str | None = None
    keys: tuple[str, ...] = ()
    window: int | None = None
    how: Literal["sum", "min", "max", "change", "sum_today"] | None = None
    smoothing: float | None = None
    valid: tuple[float, float] | None = None
    pattern: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind != "category"


def _weather(name: str, what: str, valid: tuple[float, float] | None = None) -> Feature:
    return Feature(
        name,
        "weather",
        what,
        source=name,
        keys=("origin", "time_hour"),
        valid=valid or WEATHER_RANGES[name],
    )


def _recent(
    name: str,
    source: str,
    how: Literal["sum", "min", "max", "change", "sum_today"],
    window: int | None,
    what: str,
    valid: tuple[float, float],
) -> Feature:
    return Feature(
        name,
        "recent_weather",
        what,
        source=source,
        keys=("origin",),
        window=window,
        how=how,
        valid=valid,
    )


def _past_rate(name: str, keys: tuple[str, ...], days: int | None, what: str) -> Feature:
    return Feature(
        name,
        "past_rate",
        what,
        source=TARGET,
        keys=keys,
        window=days,
        smoothing=20.0,
        valid=(0.0, 1.0),
    )


#: The model's inputs, in the order the pipeline reads them. ``month`` is known at departure
#: but left out on purpose: trained on January-June, a model has never seen months 9-12, and
#: trees would treat every autumn flight as a June flight (see notebook 03).
REGISTRY: tuple[Feature, ...] = (
    Feature(
        "carrier",
        "category",
        "two-character airline code",
        source="carrier",
        pattern=CODE_PATTERNS["carrier"],
    ),
    Feature("origin", "category", "New York airport: EWR, JFK or LGA", source="origin"),
    Feature(
        "dest", "category", "destination airport code", source="dest", pattern=CODE_PATTERNS["dest"]
    ),
    Feature(
        "plane_engine",
        "category",
        "engine type; NaN for an unknown plane",
        source="engine",
        keys=("tailnum",),
    ),
    Feature(
        "day_of_week", "schedule", "0 = Monday ... 6 = Sunday, of the scheduled date", valid=(0, 6)
    ),
    Feature(
        "dep_hour", "schedule", "scheduled departure hour, local time", source="hour", valid=(0, 23)
    ),
    Feature(
        "distance", "schedule", "miles from origin to dest", source="distance", valid=(1, 6000)
    ),
    Feature(
        "plane_year",
        "plane",
        "year the plane was built; NaN if unknown",
        source="year",
        keys=("tailnum",),
        valid=(1900, 2030),
    ),
    Feature(
        "plane_seats",
        "plane",
        "seats; NaN if unknown",
        source="seats",
        keys=("tailnum",),
        valid=(1, 1000),
    ),
    _weather("temp", "°F at the scheduled hour"),
    _weather("dewp", "dew point °F", (-80, 100)),
    _weather("humid", "relative humidity %"),
    _weather("wind_dir", "wind direction, degrees"),
    _weather("wind_speed", "mph"),
    _weather("wind_gust", "mph", (0, 300)),
    _weather("precip", "inches in the hour"),
    _weather("pressure", "millibars", (800, 1100)),
    _weather("visib", "miles"),
    _recent("precip_3h", "precip", "sum", 3, "inches over the last 3 readings", (0, 60)),
    _recent("precip_6h", "precip", "sum", 6, "inches over the last 6 readings", (0, 120)),
    _recent("visib_min_3h", "visib", "min", 3, "lowest visibility, last 3 readings", (0, 10)),
    _recent(
        "pressure_change_3h", "pressure", "change", 3, "mb, now minus 3 readings ago", (-300, 300)
    ),
    _recent("wind_gust_max_3h", "wind_gust", "max", 3, "strongest gust, last 3 readings", (0, 300)),
    _recent("precip_today", "precip", "sum_today", None, "inches since local midnight", (0, 480)),
    _past_rate("past_rate_route", ("origin", "dest"), None, "the route, every earlier day"),
    _past_rate("past_rate_carrier_28d", ("carrier",), 28, "the airline, last 28 days"),
    _past_rate(
        "past_rate_origin_hour",
        ("origin", "dep_hour"),
        None,
        "the airport at this hour, every earlier day",
    ),
    _past_rate("past_rate_origin_1d", ("origin",), 1, "the airport, yesterday"),
    _past_rate("past_rate_dest_7d", ("dest",), 7, "the destination, last 7 days"),
    _past_rate("past_rate_all_1d", (), 1, "every New York flight, yesterday"),
)

#: The declaration of each feature, by name.
BY_NAME: dict[str, Feature] = {f.name: f for f in REGISTRY}


def _names(*kinds: FeatureKind) -> list[str]:
    return [f.name for f in REGISTRY if f.kind in kinds]


#: Categorical inputs (strings; NaN allowed).
CATEGORICAL: list[str] = _names("category")

#: Schedule and plane inputs (numbers; NaN allowed for an unknown plane).
SCHEDULE: list[str] = _names("schedule", "plane")

#: The origin's recent weather, up to and including the scheduled hour (see add_recent_weather).
RECENT_WEATHER: list[str] = _names("recent_weather")

#: Past-only delay rates: output column -> (group keys, window in days or None for all history).
AGGREGATES: dict[str, tuple[list[str], int | None]] = {
    f.name: (list(f.keys), f.window) for f in REGISTRY if f.kind == "past_rate"
}

#: The week-1 feature set (17 columns): what the "naive" models were measured on.
BASIC_FEATURES: list[str] = [
    *CATEGORICAL,
    "month",
    *SCHEDULE,
    *[c for c in WEATHER_COLUMNS if c not in ("dewp", "wind_dir")],
]

NUMERIC: list[str] = [f.name for f in REGISTRY if f.numeric]

#: Every column the model pipeline reads, in order.
FEATURES: list[str] = [f.name for f in REGISTRY]


class LeakageError(ValueError):
    """A column measured after departure (or the label) was about to reach a model."""


def check_no_leakage(columns: Iterable[str]) -> None:
    """Raise :class:`LeakageError` naming every column of ``columns`` found in
    :data:`LEAKY_COLUMNS`; return ``None`` when they are all known at scheduled departure.

    >>> check_no_leakage(["carrier", "dep_delay"])
    Traceback (most recent call last):
    ...
    week03_ml.features.LeakageError: dep_delay is only known after departure ...
    """
    leaked = [str(c) for c in columns if c in LEAKY_COLUMNS]
    if leaked:
        raise LeakageError(
            f"{', '.join(leaked)} is only known after departure (or is the label): "
            "a model predicting at scheduled departure must not see it; "
            "drop it from the inputs"
        )


def add_schedule_features(flights: pd.DataFrame) -> pd.DataFrame:
    """A copy with ``day_of_week`` (0 = Monday) and ``dep_hour`` (the *scheduled* hour).

    Both come from the schedule (``year``/``month``/``day`` and the raw ``hour`` column, which
    is ``sched_dep_time // 100``), never from the actual ``dep_time``.
    """
    out = flights.copy()
    date = pd.to_datetime(out[["year", "month", "day"]])
    out["day_of_week"] = date.dt.dayofweek.astype("int64")
    out["dep_hour"] = out["hour"].astype("int64")
    out["month"] = out["month"].astype("int64")
    return out


def add_recent_weather(flights: pd.DataFrame, weather: pd.DataFrame) -> pd.DataFrame:
    """A copy with the origin's weather over the hours up to the scheduled one.

    Storms build up: rain over the last hours says more than the reading of one hour. Every
    value uses readings up to and including the scheduled hour (``time_hour``), all observed
    before the flight is due to leave: ``precip_3h`` / ``precip_6h`` (inches over the last 3 / 6
    readings), ``visib_min_3h``, ``wind_gust_max_3h``, ``pressure_change_3h`` (now minus 3
    readings ago) and ``precip_today`` (since local midnight). ``weather`` is week 1's weather
    table (validated readings, one per origin and hour; a repeated hour keeps its first).
    """
    w = (
        weather.drop_duplicates(["origin", "time_hour"], keep="first")
        .sort_values(["origin", "time_hour"])
        .reset_index(drop=True)
    )
    by_origin = w.groupby("origin", sort=False)
    local_day = w["time_hour"].dt.tz_convert("America/New_York").dt.date
    recent = pd.DataFrame({"origin": w["origin"], "time_hour": w["time_hour"]})
    for f in REGISTRY:
        if f.kind != "recent_weather":
            continue
        assert f.source is not None
        if f.how == "change":
            assert f.window is not None
            recent[f.name] = by_origin[f.source].diff(f.window)
        elif f.how == "sum_today":
            today = w.groupby(["origin", local_day], sort=False)[f.source]
            recent[f.name] = today.cumsum()
        else:
            recent[f.name] = by_origin[f.source].transform(
                lambda s, n=f.window, how=f.how: s.rolling(n, min_periods=1).agg(how)
            )
    out = flights.drop(columns=[c for c in RECENT_WEATHER if c in flights.columns])
    merged = out.merge(recent, on=["origin", "time_hour"], how="left", validate="many_to_one")
    return merged.set_axis(flights.index)  # a left merge keeps the rows' order, not the index


def past_delay_rate(
    flights: pd.DataFrame,
    by: Sequence[str],
    window_days: int | None = None,
    smoothing: float = 20.0,
) -> pd.Series:
    """For every flight, the delay rate of its group (``by``) on strictly *earlier* days.

    Only labelled flights (``is_delayed`` not missing) of days before the flight's own date
    count: all earlier days when ``window_days`` is None, else only the ``window_days`` days
    just before it (``window_days=1`` is "yesterday"). The rate is shrunk towards the overall
    rate of the same days so that a group with 2 flights does not get 0 % or 100 %::

        (delayed_before + smoothing * overall_rate_before) / (flights_before + smoothing)

    ``by=[]`` gives the overall rate. Flights with no earlier labelled flight at all get NaN.
    Returns a float Series aligned with ``flights.index``. Needs ``year``, ``month``, ``day``,
    ``is_delayed`` and the ``by`` columns; the input is not modified.
    """
    group_rate = _past_counts(flights, list(by), window_days)
    overall = _past_counts(flights, [], window_days)
    prior = overall["delayed"] / overall["flights"].where(overall["flights"] > 0)
    rate = (group_rate["delayed"] + smoothing * prior) / (group_rate["flights"] + smoothing)
    return pd.Series(rate.to_numpy(dtype="float64"), index=flights.index, name="past_rate")


def _past_counts(flights: pd.DataFrame, keys: list[str], window_days: int | None) -> pd.DataFrame:
    """Labelled and delayed flights of each row's group on earlier days (0 when there are none)."""
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(flights[["year", "month", "day"]]).to_numpy(),
            "known": flights[TARGET].notna().to_numpy(),
            "late": flights[TARGET].fillna(False).astype(bool).to_numpy(),
            **{k: flights[k].to_numpy() for k in keys},
        }
    )
    keys_ = keys or ["_all"]
    if not keys:
        frame["_all"] = 0
    daily = (
        frame.groupby([*keys_, "date"], dropna=False)
        .agg(flights=("known", "sum"), delayed=("late", "sum"))
        .astype("float64")
        .reset_index()
        .sort_values([*keys_, "date"])
    )
    if window_days is None:
        # everything up to and including the day, minus the day itself: strictly earlier days
        totals = daily.groupby(keys_, dropna=False, sort=False)[["flights", "delayed"]].cumsum()
        daily[["flights", "delayed"]] = totals - daily[["flights", "delayed"]]
    else:
        # a time-based window [day - window_days, day): closed="left" leaves the day itself out
        daily = (
            daily.set_index("date")
            .groupby(keys_, dropna=False)[["flights", "delayed"]]
            .rolling(f"{window_days}D", closed="left")
            .sum()
            .reset_index()  # back to columns keys..., date, flights, delayed: merged by key below
        )
    merged = frame[[*keys_, "date"]].merge(daily, on=[*keys_, "date"], how="left")
    return merged[["flights", "delayed"]].fillna(0.0)


def build_features(flights: pd.DataFrame, weather: pd.DataFrame) -> pd.DataFrame:
    """The model's inputs for every flight: schedule features and past-only aggregates added.

    Needs the week-1 joined table (``week01_data.dataset.build_dataset().flights``), *every*
    flight of the period in time order is best: the aggregates of a day are computed from the
    days before it in the same table. ``weather`` is the (validated) weather table, for
    :func:`add_recent_weather`. Returns a copy with the :data:`FEATURES` columns added (the raw
    columns are kept for splitting and auditing; select :data:`FEATURES` for a model).
    """
    out = add_recent_weather(add_schedule_features(flights), weather)
    for f in REGISTRY:
        if f.kind == "past_rate":
            assert f.smoothing is not None
            out[f.name] = past_delay_rate(out, f.keys, window_days=f.window, smoothing=f.smoothing)
    log.info("built %d features for %d flights", len(FEATURES), len(out))
    return out


def feature_frame(flights: pd.DataFrame, columns: Sequence[str] = FEATURES) -> pd.DataFrame:
    """Only the model's input columns (checked for leakage), as a copy."""
    check_no_leakage(columns)
    missing = [c for c in columns if c not in flights.columns]
    if missing:
        raise KeyError(f"missing feature column(s) {missing}: call build_features first")
    return flights[list(columns)].copy()


def dtypes_of(frame: pd.DataFrame) -> dict[str, str]:
    """Column -> dtype name, as written in the model's metadata."""
    return {str(c): str(t) for c, t in frame.dtypes.items()}
