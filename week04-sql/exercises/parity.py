"""Exercise 8 — the skew check's comparison: two feature tables, flight by flight.

The same features computed twice (pandas for training, SQL for serving) drift apart in the
corner cases. Comparing the two tables is how the drift is caught; the comparison must call
equal what is equal (rows in another order, NaN against NULL, the 16th digit) and name every
real difference precisely enough to find it.

Check your work with ``uv run course grade week04``; stuck, ``uv run course hint week04
compare_features`` shows one hint step at a time. The reference solution lives in
``week04_sql/parity.py``: look only once you are done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from week04_sql.features import KEYS
from week04_sql.parity import _show


def compare_features(sql: pd.DataFrame, pandas: pd.DataFrame, *, rtol: float = 1e-9) -> list[str]:
    """Every difference between two feature tables, as sentences; empty when they agree.

    Args:
        sql: the table served (from the database), with the :data:`KEYS` columns
            (``flight_date``, ``carrier``, ``flight``, ``origin``) and feature columns.
        pandas: the table trained on (week03's), the same kind of columns.
        rtol: the relative tolerance for numbers.

    Returns:
        A list of sentences (``[]`` when the tables agree), in this order:

        1. when a column is on one side only: first, one sentence naming those columns;
        2. when the row counts differ: a sentence containing ``row counts differ`` (and both
           counts), and nothing after it; when the counts are equal but the flights (their
           KEYS) are not the same: one sentence saying so, and nothing after it;
        3. then, for each column both tables have, in ``pandas``' column order, that differs
           on at least one flight: one sentence that starts with ``"<column>: "``, contains
           ``"<n> flights differ"`` (``n`` the count; "flights" even for 1), and names the
           first differing flight in KEYS order (its date as YYYY-MM-DD, carrier, flight
           number and origin) and both values, the served one first (``_show`` writes a
           value as a person reads it).

    Invariants (checked):
        - rows are matched on KEYS, not by position: row order is not a difference;
        - numbers (not booleans, not text) agree within ``rtol`` relative to week03's value;
          an absolute tolerance, if any, is at most 1e-12, so 1e-10 and 2e-10 differ;
        - a missing value (NaN, NULL as None, ``<NA>``) equals another missing value only;
        - other values (text, booleans) agree only when equal; a number served as text is a
          difference.
    """
    # TODO: your code here
    raise NotImplementedError("compare_features")
