"""When to retrain: week11's monitoring rows in, a decision with its reasons out.

Three triggers, any one is enough:

* **drift**: the share of drifted features (week11's ``drift_share``) fires its alert;
* **quality**: the drop of ROC-AUC on the flights whose label is known (``auc_drop``) fires;
* **schedule**: ``schedule_days`` have passed since the last retrain, whatever the monitors say
  (drift detectors miss slow changes; a schedule bounds the model's age).

Drift and quality use week11's hysteresis (:func:`week11_monitoring.alerts.next_state`): a
retrain starts when an alert *fires*, not on every day it stays high (one problem, one
challenger). The policy is a plain function: state in, decision and new state out, so the
capstone's daily loop can call it.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from week11_monitoring.alerts import AlertRule, AlertState, next_state

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TriggerRules:
    """The two alert rules (week11's) and the schedule."""

    # week11's default levels (WEEK11_DRIFT_SHARE_ALERT ... in its .env.example)
    drift: AlertRule = field(
        default_factory=lambda: AlertRule("drift", "drift_share", fire_at=0.65, clear_below=0.5)
    )
    quality: AlertRule = field(
        default_factory=lambda: AlertRule("quality", "auc_drop", fire_at=0.03, clear_below=0.015)
    )
    schedule_days: int = 28

    def __post_init__(self) -> None:
        if self.schedule_days < 1:
            raise ValueError(f"schedule_days must be >= 1, got {self.schedule_days}")


@dataclass(frozen=True)
class TriggerState:
    """Where each alert stands, and when the model was last (re)trained."""

    last_trained: dt.date
    alerts: Mapping[str, AlertState] = field(
        default_factory=lambda: {"drift": AlertState(), "quality": AlertState()}
    )


@dataclass(frozen=True)
class TriggerDecision:
    """The day, whether to retrain, and every reason (empty when not)."""

    day: dt.date
    retrain: bool
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons) or "no trigger"


def check_triggers(
    day: dt.date, row: Mapping[str, Any], state: TriggerState, rules: TriggerRules
) -> tuple[TriggerDecision, TriggerState]:
    """The decision for ``day`` from week11's monitoring ``row`` (``drift_share``,
    ``auc_drop``; NaN when unknown) and the new state."""
    reasons = []
    alerts = dict(state.alerts)
    for rule in (rules.drift, rules.quality):
        value = float(row.get(rule.metric, math.nan))
        alerts[rule.name], event = next_state(alerts[rule.name], value, rule)
        if event == "firing":
            reasons.append(f"{rule.name}: {rule.metric} {value:.3f} >= {rule.fire_at}")
    age = (day - state.last_trained).days
    if age >= rules.schedule_days:
        reasons.append(f"schedule: model is {age} days old >= {rules.schedule_days}")
    decision = TriggerDecision(day, bool(reasons), tuple(reasons))
    if decision.retrain:
        log.info("%s: retrain (%s)", day, decision.reason)
    return decision, TriggerState(state.last_trained, alerts)


def retrained(state: TriggerState, day: dt.date) -> TriggerState:
    """The state after a retrain on ``day``: the schedule restarts; alerts keep their state
    (a drift still firing does not fire again until it resolves)."""
    return TriggerState(day, state.alerts)
