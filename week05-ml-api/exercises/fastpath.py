"""Exercise 4 — the fast path: a request straight into a NumPy row for the XGBoost booster.

Notebook 02 profiles a request: building the one-row DataFrame and running the
ColumnTransformer cost milliseconds, XGBoost's own prediction a fraction of one. Week 3's
XGBoost pipeline only maps categories to their ordinal index (unknown or missing -> NaN) and
passes numbers through, so we can do the same with dictionary lookups and one NumPy array —
and must get *the same* probabilities.

Check your work with ``uv run course grade week05``; stuck? ``uv run course hint week05 "fast
path"`` gives one hint step at a time (both functions are the exercise "fast path"). The
reference solution lives in ``week05_ml_api/fastpath.py``: look only once you are done.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.preprocessing import OrdinalEncoder


def category_maps(encoder: OrdinalEncoder, columns: Sequence[str]) -> dict[str, dict[str, float]]:
    """The ``category -> index`` lookup of each categorical column, read from a fitted encoder.

    Built once when the model is loaded, these dicts replace the encoder at request time: a
    lookup in a dict costs nanoseconds where the encoder costs a DataFrame.

    Args:
        encoder: a fitted :class:`~sklearn.preprocessing.OrdinalEncoder`; its
            ``categories_[i]`` lists column ``i``'s categories in index order.
        columns: the names of the encoder's columns, in the encoder's order (one per entry of
            ``categories_``).

    Returns:
        ``{column: {category: index}}`` with one entry per name in ``columns``. Each category
        maps to its position in that column's ``categories_`` array, as a Python ``float`` (the
        model's input dtype): ``{"carrier": {"9E": 0.0, "AA": 1.0, ...}}``. A missing value
        seen in training — listed last by the encoder, as ``None`` or as a float NaN — is not
        a category and gets no entry (the encoder turns it into NaN, not into an index).

    Raises:
        Nothing for a fitted encoder with one name per column.

    Invariants (checked):
        - On week 3's pipeline the keys are exactly its categorical columns, and every
          category sits at the encoder's own index.
        - Neither ``None`` nor NaN is ever a key, whichever of the two the encoder lists.
        - Every index is a ``float``.
    """
    # TODO: your code here
    raise NotImplementedError("category_maps")


def encode_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    maps: Mapping[str, Mapping[str, float]],
) -> np.ndarray:
    """The matrix the Pipeline's ColumnTransformer would feed XGBoost, built from plain dicts.

    The booster only sees numbers: category indices and raw values, NaN where something is
    unknown. If one cell differs from what the Pipeline would give, the probabilities differ
    too, silently; the checks compare both on real flights.

    Args:
        rows: request bodies, one mapping per flight (feature name -> value; JSON ``null``
            arrives as ``None``).
        columns: the model's input columns, in the order the booster expects them.
        maps: :func:`category_maps`' lookups; a column that is a key of ``maps`` is
            categorical, any other column is numeric.

    Returns:
        A ``float64`` array of shape ``(len(rows), len(columns))`` — also for no rows, where it
        is ``(0, len(columns))``. Cell ``[i, j]`` encodes ``rows[i][columns[j]]``:

        - categorical column: the value's index in ``maps[column]``; NaN when the value is
          ``None`` *or was never seen in training* (not -1, and not 0: index 0 is a real
          carrier);
        - numeric column: the number itself, NaN when it is ``None``.

    Raises:
        Nothing for rows that carry every column.

    Invariants (checked):
        - Equal, cell for cell (NaN where NaN), to the Pipeline's ColumnTransformer output on
          real flights.
        - The booster's probabilities on this matrix equal the Pipeline's ``predict_proba`` to
          1e-6, also for unseen carriers and destinations and a missing engine type.
        - An unseen carrier (``"ZZ"``) and ``None`` values (categorical or numeric) are NaN.
        - ``rows`` are not modified.
    """
    # TODO: your code here
    raise NotImplementedError("encode_rows")
