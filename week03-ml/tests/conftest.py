"""Fixtures for week03's checks.

Each module fixture is one module of the week, loaded through the grader's ``solution`` fixture:
the reference package by default, your ``exercises/`` file under ``uv run course grade week03``.
The expensive fixtures (the whole year's features, a trained model) are session-scoped and used
only by the reference checks, never by graded ones.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pandas as pd
import pytest

from course import data
from week01_data.target import add_target


@pytest.fixture
def split(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("split")


@pytest.fixture
def features(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("features")


@pytest.fixture
def evaluate(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("evaluate")


@pytest.fixture
def checks(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("checks")


@pytest.fixture(scope="session")
def jan_fortnight() -> pd.DataFrame:
    """A real slice: every flight of 1-14 January 2013 with its label (~12,000 flights)."""
    return add_target(data.flights_slice(month=1, days=range(1, 15)))


@pytest.fixture(scope="session")
def year() -> pd.DataFrame:
    """The whole year with this week's features (week 1's joined table + aggregates): ~1 s from
    the cache, ~6 s to build it the first time."""
    from week03_ml.train import load_flights

    return load_flights()


@pytest.fixture(scope="session")
def year_split(year: pd.DataFrame):
    from week03_ml.train import TrainConfig, split_labelled

    return split_labelled(year, TrainConfig())


@pytest.fixture(scope="session")
def xgb_model(year_split):
    """XGBoost with the default parameters, fitted on 60,000 flights of January-June (~3 s)."""
    from week01_data.target import TARGET
    from week03_ml.features import FEATURES
    from week03_ml.models import XGBParams, fit_model, make_xgboost

    train = year_split.train.sample(60_000, random_state=0)
    # one thread: on a busy 2-core machine XGBoost's two OpenMP threads mostly wait on each other
    params = XGBParams(n_jobs=1)
    return fit_model(make_xgboost(params), train[FEATURES], train[TARGET])
