"""The challenger: week03's model trained on a recent window, tracked and registered by week06.

Two ways to choose the training window on day ``D`` (the validation window is always the
``valid_days`` days before ``D``; training ends the day before it):

* ``rolling``: the ``train_weeks`` weeks before validation. Forgets the past: follows drift,
  but learns from fewer flights and forgets last year's same season;
* ``expanding``: every labelled day since ``first_day``. Never forgets: more data, slower to
  follow a change.

The README measures both on September-December 2013. The condition step is week06's
:func:`~week06_mlflow.registry.promotion_decision` on the *same* validation flights for both
models: a challenger that does not even beat the champion on recent labelled flights does not
get live traffic. Winning here only buys a place in the A/B test: it is never a promotion.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from week03_ml.split import flight_date

log = logging.getLogger(__name__)

WindowKind = Literal["rolling", "expanding"]


@dataclass(frozen=True)
class TrainWindow:
    """Training days ``[train_from, valid_from)``, validation days ``[valid_from, day)``."""

    train_from: dt.date
    valid_from: dt.date
    day: dt.date

    @property
    def text(self) -> str:
        last = self.valid_from - dt.timedelta(days=1)
        return f"{self.train_from}..{last}"


def training_window(
    day: dt.date,
    kind: WindowKind,
    *,
    train_weeks: int = 8,
    valid_days: int = 14,
    first_day: dt.date = dt.date(2013, 1, 1),
) -> TrainWindow:
    """The windows of a challenger trained on the evening before ``day``."""
    if valid_days < 1 or train_weeks < 1:
        raise ValueError(
            f"valid_days and train_weeks must be >= 1, got {valid_days}, {train_weeks}"
        )
    valid_from = day - dt.timedelta(days=valid_days)
    if kind == "rolling":
        train_from = max(first_day, valid_from - dt.timedelta(weeks=train_weeks))
    elif kind == "expanding":
        train_from = first_day
    else:
        raise ValueError(f"window kind must be 'rolling' or 'expanding', got {kind!r}")
    if train_from >= valid_from:
        raise ValueError(f"no training day before {valid_from} (first day {first_day})")
    return TrainWindow(train_from, valid_from, day)


def cut(flights: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The flights dated ``start`` up to the day before ``end``."""
    dates = flight_date(flights)
    return flights[(dates >= pd.Timestamp(start)) & (dates < pd.Timestamp(end))]


@dataclass(frozen=True)
class Challenger:
    """A trained candidate: its run, its validation AUC and the champion's on the same
    flights, the condition step's decision, and its registry version (``None`` if refused)."""

    window: TrainWindow
    run_id: str
    model_uri: str
    valid_auc: float
    champion_auc: float | None
    admitted: bool
    reason: str
    version: str | None


def train_challenger(
    flights: pd.DataFrame,
    window: TrainWindow,
    *,
    model_name: str,
    experiment_id: str,
    champion: Any | None,
    n_estimators: int = 150,
    margin: float = 0.0,
) -> Challenger:
    """Train week03's XGBoost on ``window`` (labelled ``flights``), track it with week06's
    ``train_and_track``, and register it as ``challenger`` when week06's
    ``promotion_decision`` says it beats ``champion`` (a ``RegisteredModel`` or ``None``) on
    the validation flights."""
    from week03_ml.models import XGBParams
    from week03_ml.split import Split
    from week03_ml.train import TrainConfig
    from week06_mlflow.registry import CHALLENGER, promotion_decision, register, score_on
    from week06_mlflow.tracking import train_and_track

    train = cut(flights, window.train_from, window.valid_from)
    valid = cut(flights, window.valid_from, window.day)
    if train.empty or valid.empty:
        raise ValueError(
            f"challenger of {window.day}: train {window.text} has {len(train)} flights, "
            f"validation has {len(valid)}: both need labelled flights"
        )
    config = TrainConfig(
        valid_start=window.valid_from.isoformat(),
        test_start=window.day.isoformat(),
        models=("xgboost",),
        xgboost=XGBParams(n_estimators=n_estimators, learning_rate=0.1, max_depth=5),
    )
    # production is the test window: validation stands in for it in the run's "test" scores
    tracked = train_and_track(
        Split(train, valid, valid),
        config,
        experiment_id=experiment_id,
        run_name=f"challenger {window.day}",
        plots=False,
    )
    assert tracked.result is not None and tracked.model_uri is not None  # with_model=True
    valid_auc = float(tracked.result.scores["valid_roc_auc"])
    champion_auc = None if champion is None else score_on(champion, valid)
    decision = promotion_decision(champion_auc, valid_auc, margin)
    version = None
    if decision.promote:
        version = str(
            register(
                tracked.model_uri,
                model_name,
                alias=CHALLENGER,
                description=f"challenger of {window.day}, trained on {window.text}",
            ).version
        )
    log.info("challenger %s (%s): %s", window.day, window.text, decision.reason)
    return Challenger(
        window,
        tracked.run_id,
        tracked.model_uri,
        valid_auc,
        champion_auc,
        decision.promote,
        decision.reason,
        version,
    )
