"""Exercise 6 — delay rates by group: the number behind every plot of the EDA notebook."""

from __future__ import annotations

import pandas as pd

from week01_data.target import TARGET  # "is_delayed"


def delay_rate_by(flights: pd.DataFrame, by: str | list[str], min_flights: int = 1) -> pd.DataFrame:
    """Share of delayed flights per group, among the flights whose label is known.

    Returns one row per group (the group columns, then ``flights``, ``delayed`` and
    ``delay_rate``), sorted by the group keys; groups with fewer than ``min_flights`` labelled
    flights are left out (their rate would be noise). Needs an ``is_delayed`` column.

    Steps:
      1. Keep the rows whose ``is_delayed`` is not missing.
      2. Group by ``by``; count flights and sum ``is_delayed``.
      3. ``delay_rate = delayed / flights``; filter on ``min_flights``; sort by the keys.
    """
    # TODO: your code here
    raise NotImplementedError("delay_rate_by")
