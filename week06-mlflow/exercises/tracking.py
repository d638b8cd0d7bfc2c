"""Exercises 1-3 — what a run records: its parameters, its metrics, its model's signature.

Fill in the four functions below, then check them with ``uv run course grade week06``; stuck?
``uv run course hint week06 config_params`` (or ``metrics``, ``signature``) gives one hint step
at a time. The reference solution lives in ``week06_mlflow/tracking.py``: look only once you are
done. Notebook 01 (``USE_MY_CODE = True``) logs a real run with your functions.
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
    """Every field of ``config`` as one flat dict of MLflow parameters (exercise 1).

    MLflow parameters are a flat list of short name/value pairs; a run page and a search filter
    (``params.xgboost.max_depth = '5'``) can only show and compare what is flat. Logging *every*
    field, not a hand-picked few, is what lets someone rebuild the model from its run.

    Args:
        config: week 3's :class:`~week03_ml.train.TrainConfig`: plain fields (``valid_start``,
            ``test_start``), tuples (``features``, ``models``) and two sections of
            hyper-parameters that are dataclasses themselves (``logreg``, ``xgboost``).

    Returns:
        A new dict, one entry per field, plus one:

        - each field of a section becomes ``"<section>.<field>"`` with its value unchanged
          (``"xgboost.max_depth": 5`` stays an ``int``, ``"logreg.C": 1.0`` a ``float``);
        - a tuple becomes one string, its items in order joined by a comma with no spaces
          (``"models": "baseline,logreg,xgboost"``);
        - any other field keeps its name and value (``"valid_start": "2013-07-01"``);
        - ``"n_features"`` is the number of feature columns (``len`` of ``config.features``).

        Every value is a ``str``, ``int``, ``float`` or ``bool``.

    Raises:
        Nothing for a ``TrainConfig``.

    Invariants (checked):
        - Every field of ``XGBParams`` and of ``LogRegParams`` appears under its section,
          whatever values the config holds.
        - No value is a tuple, list or dict.
    """
    # TODO: your code here
    raise NotImplementedError("config_params")


def score_metrics(scores: Mapping[str, float]) -> dict[str, float]:
    """Week 3's scores under MLflow metric names that say which window they were measured on
    (exercise 2).

    Week 3 calls the test window's ROC-AUC plain ``roc_auc``; beside ``valid_roc_auc`` in a
    run table, nobody could tell which one the model was chosen on. NaN scores (a window with
    only one class) would break sorting in the UI and in searches.

    Args:
        scores: :class:`~week03_ml.train.ModelResult` ``.scores``: ``threshold``,
            ``valid_roc_auc`` and the test window's :data:`TEST_SCORES` (``roc_auc``,
            ``pr_auc``, ``precision``, ``recall``, ``f1``); values may be NumPy floats, and
            other keys may appear.

    Returns:
        A new dict: each key of :data:`TEST_SCORES` gets a ``test_`` prefix (``roc_auc`` ->
        ``test_roc_auc``); every other key (``threshold``, ``valid_roc_auc``, ``brier``...)
        keeps its name. Values are plain Python ``float``. A NaN score is left out, and only
        that one.

    Raises:
        Nothing for numeric scores.

    Invariants (checked):
        - No bare ``roc_auc`` key remains.
        - A NaN anywhere drops that key only; the keys after it are still there.
    """
    # TODO: your code here
    raise NotImplementedError("score_metrics")


def month_metrics(by_month: pd.DataFrame) -> dict[str, float]:
    """Each test month's scores as flat metric names that sort in time order (exercise 2).

    A run page lists metrics alphabetically: ``m9`` would sort after ``m10``, so the month is
    written with two digits.

    Args:
        by_month: week 3's ``metrics_by_month`` table, one row per test month with the columns
            ``month`` (an ``int``, 1-12), ``flights``, ``delay_rate``, ``roc_auc`` and
            ``pr_auc``.

    Returns:
        A new dict with, for each row and each of the four scores ``roc_auc``, ``pr_auc``,
        ``delay_rate`` and ``flights``, the key ``test_<score>_m<MM>`` (``test_roc_auc_m04``,
        ``test_flights_m10``) and the value as a ``float``. A NaN value is left out. Nothing
        else is added (no entry for ``month`` itself).

    Raises:
        Nothing for a table with those columns.

    Invariants (checked):
        - Two months with one NaN ROC-AUC give exactly 7 metrics.
        - September is ``m09``, not ``m9``.
    """
    # TODO: your code here
    raise NotImplementedError("month_metrics")


def build_signature(X: pd.DataFrame, proba: ArrayLike) -> ModelSignature:
    """The model's MLflow signature: which inputs it accepts and what it returns (exercise 3).

    A served model checks every request against its signature. ``infer_signature`` reads the
    sample it is given too literally: an ``int64`` column becomes ``long``, which refuses the NaN
    a missing integer arrives as, and a column without gaps in the sample becomes required. At
    serving time any weather reading or plane detail can be missing.

    Args:
        X: the model's input frame (its columns are the features, in order).
        proba: the model's predictions on ``X``, one delay probability per row (used to check
            the output's shape).

    Returns:
        A ``mlflow.models.ModelSignature`` whose

        - inputs are one column spec per column of ``X``, same names, same order, each
          *optional* (not required): type ``double`` for every numeric column (integers
          included), ``string`` for every other column;
        - outputs are exactly one tensor spec of dtype ``float64`` and shape ``(-1,)`` (one
          probability per row), whatever dtype ``proba`` has.

        (Import MLflow's classes inside the function: importing MLflow takes seconds, and this
        module is imported by code that never logs a model.)

    Raises:
        ValueError: when ``proba`` is not one-dimensional (for example both columns of
            ``predict_proba``, shape ``(n, 2)``).

    Invariants (checked):
        - ``int64`` and ``int32`` columns are ``double``; a text column with a ``None`` is
          ``string``.
        - No input is required.
    """
    # TODO: your code here
    raise NotImplementedError("build_signature")
