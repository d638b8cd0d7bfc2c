"""Exercise 6 — delay rates by group: the number behind every plot of the EDA notebook.

Check your work with ``uv run course grade week01``; stuck? ``uv run course hint week01
delay_rate_by`` gives one hint step at a time. The reference solution lives in
``week01_data/explore.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd

from week01_data.target import TARGET  # "is_delayed"


def delay_rate_by(flights: pd.DataFrame, by: str | list[str], min_flights: int = 1) -> pd.DataFrame:
    """Share of delayed flights per group, among the flights whose label is known.

    "Delays by hour" or "by carrier" only mean something when the flights that never arrived
    (label ``<NA>``) are left out of both the count and the rate: they are neither late nor
    on time.

    Args:
        flights: one row per flight with the nullable boolean column ``is_delayed`` (``TARGET``)
            and the group column(s).
        by: one column name, or a list of them (one group per combination that occurs).
        min_flights: the fewest labelled flights a group needs to get a row (smaller groups'
            rates are noise).

    Returns:
        A new DataFrame with exactly the columns ``[*by, "flights", "delayed",
        "delay_rate"]`` in that order: ``flights`` the number of flights of the group with a
        known label and ``delayed`` how many of them are delayed (both integer dtypes), and
        ``delay_rate`` their ratio (a float between 0 and 1). One row per group with at least
        ``min_flights`` labelled flights, sorted by the group key(s), the index renumbered
        0, 1, 2, ... . A group without any labelled flight never has a row, even with
        ``min_flights=0``, and neither does an unused category of a categorical key.

    Raises:
        ValueError: when ``flights`` has no ``is_delayed`` column; the message contains
            ``is_delayed`` (e.g. ``"flights needs a 'is_delayed' column: ..."``).

    Invariants (checked):
        - A flight with an unknown label counts in no group: on the first week of January,
          EWR has 2,187 labelled flights, 585 of them delayed.
    """
    # TODO: your code here
    raise NotImplementedError("delay_rate_by")
