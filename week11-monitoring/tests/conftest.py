"""Fixtures for week11's checks.

One fixture per graded module (``windows``, ``readout``, ``quality``, ``alerts``,
``webhook``), loaded through the grader's ``solution`` fixture: the reference package by
default, your ``exercises/`` file under ``uv run course grade week11``. The graded checks use
small frames and dictionaries built in the test: they never import Evidently.

The real-data checks share, once per session:

* ``flights``: January-February 2013 with week 3's features (~45,000 real flights, ~5 s);
* ``champion``: week 5's demo model (week 3's XGBoost pipeline, 40 trees) trained on 1-21
  January, loaded the way the report command loads a champion;
* ``evidently_month``: one Evidently drift and quality report on February (the only place the
  ~12 s ``import evidently`` is paid).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest


@pytest.fixture
def windows(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("windows")


@pytest.fixture
def readout(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("readout")


@pytest.fixture
def quality(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("quality")


@pytest.fixture
def alerts(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("alerts")


@pytest.fixture
def webhook(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("webhook")


@pytest.fixture(scope="session")
def flights() -> pd.DataFrame:
    """1 January - 28 February 2013, week 1's table with week 3's features."""
    from week03_ml.train import load_flights

    return load_flights([1, 2], days=range(1, 29))


@pytest.fixture(scope="session")
def champion_dir(flights: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Week 5's demo model trained on 1-21 January (its training window), saved by week 3."""
    from week05_ml_api.sample import train_demo_model

    january = flights[flights["month"] == 1]
    return train_demo_model(tmp_path_factory.mktemp("champion") / "model", january)


@pytest.fixture(scope="session")
def champion(champion_dir: Path) -> Any:
    """The demo model as the report command loads a champion."""
    from week11_monitoring.monitor import load_champion

    return load_champion(champion_dir)


@pytest.fixture(scope="session")
def scored(flights: pd.DataFrame, champion: Any) -> pd.DataFrame:
    """``flights`` with the champion's ``prediction``."""
    from week11_monitoring.monitor import score

    return score(flights, champion)


@dataclass(frozen=True)
class MonthRun:
    reference: pd.DataFrame
    current: pd.DataFrame
    as_of: dt.date
    fast: Any  # WindowResult
    evidently: Any  # WindowResult, with its snapshots


@pytest.fixture(scope="session")
def evidently_month(scored: pd.DataFrame, champion: Any) -> MonthRun:
    """February reported on 1 March by both engines (Evidently's import and run: ~15 s)."""
    from week11_monitoring.monitor import window_metrics
    from week11_monitoring.windows import monthly_windows, reference_and_current

    february = monthly_windows("2013-02", "2013-02")[0]
    as_of = dt.date(2013, 3, 1)
    reference, current = reference_and_current(scored, champion.metadata, february, as_of)
    runs = {
        engine: window_metrics(reference, current, champion, as_of, engine=engine)
        for engine in ("fast", "evidently")
    }
    return MonthRun(reference, current, as_of, runs["fast"], runs["evidently"])


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "out"
