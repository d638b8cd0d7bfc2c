"""The watch after a promotion: the new champion against the model it replaced, on the same
live flights, until :func:`~capstone.policy.should_roll_back` has enough of them to judge.

Each served day the replaced model scores the flights the champion served (a shadow: its
answers go nowhere); when their labels arrive both losses are kept. After ``Guard.days`` days
the decision is taken once: keep, or roll back with week13's ``rollback`` (one alias move).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from capstone.policy import should_roll_back
from capstone.settings import Guard
from week01_data.target import TARGET
from week06_mlflow.registry import Decision
from week13_retrain.sequential import log_loss_per_flight


@dataclass
class Watch:
    """One promotion under watch: since when, which versions, the losses so far."""

    since: dt.date
    new_version: str
    old: Any  # week06's RegisteredModel of the replaced champion
    pending: list[pd.DataFrame] = field(default_factory=list)
    new_losses: list[np.ndarray] = field(default_factory=list)
    old_losses: list[np.ndarray] = field(default_factory=list)


class RollbackGuard:
    """At most one watch at a time (a second promotion replaces it)."""

    def __init__(self, rules: Guard) -> None:
        self.rules = rules
        self.watch: Watch | None = None

    def promoted(self, day: dt.date, new_version: str, old: Any) -> None:
        self.watch = Watch(day, new_version, old)

    def shadow(self, today: pd.DataFrame, served: pd.DataFrame) -> None:
        """Score the champion's flights of the day with the replaced model too."""
        watch = self.watch
        if watch is None or today.empty:
            return
        mine = (served["arm"] == "champion").to_numpy()
        old = watch.old.predict_proba(today.iloc[mine])
        watch.pending.append(
            pd.DataFrame(
                {
                    TARGET: served[TARGET].to_numpy()[mine],
                    "new": served["served"].to_numpy()[mine],
                    "old": old,
                }
            )
        )

    def labels_arrive(self, day: dt.date) -> Decision | None:
        """Yesterday's labels: keep both losses; after ``days`` days, decide (once)."""
        watch = self.watch
        if watch is None:
            return None
        if watch.pending:
            done = watch.pending.pop(0)
            watch.new_losses.append(log_loss_per_flight(done[TARGET], done["new"]))
            watch.old_losses.append(log_loss_per_flight(done[TARGET], done["old"]))
        if (day - watch.since).days < self.rules.days:
            return None
        self.watch = None
        new = np.concatenate(watch.new_losses) if watch.new_losses else np.empty(0)
        old = np.concatenate(watch.old_losses) if watch.old_losses else np.empty(0)
        return should_roll_back(
            new.tolist(),
            old.tolist(),
            min_flights=self.rules.min_flights,
            margin=self.rules.margin,
            z=self.rules.z,
        )
