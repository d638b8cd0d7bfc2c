"""Small *real* windows of week 3's feature table, so a run takes seconds instead of minutes.

``load_flights(months=[1, 2, 3, 4, 5], days=range(1, 8))`` is the first week of each month
from January to May: enough to train on January-February, validate on March and test on
April-May with week 3's code, unchanged. (week03's own ``load_flights`` takes whole months.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from course.data import flights_slice, load_table
from week01_data.dataset import build_dataset
from week01_data.validate import quarantine, weather_schema
from week03_ml.features import build_features


def load_flights(months: Sequence[int] | None = None,
                 days: Iterable[int] | None = None) -> pd.DataFrame:
    """Week 1's joined table with week 3's features for the flights of ``months`` (default:
    the whole year), only ``days`` of each month when given; unlabelled flights included."""
    raw = None
    if months is not None or days is not None:
        raw = flights_slice(list(months) if months is not None else list(range(1, 13)),
                                 days=None if days is None else list(days))
    weather, _ = quarantine(load_table("weather"), weather_schema())
    return build_features(build_dataset(raw).flights, weather)
