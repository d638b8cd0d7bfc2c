"""Exercise 4 — the origin's weather at the flight's scheduled hour.

A join is honest when it neither creates nor loses flights, and when it only uses what was known
at the scheduled departure: the weather at the flight's *origin*, at its *scheduled* hour.

Check your work with ``uv run course grade week01``; stuck? ``uv run course hint week01
join_weather`` gives one hint step at a time. The reference solution lives in
``week01_data/join.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd

from week01_data.join import WEATHER_COLUMNS  # the weather columns to keep


def join_weather(flights: pd.DataFrame, weather: pd.DataFrame) -> pd.DataFrame:
    """Give each flight the weather of its origin airport at its *scheduled* hour.

    Three airports report the weather every hour, and a model must not see the weather of the
    actual (later) departure, so the key is the pair (``origin``, ``time_hour``), both tables'
    ``time_hour`` being the scheduled hour in UTC.

    Args:
        flights: one row per flight, with at least ``origin`` and ``time_hour``; it has none
            of the ``WEATHER_COLUMNS``.
        weather: hourly readings with ``origin``, ``time_hour``, every one of
            ``WEATHER_COLUMNS`` and possibly other columns (the raw table also has ``year``,
            ``month``, ``day``, ``hour``, which the flights have too).

    Returns:
        A new frame with one row per flight, in the flights' order: every column of
        ``flights`` under its own name and with its own values, plus the ``WEATHER_COLUMNS``
        (and no other column) of the reading with the same origin and hour. A flight whose hour
        has no reading is kept, with NaN in the weather columns. When ``weather`` holds the
        same (origin, hour) more than once, even with different values, the flight gets one of
        those readings (the reference takes the first), never a row per reading. The index is
        not promised (the reference returns 0, 1, ...); neither input is modified.

    Raises:
        Nothing of its own.

    Invariants (checked):
        - As many rows out as flights in; no flight is dropped, doubled or reordered.
        - No other weather column comes along: no ``year_x``/``year_y`` or other suffixed
          copies, the flights' columns keep their names.
        - On the real first week of January, an EWR flight scheduled at 05:15 local time on
          1 January (10:00 UTC) sees 39.02 °F.
    """
    # TODO: your code here
    raise NotImplementedError("join_weather")
