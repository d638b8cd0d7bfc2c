"""Exercise 5 — what every Spark executor runs.

Spark broadcasts one value to every executor and runs a function on slices of the data
(``mapInPandas``). The value must be plain (a pickle of an sklearn pipeline only loads on the
same Python and library versions, and runs code as it loads); the function must give the
pipeline's probabilities. Week05's :class:`~week05_ml_api.fastpath.FastModel` already knows
the encoding; :class:`~week10_cloud.spark_scoring.ModelPayload` is the plain value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from week05_ml_api.fastpath import FastModel
from week10_cloud.spark_scoring import ModelPayload


def model_payload(pipeline: Pipeline) -> ModelPayload:
    """The :class:`ModelPayload` of a week-3 XGBoost ``pipeline``: ``booster`` (``bytes`` of
    ``booster.save_raw("ubj")``), ``columns`` (a tuple) and ``maps``.

    ``FastModel.from_pipeline(pipeline)`` reads the layout (``.columns``, ``.maps``) and holds
    the booster (``.booster``). ``save_raw`` returns a ``bytearray``: make it ``bytes``.
    """
    # TODO: your code here
    raise NotImplementedError("model_payload")


def score_batch(batch: pd.DataFrame, payload: ModelPayload) -> np.ndarray:
    """Delay probabilities (float64, one per row of ``batch``) with ``payload``'s model.

    1. a column of ``payload.columns`` missing from ``batch``: ``KeyError`` naming it;
    2. ``booster = xgboost.Booster()``; ``booster.load_model(bytearray(payload.booster))``;
       one thread (``booster.set_param({"nthread": 1})``: Spark runs a task per core);
    3. ``model = FastModel(payload.columns, payload.maps, booster)``;
    4. ``model.encode_columns({c: batch[c].to_numpy() for c in payload.columns}, len(batch))``
       then ``model.predict_matrix(...)``.
    """
    # TODO: your code here
    raise NotImplementedError("score_batch")
