"""The fast path: a request straight into a NumPy matrix, then the XGBoost booster.

Profiling a request (notebook 02) shows where the time goes with the sklearn Pipeline: building
a one-row pandas DataFrame and running the ColumnTransformer cost milliseconds, XGBoost's own
prediction a fraction of one. The Pipeline's preprocessing for the XGBoost model is simple —
categories to their ordinal index (unknown or missing -> NaN), numbers passed through — so we
precompute a ``category -> index`` map per categorical column once, at load time, encode
requests with plain Python and one ``np.array`` call, and hand the matrix to the booster's own
``inplace_predict``. For one flight (up to :data:`SMALL_BATCH`) the booster's per-call set-up
costs more than the trees: those go to treelite's predictor (GTIL) on the same trees, read
from the booster once. The answer must be *the same* as the Pipeline's: the checks compare
both paths to 1e-6 on real flights.

>>> fast = FastModel.from_pipeline(pipeline)            # once, when the model is loaded
>>> fast.predict([{"carrier": "B6", ...}])              # per request
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import treelite
import treelite.gtil
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OrdinalEncoder


def category_maps(encoder: OrdinalEncoder, columns: Sequence[str]) -> dict[str, dict[str, float]]:
    """``{column: {category: index}}`` from a fitted ``OrdinalEncoder`` over ``columns``.

    ``encoder.categories_[i]`` lists column ``i``'s categories in index order. A missing value
    seen in training (``None`` or NaN, listed last) is *not* a category: the encoder turns it
    into NaN, so it must not get an index here. Indices are floats (the model's input dtype).
    """
    maps: dict[str, dict[str, float]] = {}
    for column, categories in zip(columns, encoder.categories_, strict=True):
        maps[column] = {
            value: float(index)
            for index, value in enumerate(categories)
            if not (value is None or (isinstance(value, float) and math.isnan(value)))
        }
    return maps


def encode_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    maps: Mapping[str, Mapping[str, float]],
) -> np.ndarray:
    """A float64 array ``(len(rows), len(columns))``: what the Pipeline feeds XGBoost.

    Column ``j`` holds ``row[columns[j]]``: for a categorical column (a key of ``maps``) its
    index in ``maps[column]``, NaN when the value is missing *or was never seen in training*;
    for a numeric column the number itself, NaN when it is ``None``.
    """
    nan = math.nan
    lookups: list[Mapping[Any, float] | None] = [maps.get(column) for column in columns]
    pairs = list(zip(columns, lookups, strict=True))
    table = [
        [
            lookup.get(row.get(column), nan) if lookup is not None else row.get(column)
            for column, lookup in pairs
        ]
        for row in rows
    ]
    # np.array turns None (a missing number) into NaN when the dtype is float
    return np.array(table, dtype=np.float64).reshape(len(rows), len(columns))


#: Up to this many rows, treelite's GTIL beats the booster's ~0.13 ms of set-up per call.
SMALL_BATCH = 4


def _is_passthrough(transformer: object) -> bool:
    # a fitted ColumnTransformer stores "passthrough" as an identity FunctionTransformer
    return transformer == "passthrough" or (
        isinstance(transformer, FunctionTransformer) and transformer.func is None
    )


@dataclass(frozen=True)
class FastModel:
    """The encoder layout (``columns``, ``maps``) and the booster of a week-3 XGBoost Pipeline,
    with the same trees as a treelite model for small batches (``None``: the booster only)."""

    columns: tuple[str, ...]
    maps: dict[str, dict[str, float]]
    booster: Any  # xgboost.Booster, one thread
    trees: Any = None  # treelite.Model of the booster

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline) -> FastModel:
        """Read the layout from ``pipeline`` (guard -> ColumnTransformer(ordinal categories,
        passthrough numbers) -> XGBClassifier); ``ValueError`` for any other shape."""
        from xgboost import XGBClassifier

        steps = dict(pipeline.steps)
        prepare, model = steps.get("prepare"), steps.get("model")
        if not isinstance(model, XGBClassifier) or prepare is None:
            raise ValueError(
                "the fast path needs week 3's xgboost pipeline "
                "(steps 'prepare' and an XGBClassifier 'model')"
            )
        if getattr(prepare, "remainder", "drop") != "drop":
            raise ValueError("the fast path needs a ColumnTransformer with remainder='drop'")
        columns: list[str] = []
        maps: dict[str, dict[str, float]] = {}
        for name, transformer, cols in prepare.transformers_:
            if name == "remainder":
                continue
            if isinstance(transformer, OrdinalEncoder):
                maps.update(category_maps(transformer, list(cols)))
            elif not _is_passthrough(transformer):
                raise ValueError(
                    f"the fast path cannot replay transformer {name!r} "
                    f"({type(transformer).__name__})"
                )
            columns.extend(cols)
        booster = model.get_booster().copy()
        # One thread: the server runs one worker per core, and threads inside one prediction
        # would only fight the other workers for the same cores (README, appendix).
        booster.set_param({"nthread": 1})
        return cls(tuple(columns), maps, booster, treelite.frontend.from_xgboost(booster))

    def predict(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Delay probabilities of ``rows`` (dicts of feature values)."""
        return self.predict_matrix(encode_rows(rows, self.columns, self.maps))

    def encode_columns(self, values: Mapping[str, Sequence[Any]], size: int) -> np.ndarray:
        """:func:`encode_rows`' matrix from *columns*: ``values[column]`` holds the ``size``
        values of that feature (``None`` or NaN for a missing number). Same encoding: category
        index, NaN when missing or never seen in training."""
        matrix = np.empty((size, len(self.columns)), dtype=np.float64)
        for j, column in enumerate(self.columns):
            lookup, value = self.maps.get(column), values[column]
            if lookup is None:
                matrix[:, j] = np.asarray(value, dtype=np.float64)
            else:
                items = value.tolist() if isinstance(value, np.ndarray) else value
                matrix[:, j] = [lookup.get(v, math.nan) for v in items]
        return matrix

    def predict_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """Delay probabilities of the rows of an encoded ``matrix``: treelite for up to
        :data:`SMALL_BATCH` rows, else the booster (its feature names were checked when the
        layout was read, not again on every call)."""
        if self.trees is not None and len(matrix) <= SMALL_BATCH:
            predicted = treelite.gtil.predict(self.trees, matrix, nthread=1).reshape(-1)
        else:
            predicted = self.booster.inplace_predict(matrix, validate_features=False)
        return np.asarray(predicted, dtype=np.float64)
