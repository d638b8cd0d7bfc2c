"""The models, each one scikit-learn ``Pipeline`` whose input is a DataFrame of raw feature
columns (:data:`week03_ml.features.FEATURES`) and whose output is a delay probability.

* ``baseline``: always the training delay rate (the "majority" model; ROC-AUC 0.5 by design);
* ``logreg``: one-hot categoricals, imputed and scaled numbers, a logistic regression;
* ``xgboost``: ordinal-coded categoricals and raw numbers (NaN allowed) into gradient-boosted
  trees.

Every pipeline starts with :class:`LeakageGuard`, so even ``pipeline.fit(flights, y)`` on a
frame that still holds ``dep_delay`` is refused with the column's name. Hyper-parameters live
in frozen dataclasses: a run is described by values, not by code edits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from week03_ml.features import CATEGORICAL, NUMERIC, check_no_leakage

ModelName = Literal["baseline", "logreg", "xgboost"]
MODEL_NAMES: tuple[ModelName, ...] = ("baseline", "logreg", "xgboost")


@dataclass(frozen=True)
class LogRegParams:
    """Logistic regression: inverse regularisation ``C``; rare categories pooled below
    ``min_frequency`` training flights."""

    C: float = 1.0
    min_frequency: int = 50
    max_iter: int = 1000


@dataclass(frozen=True)
class XGBParams:
    """XGBoost, tuned on the validation window (notebook 02). ``n_jobs=2``: this course's
    machines have two cores."""

    n_estimators: int = 300
    learning_rate: float = 0.05
    max_depth: int = 5
    min_child_weight: float = 50.0
    subsample: float = 0.8
    colsample_bytree: float = 0.8
    reg_lambda: float = 5.0
    n_jobs: int = 2
    random_state: int = 0


class LeakageGuard(BaseEstimator, TransformerMixin):
    """First step of every pipeline: refuses, at fit time, any input column that is only known
    after departure (see :func:`week03_ml.features.check_no_leakage`); passes data through."""

    def fit(self, X: pd.DataFrame, y: Any = None) -> LeakageGuard:
        check_no_leakage(X.columns)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        return X


def make_baseline() -> Pipeline:
    """The majority model: predicts the training delay rate for every flight."""
    return Pipeline([("guard", LeakageGuard()), ("model", DummyClassifier(strategy="prior"))])


def make_logreg(
    params: LogRegParams = LogRegParams(),
    categorical: Sequence[str] = CATEGORICAL,
    numeric: Sequence[str] = NUMERIC,
) -> Pipeline:
    """One-hot + impute/scale + ``LogisticRegression``."""
    pre = ColumnTransformer(
        [
            (
                "cat",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist", min_frequency=params.min_frequency
                ),
                list(categorical),
            ),
            (
                "num",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True), StandardScaler()
                ),
                list(numeric),
            ),
        ]
    )
    model = LogisticRegression(C=params.C, max_iter=params.max_iter)
    return Pipeline([("guard", LeakageGuard()), ("prepare", pre), ("model", model)])


def make_xgboost(
    params: XGBParams = XGBParams(),
    categorical: Sequence[str] = CATEGORICAL,
    numeric: Sequence[str] = NUMERIC,
) -> Pipeline:
    """Ordinal-coded categoricals (unknown -> NaN) + numbers as they are + ``XGBClassifier``."""
    from xgboost import XGBClassifier

    pre = ColumnTransformer(
        [
            (
                "cat",
                OrdinalEncoder(
                    handle_unknown="use_encoded_value",
                    unknown_value=np.nan,
                    encoded_missing_value=np.nan,
                ),
                list(categorical),
            ),
            ("num", "passthrough", list(numeric)),
        ]
    )
    model = XGBClassifier(tree_method="hist", eval_metric="logloss", **asdict(params))
    return Pipeline([("guard", LeakageGuard()), ("prepare", pre), ("model", model)])


def make_model(
    name: ModelName,
    params: LogRegParams | XGBParams | None = None,
    categorical: Sequence[str] = CATEGORICAL,
    numeric: Sequence[str] = NUMERIC,
) -> Pipeline:
    """The pipeline called ``name`` (``baseline``, ``logreg`` or ``xgboost``)."""
    if name == "baseline":
        return make_baseline()
    if name == "logreg":
        lr = params if isinstance(params, LogRegParams) else LogRegParams()
        return make_logreg(lr, categorical, numeric)
    if name == "xgboost":
        xgb = params if isinstance(params, XGBParams) else XGBParams()
        return make_xgboost(xgb, categorical, numeric)
    raise ValueError(f"model must be one of {MODEL_NAMES}, got {name!r}")


def fit_model(pipeline: Pipeline, X: pd.DataFrame, y: pd.Series) -> Pipeline:
    """Fit ``pipeline`` on ``X`` (raw feature columns) and ``y`` (0/1); refuses leaky columns."""
    check_no_leakage(X.columns)
    return pipeline.fit(X, np.asarray(y, dtype="int64"))


def predict_proba(pipeline: Pipeline, X: pd.DataFrame) -> np.ndarray:
    """The delay probability of each row of ``X``."""
    return np.asarray(pipeline.predict_proba(X)[:, 1], dtype="float64")
