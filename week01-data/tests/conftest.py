"""Fixtures for week01's checks.

Each fixture is one module of the week, loaded through the grader's ``solution`` fixture: the
reference package by default, your ``exercises/`` file under ``uv run course grade week01``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pandas as pd
import pytest

from course import data


@pytest.fixture
def clean(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("clean")


@pytest.fixture
def target(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("target")


@pytest.fixture
def join(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("join")


@pytest.fixture
def validate(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("validate")


@pytest.fixture
def explore(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("explore")


@pytest.fixture(scope="session")
def jan_week() -> pd.DataFrame:
    """A real slice: every flight of 1-7 January 2013, all three airports (~6,000 flights)."""
    return data.flights_slice(month=1, days=range(1, 8))


@pytest.fixture(scope="session")
def weather() -> pd.DataFrame:
    return data.load_table("weather")


@pytest.fixture(scope="session")
def planes() -> pd.DataFrame:
    return data.load_table("planes")
