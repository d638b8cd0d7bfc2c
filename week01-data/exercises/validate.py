"""Exercise 5 — a quarantine: split a table into valid rows and rejected rows with a reason.

A pipeline that silently drops the rows it cannot use hides its problems; one that crashes on
the first bad row stops for one reading. A quarantine does neither: the good rows go on, the bad
ones are kept aside, unchanged, each with the rules it broke, for someone to look at.

The schemas are written for you in ``week01_data/validate.py`` (``weather_schema()``,
``flights_schema()``); the checks pass them in. Read pandera's "Lazy Validation" docs: a lazy
validation collects every failure into one ``SchemaErrors`` exception whose ``failure_cases``
DataFrame has the columns ``column``, ``check``, ``failure_case`` and ``index`` (the row's label
in ``table``, or nothing when the failure is not about one row).

Check your work with ``uv run course grade week01``; stuck? ``uv run course hint week01
quarantine`` gives one hint step at a time. The reference solution lives in
``week01_data/validate.py``: look only once you are done.
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

    Args:
        table: any DataFrame, with any index (not necessarily sorted or numbered 0, 1, ...).
        schema: a pandera ``DataFrameSchema`` such as ``weather_schema()``.

    Returns:
        ``(valid, rejected)``, two new DataFrames.

        - ``valid``: the rows that break no rule, exactly as they are in ``table`` (same
          columns, values, dtypes, index labels and order; not the schema's coerced copy).
        - ``rejected``: the rows that break at least one rule, also exactly as in ``table`` and
          in its order, plus one last column ``reason`` (the name is ``REASON``). A row's
          reason names each rule it broke once, as ``"<column>: <check>"`` where ``<check>`` is
          pandera's name of the check as it appears in ``failure_cases["check"]``, several
          joined with ``"; "``. For the weather schema, a wind of 1,048 mph gives exactly
          ``"wind_speed: in_range(0, 150)"``, and a row breaking humidity and visibility gives
          ``"humid: in_range(0, 100); visib: in_range(0, 10)"`` (in either order).
        - A valid table gives every row in ``valid`` and an empty ``rejected`` that still has
          the ``reason`` column.

    Raises:
        ValueError: when a failure is not about any row (pandera reports it with no
            ``index``): a column the schema needs is missing, or a check cannot even run on a
            column's values (a range check on a column of words). No row of such a table can
            be trusted, so none is returned. The message contains the name of that column
            (e.g. ``visib``); note that for a missing column pandera puts the schema's name in
            ``column`` and the missing column's name in ``failure_case``.

    Invariants (checked):
        - Every row of ``table`` is in exactly one of ``valid`` and ``rejected``, under its own
          index label: ``len(valid) + len(rejected) == len(table)``.
        - Each reason lands on its own row, whatever the order of the index.
        - ``table`` itself is left as it was (no ``reason`` column added to it).
        - On the real weather table exactly one reading is rejected (the 1,048 mph wind).
    """
    # TODO: your code here
    raise NotImplementedError("quarantine")
