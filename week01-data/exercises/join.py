"""Exercise 4 — the origin's weather at the flight's scheduled hour."""

from __future__ import annotations

import pandas as pd

from week01_data.join import WEATHER_COLUMNS  # the weather columns to keep


def join_weather(flights: pd.DataFrame, weather: pd.DataFrame) -> pd.DataFrame:
    """Left-join the origin airport's weather at the flight's *scheduled* hour.

    The key is ``origin`` plus ``time_hour`` (the scheduled hour, in UTC in both tables).
    Flights whose hour has no weather record keep NaN in the weather columns; no flight is
    dropped or duplicated.

    Steps:
      1. Keep ``origin``, ``time_hour`` and ``WEATHER_COLUMNS`` of ``weather``.
      2. Drop duplicated (origin, time_hour) readings: a repeated hour would double flights.
      3. ``flights.merge(..., on=[...], how="left")``.
      4. Check the result has as many rows as ``flights``.
    """
    # TODO: your code here
    raise NotImplementedError("join_weather")
