"""Joining the flights with the planes that flew them and the weather when they were due to leave.

Two rules keep a join honest: it never changes the number of flights (a left join on a unique
key), and it only uses what is known at the scheduled departure time (the weather of the
*scheduled* hour at the *origin*, never of the actual departure).
"""

from __future__ import annotations

import pandas as pd

#: Plane columns kept, renamed with a ``plane_`` prefix (``year`` would clash with the flight's).
PLANE_COLUMNS = ["year", "type", "manufacturer", "model", "engines", "seats", "engine"]

#: Weather measurements joined to each flight.
WEATHER_COLUMNS = [
    "temp",
    "dewp",
    "humid",
    "wind_dir",
    "wind_speed",
    "wind_gust",
    "precip",
    "pressure",
    "visib",
]


def _check_same_rows(before: pd.DataFrame, after: pd.DataFrame, what: str) -> None:
    if len(after) != len(before):
        raise ValueError(
            f"joining {what} changed the number of flights from {len(before)} to {len(after)}: "
            "the right-hand key is not unique"
        )


def join_planes(flights: pd.DataFrame, planes: pd.DataFrame) -> pd.DataFrame:
    """Left-join plane details by ``tailnum``; flights with an unknown plane keep NaN there."""
    right = planes[["tailnum", *PLANE_COLUMNS]].rename(
        columns={c: f"plane_{c}" for c in PLANE_COLUMNS}
    )
    if right["tailnum"].duplicated().any():
        raise ValueError("planes.tailnum must be unique")
    out = flights.merge(right, on="tailnum", how="left", validate="many_to_one")
    _check_same_rows(flights, out, "planes")
    return out


def join_weather(flights: pd.DataFrame, weather: pd.DataFrame) -> pd.DataFrame:
    """Left-join the origin airport's weather at the flight's *scheduled* hour.

    The key is ``origin`` plus ``time_hour`` (the scheduled hour, in UTC in both tables).
    Flights whose hour has no weather record keep NaN in the weather columns; no flight is
    dropped or duplicated.
    """
    right = weather[["origin", "time_hour", *WEATHER_COLUMNS]]
    if right.duplicated(["origin", "time_hour"]).any():
        # Keep the first reading of an hour reported twice rather than doubling its flights.
        right = right.drop_duplicates(["origin", "time_hour"], keep="first")
    out = flights.merge(right, on=["origin", "time_hour"], how="left", validate="many_to_one")
    _check_same_rows(flights, out, "weather")
    return out
