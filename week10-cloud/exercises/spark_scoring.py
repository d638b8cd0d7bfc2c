"""Exercise 5 — what every Spark executor runs.

Spark sends one value to every executor (a *broadcast*) and runs a function on slices of the
data (``mapInPandas``: each slice arrives as a pandas DataFrame). The value must be plain: a
pickle of an sklearn pipeline only loads on the same Python and library versions, and runs code
as it loads. XGBoost's own model format (UBJSON, a binary JSON) loads in any XGBoost. The
function must give exactly the pipeline's probabilities. Week05's
:class:`~week05_ml_api.fastpath.FastModel` already knows how the pipeline encodes a flight;
:class:`~week10_cloud.spark_scoring.ModelPayload` (``booster``, ``columns``, ``maps``) is the
plain value.

Check your work with ``uv run course grade week10``; stuck? ``uv run course hint week10
model_payload`` gives one hint step at a time. The reference solution lives in
``week10_cloud/spark_scoring.py``: look only once you are done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from week05_ml_api.fastpath import FastModel
from week10_cloud.spark_scoring import ModelPayload


def model_payload(pipeline: Pipeline) -> ModelPayload:
    """The plain :class:`ModelPayload` of a fitted week-3 XGBoost ``pipeline``.

    Args:
        pipeline: week 3's fitted pipeline (its encoder, then an ``XGBClassifier``).

    Returns:
        A :class:`ModelPayload` with

        - ``booster``: the booster in XGBoost's UBJSON format, as ``bytes`` (exactly that type:
          not a ``bytearray``, not a pickle); loading it into a new ``xgboost.Booster`` gives
          the same model (the demo model has 40 trees);
        - ``columns``: the model's input columns, in the model's order, as a ``tuple``;
        - ``maps``: ``{categorical column: {category: index}}``, plain ``str`` keys and
          ``float`` values (JSON-serialisable; e.g. ``maps["origin"]`` is
          ``{"EWR": 0.0, "JFK": 1.0, "LGA": 2.0}``), exactly the pipeline's encoding.

    Raises:
        ValueError: for a pipeline of another shape (week05's rule).

    Invariants (checked):
        - ``columns`` holds the same names as week03's ``FEATURES``; ``maps`` has one entry per
          categorical feature (``carrier``, ``origin``, ``dest``, ``plane_engine``).
    """
    # TODO: your code here
    raise NotImplementedError("model_payload")


def score_batch(batch: pd.DataFrame, payload: ModelPayload) -> np.ndarray:
    """Delay probabilities of the rows of ``batch`` with ``payload``'s model.

    This runs on every executor, once per slice of the data: it may only use the payload (no
    pipeline, no file) and it must not start threads of its own (Spark already runs one task
    per core).

    Args:
        batch: rows with at least the columns ``payload.columns``, in any order; other columns
            (the flight's keys) are ignored. A missing category may arrive as ``None`` (what
            Arrow gives) or NaN, and a category the model never saw (a new carrier) may appear.
        payload: what :func:`model_payload` made.

    Returns:
        A float64 ``numpy`` array of shape ``(len(batch),)``, row ``i`` the probability of
        ``batch``'s row ``i``: equal to the pipeline's ``predict_proba`` to 1e-6, a missing or
        unknown category scored as the pipeline scores a missing one.

    Raises:
        KeyError: when a column of ``payload.columns`` is missing from ``batch``; the message
            names the missing column(s) (e.g. ``past_rate_route``).

    Invariants (checked):
        - Columns are read by name, never by position: the same rows with their columns in
          another order give the same probabilities.
    """
    # TODO: your code here
    raise NotImplementedError("score_batch")
