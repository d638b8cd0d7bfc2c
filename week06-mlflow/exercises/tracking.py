"""Exercises 1-3 — what a run records: its parameters, its metrics, its model's signature.

Fill in the four functions below, then check them with ``uv run course grade week06``.
The reference solution lives in ``week06_mlflow/tracking.py``: look only once you are done.
Notebook 01 (``USE_MY_CODE = True``) logs a real run with your functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd
from numpy.typing import ArrayLike

from week03_ml.train import TrainConfig

if TYPE_CHECKING:
    from mlflow.models import ModelSignature

#: The scores of week 3's ``holdout_scores`` that are measured on the *test* window.
TEST_SCORES = ("roc_auc", "pr_auc", "precision", "recall", "f1")


def config_params(config: TrainConfig) -> dict[str, str | int | float | bool]:
    """Every field of ``config`` as a flat dict of MLflow parameters (exercise 1).

    Nested hyper-parameters are prefixed with their section (``"xgboost.max_depth": 5``,
    ``"logreg.C": 1.0``); plain fields keep their name (``"valid_start": "2013-07-01"``).
    Tuples become one comma-joined string (``"models": "baseline,logreg,xgboost"``) and the
    number of features is added as ``"n_features"``. Values stay ``str``/``int``/``float``/
    ``bool``: MLflow stores them as text, so a search compares ``params.xgboost.max_depth = '5'``.

    Steps:
      1. ``dataclasses.asdict(config)`` gives nested dicts for ``logreg`` and ``xgboost``.
      2. For a dict value, add ``f"{key}.{inner}"`` for each of its items.
      3. For a list/tuple value, add ``",".join(str(v) for v in value)``; else the value.
      4. Add ``"n_features": len(config.features)``.
    """
    # TODO: your code here
    raise NotImplementedError("config_params")


def score_metrics(scores: Mapping[str, float]) -> dict[str, float]:
    """Week 3's scores (:class:`~week03_ml.train.ModelResult` ``.scores``) as MLflow metric
    names (exercise 2).

    The test window's scores get a ``test_`` prefix (``roc_auc`` -> ``test_roc_auc``) so that
    nobody mistakes them for the validation scores; ``threshold`` and ``valid_roc_auc`` keep
    their names; any other key also keeps its name. NaN scores (a window with one class) are
    left out. Values are plain floats.

    Steps: for each ``key, value``: skip NaN (``math.isnan``); the name is ``f"test_{key}"``
    when ``key in TEST_SCORES``, else ``key``; store ``float(value)``.
    """
    # TODO: your code here
    raise NotImplementedError("score_metrics")


def month_metrics(by_month: pd.DataFrame) -> dict[str, float]:
    """Each test month's scores (week 3's ``metrics_by_month`` table) as flat metrics
    (exercise 2): ``test_roc_auc_m04``, ``test_pr_auc_m04``, ``test_delay_rate_m04``,
    ``test_flights_m04`` for April. The month has two digits so the names sort in time order;
    NaN scores are left out.

    Steps: for each row (``by_month.itertuples(index=False)``) and each column of
    ``("roc_auc", "pr_auc", "delay_rate", "flights")``: skip NaN, else store
    ``float(value)`` under ``f"test_{column}_m{month:02d}"``.
    """
    # TODO: your code here
    raise NotImplementedError("month_metrics")


def build_signature(X: pd.DataFrame, proba: ArrayLike) -> ModelSignature:
    """The model's signature: its input columns and its output (exercise 3).

    Inputs: one column per column of ``X``, in order, all *optional* (any weather reading or
    plane detail can be missing at serving time): ``string`` for text columns and ``double``
    for every number, integers included, because a missing integer arrives as NaN, a float,
    and an ``long`` column would refuse it. Output: one 1-D ``float64`` array, the delay
    probability (``proba`` are predictions on ``X``, used for the output type).

    Steps:
      1. ``from mlflow.models import ModelSignature`` and
         ``from mlflow.types import ColSpec, Schema, TensorSpec`` (inside the function:
         importing MLflow takes seconds).
      2. For each column: ``ColSpec("double" if pd.api.types.is_numeric_dtype(X[c]) else
         "string", c, required=False)``.
      3. Outputs: ``Schema([TensorSpec(np.dtype("float64"), (-1,))])``; raise ``ValueError``
         when ``np.asarray(proba)`` is not 1-D.
      4. ``return ModelSignature(inputs=Schema(columns), outputs=...)``.
    (``mlflow.models.infer_signature(X, proba)`` is the one-liner: print what it infers for
    an ``int64`` column and see why we do not use it as is.)
    """
    # TODO: your code here
    raise NotImplementedError("build_signature")
