"""Exercises 1 and 2 — clock times and what happened to each flight.

Fill in the two functions below, then check them with ``uv run course grade week01``.
The reference solution lives in ``week01_data/clean.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd


def hhmm_to_minutes(values: pd.Series) -> pd.Series:
    """Clock times stored as ``HHMM`` integers -> minutes after midnight (float, NaN kept).

    ``517`` -> ``317.0`` (05:17), ``0`` and ``2400`` -> ``0.0`` and ``1440.0`` (midnight at the
    start and at the end of the day), NaN (a flight that never left) -> NaN. The result keeps
    the input's index and name.
    Raises ``ValueError`` naming the first bad value when a time is outside 0-2400 or its
    minutes are 60 or more.

    Steps:
      1. Convert to float (``.astype("float64")``) so NaN can stay.
      2. Split into hours (``// 100``) and minutes (``% 100``).
      3. Find impossible values (outside 0-2400, minutes >= 60) and raise
         ``ValueError(f"... got {value}")`` for the first one.
      4. Return ``hours * 60 + minutes`` with the input's name.
    """
    # TODO: your code here
    raise NotImplementedError("hhmm_to_minutes")


def flight_status(flights: pd.DataFrame) -> pd.Series:
    """What happened to each flight: ``cancelled``, ``diverted`` or ``arrived``.

    Cancelled flights never left (no ``dep_time``). Diverted flights left but never reached
    their destination, so they have a ``dep_time`` and no ``arr_delay``. Every other flight
    arrived. Returns a categorical Series named ``status``, aligned with ``flights``, whose
    categories are always the three statuses (even one that does not occur, so counts show 0).

    Steps:
      1. ``departed = flights["dep_time"].notna()``, ``arrived = flights["arr_delay"].notna()``.
      2. ``np.select([...conditions...], ["cancelled", "diverted"], default="arrived")``.
      3. Wrap it in ``pd.Series(pd.Categorical(..., categories=[...]), index=flights.index,
         name="status")``.
    """
    # TODO: your code here
    raise NotImplementedError("flight_status")
