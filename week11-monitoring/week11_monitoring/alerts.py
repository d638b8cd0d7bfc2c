"""Model-side alerts with a hysteresis: page once when a problem starts, once when it is over.

A drift share of 0.52, 0.49, 0.51, 0.50 over four days is one problem, not four: an alert that
fires each time the value crosses its threshold pages the on-call engineer again and again
until they mute it (and then miss the next real one). So each rule has two levels:

* it **fires** when the value reaches ``fire_at``;
* once firing it stays firing, silently, until the value has been *below* ``clear_below``
  (a lower level) for ``clear_after`` windows in a row; then it **resolves**, once.

A window whose value is unknown (NaN: no label has arrived yet, so no AUC) changes nothing:
unknown is neither a problem nor a recovery.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import Literal

log = logging.getLogger(__name__)

Event = Literal["firing", "resolved"]


@dataclass(frozen=True)
class AlertRule:
    """When ``metric`` (a column of the report table) fires and when it resolves."""

    name: str
    metric: str
    fire_at: float
    clear_below: float
    clear_after: int = 2
    summary: str = ""

    def __post_init__(self) -> None:
        if not self.clear_below < self.fire_at:
            raise ValueError(
                f"rule {self.name}: clear_below ({self.clear_below}) must be below fire_at "
                f"({self.fire_at}), or the alert flaps"
            )
        if self.clear_after < 1:
            raise ValueError(f"rule {self.name}: clear_after must be >= 1, got {self.clear_after}")


@dataclass(frozen=True)
class AlertState:
    """Where one rule stands: ``firing`` or not, and how many calm windows in a row it has
    seen while firing (``calm``)."""

    firing: bool = False
    calm: int = 0


def next_state(state: AlertState, value: float, rule: AlertRule) -> tuple[AlertState, Event | None]:
    """The rule's state after a window whose metric is ``value``, and the event to send:
    ``"firing"``, ``"resolved"`` or ``None`` (exercise 4).

    * ``value`` NaN: the same state, no event;
    * not firing: ``value >= rule.fire_at`` fires (state firing, calm 0, event ``"firing"``);
      anything lower: the same state, no event;
    * firing: ``value < rule.clear_below`` adds one calm window; when the calm windows reach
      ``rule.clear_after`` the alert resolves (state not firing, calm 0, event
      ``"resolved"``). Any other value (between the two levels, or above ``fire_at``) resets
      the calm count to 0 and sends nothing: the alert is already firing.

    The input state is never changed (it is frozen): return a new one.
    """
    if math.isnan(value):
        return state, None
    if not state.firing:
        if value >= rule.fire_at:
            return AlertState(firing=True), "firing"
        return state, None
    if value < rule.clear_below:
        calm = state.calm + 1
        if calm >= rule.clear_after:
            return AlertState(), "resolved"
        return replace(state, calm=calm), None
    return replace(state, calm=0), None
