"""Cleaning the raw flights: clock times, local timestamps, and what happened to each flight.

The raw table stores clock times as integers ``HHMM`` (``517`` is 05:17, ``2400`` is the midnight
that ends the day) and has no column saying whether a flight was cancelled or diverted: both have
to be read from which values are missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The airports' time zone: every scheduled time in the data is New York local time.
LOCAL_TZ = "America/New_York"

CANCELLED, DIVERTED, ARRIVED = "cancelled", "diverted", "arrived"


def hhmm_to_minutes(values: pd.Series) -> pd.Series:
    """Clock times stored as ``HHMM`` integers -> minutes after midnight (float, NaN kept).

    ``517`` -> ``317.0`` (05:17), ``0`` and ``2400`` -> ``0.0`` and ``1440.0`` (midnight at the
    start and at the end of the day), NaN (a flight that never left) -> NaN. The result keeps
    the input's index and name.
    Raises ``ValueError`` naming the first bad value when a time is outside 0-2400 or its
    minutes are 60 or more.
    """
    numbers = pd.to_numeric(values, errors="raise").astype("float64")
    hours, minutes = numbers // 100, numbers % 100
    bad = numbers.notna() & (
        (numbers < 0) | (numbers > 2400) | (minutes >= 60) | (numbers != np.floor(numbers))
    )
    if bad.any():
        raise ValueError(
            f"{values.name or 'time'} must be a clock time HHMM between 0 and 2400, "
            f"got {numbers[bad].iloc[0]:g} (row {bad.idxmax()})"
        )
    result = hours * 60 + minutes
    result.name = values.name
    return result


def scheduled_departure(flights: pd.DataFrame) -> pd.Series:
    """The scheduled departure of each flight as a time-zone-aware New York timestamp.

    Built from ``year``, ``month``, ``day`` and ``sched_dep_time``; the result agrees with the
    raw ``time_hour`` column (the scheduled hour, stored in UTC) once both are in one zone.
    """
    minutes = hhmm_to_minutes(flights["sched_dep_time"])
    midnight = pd.to_datetime(flights[["year", "month", "day"]])
    naive = midnight + pd.to_timedelta(minutes, unit="min")
    # ambiguous="NaT" cannot happen for 2013's schedule (no departure is scheduled at 01:xx
    # on the night clocks go back), but say so rather than guess silently.
    return naive.dt.tz_localize(LOCAL_TZ, ambiguous="raise", nonexistent="raise").rename(
        "sched_dep"
    )


def flight_status(flights: pd.DataFrame) -> pd.Series:
    """What happened to each flight: ``cancelled``, ``diverted`` or ``arrived``.

    Cancelled flights never left (no ``dep_time``). Diverted flights left but never reached
    their destination, so they have a ``dep_time`` and no ``arr_delay``. Every other flight
    arrived. Returns a categorical Series named ``status``, aligned with ``flights``, whose
    categories are always the three statuses (even one that does not occur, so counts show 0).
    """
    departed = flights["dep_time"].notna()
    arrived = flights["arr_delay"].notna()
    status = np.select([~departed, departed & ~arrived], [CANCELLED, DIVERTED], default=ARRIVED)
    return pd.Series(
        pd.Categorical(status, categories=[ARRIVED, DIVERTED, CANCELLED]),
        index=flights.index,
        name="status",
    )


def clean_flights(flights: pd.DataFrame) -> pd.DataFrame:
    """A cleaned copy of the raw flights (the input is never modified).

    Adds ``sched_dep`` (local timestamp), ``sched_dep_minutes`` / ``dep_minutes`` (minutes after
    midnight) and ``status``; the raw columns stay as they were, for auditing.
    """
    out = flights.copy()
    out["sched_dep"] = scheduled_departure(out)
    out["sched_dep_minutes"] = hhmm_to_minutes(out["sched_dep_time"])
    out["dep_minutes"] = hhmm_to_minutes(out["dep_time"])
    out["status"] = flight_status(out)
    return out
