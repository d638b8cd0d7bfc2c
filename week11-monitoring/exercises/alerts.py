"""Exercise 4 — the alert's hysteresis: page once when a problem starts, once when it ends.

Fill in the function below, then check it with ``uv run course grade week11``. The reference
solution lives in ``week11_monitoring/alerts.py``: look only once you are done.
"""

from __future__ import annotations

import math
from dataclasses import replace

from week11_monitoring.alerts import AlertRule, AlertState, Event


def next_state(state: AlertState, value: float, rule: AlertRule) -> tuple[AlertState, Event | None]:
    """The rule's state after a window whose metric is ``value``, and the event to send:
    ``"firing"``, ``"resolved"`` or ``None``.

    Why: a drift share of 0.52, 0.49, 0.51 over three days is one problem. An alert that
    fires at every crossing of its level pages the on-call engineer until they mute it. Two
    levels (fire at ``rule.fire_at``, clear below ``rule.clear_below``) and a count of calm
    windows (``rule.clear_after``) make one page per problem.

    Steps:
      1. ``value`` is NaN (unknown: no label yet): return ``state`` unchanged and ``None``.
      2. Not firing: ``value >= rule.fire_at`` returns ``AlertState(firing=True, calm=0)``
         and ``"firing"``; otherwise ``state`` and ``None``.
      3. Firing and ``value < rule.clear_below``: one more calm window. When the calm count
         reaches ``rule.clear_after``: ``AlertState()`` (not firing, calm 0) and
         ``"resolved"``; else the state with the new count and ``None``.
      4. Firing, any other value: the calm count goes back to 0, no event.

    ``AlertState`` is frozen: build a new one (``dataclasses.replace``), never change it.
    """
    # TODO: your code here
    raise NotImplementedError("next_state")
