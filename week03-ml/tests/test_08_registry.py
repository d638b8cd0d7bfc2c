"""The feature registry: every feature declared once, and the year's values inside the ranges
the registry declares (week05's request schema and week04's online store read those ranges)."""

from __future__ import annotations

import pandas as pd

from week01_data.validate import WEATHER_RANGES
from week03_ml.features import AGGREGATES, BY_NAME, FEATURES, REGISTRY


def test_each_feature_is_declared_once() -> None:
    names = [f.name for f in REGISTRY]
    assert len(names) == len(set(names)), "a feature is declared twice"
    assert names == FEATURES
    assert set(AGGREGATES) == {f.name for f in REGISTRY if f.kind == "past_rate"}


def test_weather_ranges_are_week01s() -> None:
    for name, rng in WEATHER_RANGES.items():
        assert BY_NAME[name].valid == rng, f"{name}: week03 and week01 disagree on its range"


def test_every_value_of_the_year_is_in_its_declared_range(year: pd.DataFrame) -> None:
    for f in REGISTRY:
        if f.valid is None:
            continue
        values = year[f.name].dropna()
        low, high = f.valid
        outside = values[(values < low) | (values > high)]
        assert outside.empty, (
            f"{f.name}: {len(outside)} values outside its declared range {f.valid}, "
            f"e.g. {outside.iloc[0]}"
        )
