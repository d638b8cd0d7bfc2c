"""Small *real* windows of week 3's feature table, so a run takes seconds instead of minutes.

``load_flights(months=[1, 2, 3, 4, 5], days=range(1, 8))`` is the first week of each month
from January to May: enough to train on January-February, validate on March and test on
April-May with week 3's code, unchanged. It is week 3's own loader, named here so the lessons
read ``from week06_mlflow.data import load_flights``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from week03_ml.train import load_flights as _week03_load_flights


def load_flights(
    months: Sequence[int] | None = None, days: Iterable[int] | None = None
) -> pd.DataFrame:
    """Week 1's joined table with week 3's features for the flights of ``months`` (default:
    the whole year), only ``days`` of each month when given; unlabelled flights included."""
    return _week03_load_flights(months, days=days)
