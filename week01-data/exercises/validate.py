"""Exercise 5 — a quarantine: split a table into valid rows and rejected rows with a reason.

The schemas are written for you in ``week01_data/validate.py`` (``weather_schema()``,
``flights_schema()``); the checks pass them in. Read pandera's "lazy validation" docs: with
``schema.validate(table, lazy=True)`` every failure is collected into one ``SchemaErrors``
whose ``failure_cases`` DataFrame has the columns ``column``, ``check``, ``failure_case`` and
``index`` (the row's label in ``table``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

REASON = "reason"


def quarantine(
    table: pd.DataFrame, schema: pa.DataFrameSchema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``table`` into ``(valid, rejected)`` by ``schema``; nothing is lost.

    ``rejected`` holds the offending rows unchanged plus a ``reason`` column naming every broken
    rule as ``"column: rule"`` (several joined with ``"; "``). Both keep the input's index;
    the valid rows are unchanged too, and ``table`` itself is left as it was.
    A problem with a whole column (missing, wrong type) cannot be pinned on rows: it raises a
    ``ValueError`` naming the column, because no row of such a table can be trusted.

    Steps:
      1. ``import pandera.pandas as pa`` inside the function, then
         ``try: schema.validate(table, lazy=True)``.
      2. No error: return ``table.copy()`` and an empty frame with a ``reason`` column.
      3. ``except pa.errors.SchemaErrors as exc``: build ``"column: check"`` labels from
         ``exc.failure_cases`` and join them per ``index`` with ``"; "``.
      4. Rows whose index has a reason are rejected; add the ``reason`` column to them.
    """
    # TODO: your code here
    raise NotImplementedError("quarantine")
