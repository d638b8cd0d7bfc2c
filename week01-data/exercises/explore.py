"""Exercise 6 — delay rates by group: the number behind every plot of the EDA notebook."""

from __future__ import annotations

import pandas as pd

from week01_data.target import TARGET  # "is_delayed"


def delay_rate_by(flights: pd.DataFrame, by: str | list[str], min_flights: int = 1) -> pd.DataFrame:
    """Share of delayed flights per group, among the flights whose label is known.

    Returns one row per group (the group columns, then ``flights`` and ``delayed`` as integer
    counts, and ``delay_rate``), sorted by the group keys and numbered 0, 1, ...; groups with
    fewer than ``min_flights`` labelled flights are left out (their rate would be noise), and a
    group without any labelled flight never has a row, whatever ``min_flights`` (nor does an
    unused category of a categorical key). Raises ``ValueError`` naming ``is_delayed`` when
    ``flights`` has no such column.

    Steps:
      1. No ``is_delayed`` column: raise ``ValueError``. Keep the rows whose ``is_delayed`` is
         not missing.
      2. Group by ``by`` (``observed=True``); count flights and sum ``is_delayed`` (as ints).
      3. ``delay_rate = delayed / flights``; filter on ``min_flights``; sort by the keys
         (``ignore_index=True``).
    """
    # TODO: your code here
    raise NotImplementedError("delay_rate_by")
