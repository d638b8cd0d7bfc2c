"""The fast path: a request straight into a NumPy row, then the XGBoost booster.

Profiling a request (notebook 02) shows where the time goes with the sklearn Pipeline: building
a one-row pandas DataFrame and running the ColumnTransformer costs ~8 ms, while XGBoost's own
prediction takes ~0.5 ms. The Pipeline's preprocessing for the XGBoost model is simple —
categories to their ordinal index (unknown or missing -> NaN), numbers passed through — so we
precompute a ``category -> index`` map per categorical column once, at load time, and encode
requests with plain Python and one ``np.array`` call. The answer must be *the same* as the
Pipeline's: the checks compare both to 1e-6 on real flights.

>>> layout = FastModel.from_pipeline(pipeline)            # once, when the model is loaded
>>> layout.predict([{"carrier": "B6", ...}])              # per request
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OrdinalEncoder

log = logging.getLogger(__name__)


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


def _is_passthrough(transformer: object) -> bool:
    # a fitted ColumnTransformer stores "passthrough" as an identity FunctionTransformer
    return transformer == "passthrough" or (
        isinstance(transformer, FunctionTransformer) and transformer.func is None
    )


#: Up to this many rows, :class:`TreeArrays` beats the booster's per-call overhead.
SMALL_BATCH = 8
#: From this many rows on, a batch may use every core (XGBoost shares rows out in blocks of
#: 64; for fewer, starting threads costs more than they save).
PARALLEL_ROWS = 256


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, else the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class TreeArrays:
    """A binary:logistic gbtree as padded NumPy arrays, walked for all trees at once.

    For one row, ``Booster.inplace_predict`` spends most of its ~0.4 ms on per-call set-up,
    not on 300 trees of depth 5; walking the trees with NumPy costs a fraction of that. The
    rules are XGBoost's: features as float32, ``x < split`` goes left, NaN takes the node's
    default branch, the margin is the sum of the leaves plus ``logit(base_score)``.
    :meth:`from_booster` refuses anything else (categorical splits, other objectives), and
    :class:`FastModel` checks it against the booster before using it.
    """

    left: np.ndarray  # (trees, nodes) int, -1 at a leaf
    right: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray  # float32; the leaf's value at a leaf
    default_left: np.ndarray  # bool
    depth: int
    base_margin: float

    @classmethod
    def from_booster(cls, booster: Any) -> TreeArrays:
        model = json.loads(booster.save_raw("json"))["learner"]
        if model["objective"]["name"] != "binary:logistic":
            raise ValueError(f"objective {model['objective']['name']} is not binary:logistic")
        gbm = model["gradient_booster"]
        if gbm.get("name") != "gbtree":
            raise ValueError(f"booster {gbm.get('name')} is not gbtree")
        trees = gbm["model"]["trees"]
        if any(any(t["split_type"]) for t in trees):
            raise ValueError("categorical splits are not supported")
        width = max(len(t["left_children"]) for t in trees)
        shape = (len(trees), width)
        left, right = np.full(shape, -1, np.int64), np.full(shape, -1, np.int64)
        feature = np.zeros(shape, np.int64)
        threshold = np.zeros(shape, np.float32)
        default_left = np.zeros(shape, bool)
        for i, tree in enumerate(trees):
            n = len(tree["left_children"])
            left[i, :n], right[i, :n] = tree["left_children"], tree["right_children"]
            feature[i, :n], threshold[i, :n] = tree["split_indices"], tree["split_conditions"]
            default_left[i, :n] = tree["default_left"]
        base = float(str(model["learner_model_param"]["base_score"]).strip("[]"))
        depth = _depth(left, right)
        return cls(
            left, right, feature, threshold, default_left, depth, math.log(base / (1 - base))
        )

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """Probabilities of the rows of ``matrix`` (the encoded features)."""
        x = matrix.astype(np.float32)
        rows, trees = x.shape[0], self.left.shape[0]
        tree_index = np.arange(trees)[None, :]
        node = np.zeros((rows, trees), np.int64)
        row_index = np.arange(rows)[:, None]
        for _ in range(self.depth):
            left = self.left[tree_index, node]
            value = x[row_index, self.feature[tree_index, node]]
            go_left = np.where(
                np.isnan(value),
                self.default_left[tree_index, node],
                value < self.threshold[tree_index, node],
            )
            step = np.where(go_left, left, self.right[tree_index, node])
            node = np.where(left == -1, node, step)
        margin = self.threshold[tree_index, node].astype(np.float64).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-(margin + self.base_margin)))


def _depth(left: np.ndarray, right: np.ndarray) -> int:
    """The deepest leaf's depth (root = 0), over all trees."""
    depth, frontier = 0, [(t, 0) for t in range(left.shape[0])]
    while True:
        children = [(t, c) for t, n in frontier for c in (left[t, n], right[t, n]) if c != -1]
        if not children:
            return depth
        depth, frontier = depth + 1, children


@dataclass(frozen=True)
class FastModel:
    """The encoder layout and the booster of a week-3 XGBoost Pipeline."""

    columns: tuple[str, ...]
    maps: dict[str, dict[str, float]]
    booster: Any  # xgboost.Booster, one thread
    trees: TreeArrays | None = None  # for small batches; None when not exact
    parallel: Any = None  # a copy of the booster using every core; None on one core

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
        # Workers answer requests side by side, one core each: threads inside one prediction
        # would only fight over the same cores (measured: 40 % fewer batches per second at
        # concurrency 16 with two threads per worker). The parallel copy is for a batch that
        # arrives while the rest of the server is idle (see predict_matrix).
        booster.set_param({"nthread": 1})
        parallel = None
        if usable_cores() > 1:
            parallel = booster.copy()
            parallel.set_param({"nthread": usable_cores()})
        return cls(tuple(columns), maps, booster, _checked_trees(booster, len(columns)), parallel)

    def predict(self, rows: Sequence[Mapping[str, Any]], parallel: bool = False) -> np.ndarray:
        """Delay probabilities of ``rows`` (dicts of feature values)."""
        return self.predict_matrix(encode_rows(rows, self.columns, self.maps), parallel)

    def encode_columns(self, values: Mapping[str, Sequence[Any]], size: int) -> np.ndarray:
        """:func:`encode_rows`' matrix from *columns*: ``values[column]`` holds the ``size``
        values of that feature (a float array with NaN, or a list with ``None``, for missing
        numbers). Same encoding: category index, NaN when missing or never seen in training."""
        nan = math.nan
        matrix = np.empty((size, len(self.columns)), dtype=np.float64)
        for j, column in enumerate(self.columns):
            lookup, value = self.maps.get(column), values[column]
            if lookup is None:
                matrix[:, j] = np.asarray(value, dtype=np.float64)
            else:
                items = value.tolist() if isinstance(value, np.ndarray) else value
                matrix[:, j] = [lookup.get(v, nan) for v in items]
        return matrix

    def runs_parallel(self, rows: int, parallel: bool) -> bool:
        """Whether :meth:`predict_matrix` uses every core for ``rows`` rows."""
        return parallel and self.parallel is not None and rows >= PARALLEL_ROWS

    def predict_matrix(self, matrix: np.ndarray, parallel: bool = False) -> np.ndarray:
        """Delay probabilities of the rows of an encoded ``matrix``.

        ``parallel=True`` lets a large batch use every core: pass it only when nothing else
        is being computed (its worker knows, :func:`week05_ml_api.metrics.in_flight`).
        """
        rows = matrix.shape[0]
        if self.trees is not None and rows <= SMALL_BATCH:
            return self.trees.predict(matrix)
        booster = self.parallel if self.runs_parallel(rows, parallel) else self.booster
        return np.asarray(booster.inplace_predict(matrix), dtype=np.float64)


def _checked_trees(booster: Any, width: int) -> TreeArrays | None:
    """:class:`TreeArrays` of ``booster`` if it gives the booster's answers (to 1e-6) on random
    rows with missing values; ``None`` (use the booster) otherwise."""
    try:
        trees = TreeArrays.from_booster(booster)
    except (ValueError, KeyError) as exc:
        log.info("small-batch tree walker off: %s", exc)
        return None
    rng = np.random.default_rng(0)
    probe = rng.normal(0, 1000, size=(64, width))
    probe[rng.random(probe.shape) < 0.2] = np.nan
    worst = float(np.max(np.abs(trees.predict(probe) - booster.inplace_predict(probe))))
    if worst > 1e-6:
        log.warning("small-batch tree walker off: differs from the booster by %.2e", worst)
        return None
    return trees
