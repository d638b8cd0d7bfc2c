"""Exercise 4 — the alert's hysteresis: page once when a problem starts, once when it ends.

A drift share of 0.52, 0.49, 0.51 over three days is one problem. An alert that fires at
every crossing of its level pages the on-call engineer until they mute it, and then they miss
the next real one.

Check your work with ``uv run course grade week11``; when stuck, ``uv run course hint week11
next_state`` gives one hint step at a time. The reference solution lives in
``week11_monitoring/alerts.py``: look only once you are done.
"""

from __future__ import annotations

import math
from dataclasses import replace

from week11_monitoring.alerts import AlertRule, AlertState, Event


def next_state(state: AlertState, value: float, rule: AlertRule) -> tuple[AlertState, Event | None]:
    """One rule's state after one more window whose metric is ``value``, and the event that
    window produces: ``"firing"``, ``"resolved"`` or ``None``.

    Why: two levels make one page per problem. The alert fires when the value reaches
    ``rule.fire_at``; once firing it stays firing, silently, until the value has been below a
    lower level, ``rule.clear_below``, for ``rule.clear_after`` windows in a row; then it
    resolves, once.

    Args:
        state: where the rule stands before this window: ``state.firing``, and
            ``state.calm``, the number of calm windows in a row seen while firing.
        value: the window's metric; NaN means unknown (e.g. no label yet, so no AUC).
        rule: ``fire_at`` > ``clear_below``, and ``clear_after`` >= 1.

    Returns:
        ``(new_state, event)``:

        * ``value`` NaN: ``state`` exactly as given, and ``None``: unknown is neither a
          problem nor a recovery, and it does not break a run of calm windows;
        * not firing, ``value`` at or above ``fire_at`` (the level itself fires): firing
          with a calm count of 0, and ``"firing"``;
        * not firing, ``value`` below ``fire_at``: the state unchanged, and ``None``;
        * firing, ``value`` strictly below ``clear_below``: one more calm window; when that
          makes ``clear_after`` calm windows in a row, the state is ``AlertState()`` (not
          firing, calm 0) and the event ``"resolved"``; otherwise still firing with the new
          count, and ``None``;
        * firing, any other value (at ``clear_below`` or above, including above
          ``fire_at``): still firing, calm count back to 0, and ``None`` (it already paged).

    Raises:
        Nothing of its own.

    Invariants (checked):
        * a long problem pages once: "firing" is never sent while already firing;
        * "resolved" comes only after ``clear_after`` calm windows *in a row*;
        * ``state`` is frozen and never changed: the new state is a new object.
    """
    # TODO: your code here
    raise NotImplementedError("next_state")
