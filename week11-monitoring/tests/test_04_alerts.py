"""Exercise 4: the alert's hysteresis (``next_state``): one page when a problem starts, one
when it is over, silence in between, and unknown values change nothing."""

from __future__ import annotations

import math

import pytest

from week11_monitoring.alerts import AlertRule, AlertState

RULE = AlertRule("data_drift", "drift_share", fire_at=0.5, clear_below=0.3, clear_after=2)


def _events(alerts, values, rule=RULE, state=None):
    """Run ``values`` through next_state; the events (None included) and the last state."""
    state = state or AlertState()
    events = []
    for value in values:
        state, event = alerts.next_state(state, value, rule)
        events.append(event)
    return events, state


@pytest.mark.exercise("next_state")
@pytest.mark.points(1)
@pytest.mark.hint("a quiet rule fires when the value reaches fire_at, the level itself included")
@pytest.mark.parametrize(
    ("value", "event"),
    [
        pytest.param(0.7, "firing", id="above"),
        pytest.param(0.5, "firing", id="at-the-level"),
        pytest.param(0.49, None, id="just-below"),
        pytest.param(0.1, None, id="calm"),
    ],
)
def test_a_quiet_rule_fires_at_its_level(alerts, value, event):
    state, got = alerts.next_state(AlertState(), value, RULE)
    assert got == event, f"value {value} with fire_at 0.5: expected {event}, got {got}"
    assert state.firing is (event == "firing")
    assert state.calm == 0


@pytest.mark.exercise("next_state")
@pytest.mark.points(3)
@pytest.mark.hint(
    "once firing, stay firing without a new event: a long drift pages once, not every window"
)
def test_a_long_drift_pages_once(alerts):
    events, state = _events(alerts, [0.6, 0.7, 0.9, 0.55, 0.8, 0.6])
    assert events.count("firing") == 1, (
        f"six drifting windows paged {events.count('firing')} times: {events}"
    )
    assert events[0] == "firing" and state.firing


@pytest.mark.exercise("next_state")
@pytest.mark.points(3)
@pytest.mark.hint(
    "a value between clear_below and fire_at keeps the alert firing and resets the calm "
    "count: one good window between bad ones is not a recovery"
)
def test_values_around_the_level_do_not_flap(alerts):
    events, state = _events(alerts, [0.52, 0.49, 0.51, 0.45, 0.5, 0.2, 0.55, 0.25])
    assert events == ["firing", None, None, None, None, None, None, None], (
        f"oscillating around 0.5 must page once and never resolve: {events}"
    )
    assert state.firing and state.calm == 1, f"the last calm window counts: {state}"


@pytest.mark.exercise("next_state")
@pytest.mark.points(1)
@pytest.mark.hint(
    "resolve after clear_after windows in a row below clear_below: state back to "
    "not firing (calm 0), event 'resolved', once"
)
@pytest.mark.parametrize(
    ("clear_after", "values", "expected"),
    [
        pytest.param(2, [0.6, 0.1, 0.1, 0.1], ["firing", None, "resolved", None], id="two"),
        pytest.param(1, [0.6, 0.29, 0.1], ["firing", "resolved", None], id="one"),
        pytest.param(
            3,
            [0.6, 0.1, 0.1, 0.4, 0.1, 0.1, 0.1],
            ["firing", None, None, None, None, None, "resolved"],
            id="reset-by-0.4",
        ),
        pytest.param(2, [0.6, 0.3, 0.3, 0.3], ["firing", None, None, None], id="at-clear-level"),
    ],
)
def test_an_alert_resolves_after_calm_windows(alerts, clear_after, values, expected):
    rule = AlertRule("data_drift", "drift_share", 0.5, 0.3, clear_after)
    events, state = _events(alerts, values, rule)
    assert events == expected, f"clear_after={clear_after}, values {values}: {events}"
    if "resolved" in events and events[-1] is None:
        assert not state.firing and state.calm == 0, f"resolved means quiet again: {state}"


@pytest.mark.exercise("next_state")
@pytest.mark.points(2)
@pytest.mark.hint(
    "NaN (no label yet, so no AUC) changes nothing: return the state as it was, no event"
)
def test_an_unknown_value_changes_nothing(alerts):
    firing = AlertState(firing=True, calm=1)
    state, event = alerts.next_state(firing, math.nan, RULE)
    assert (state, event) == (firing, None), "NaN is neither a problem nor a recovery"
    events, state = _events(alerts, [0.6, 0.1, math.nan, 0.1])
    assert events == ["firing", None, None, "resolved"], (
        f"a NaN between two calm windows must not reset the count: {events}"
    )
    quiet, event = alerts.next_state(AlertState(), math.nan, RULE)
    assert (quiet, event) == (AlertState(), None)


@pytest.mark.exercise("next_state")
@pytest.mark.points(1)
@pytest.mark.hint("the state is frozen: build a new AlertState, never change the one given")
def test_the_given_state_is_not_changed(alerts):
    before = AlertState(firing=True, calm=0)
    after, _ = alerts.next_state(before, 0.1, RULE)
    assert before == AlertState(firing=True, calm=0) and after == AlertState(True, 1)
    resolved, event = alerts.next_state(after, 0.1, RULE)
    assert event == "resolved" and resolved == AlertState()


def test_a_rule_that_would_flap_is_refused():
    with pytest.raises(ValueError, match="clear_below"):
        AlertRule("bad", "drift_share", fire_at=0.5, clear_below=0.5)
    with pytest.raises(ValueError, match="clear_after"):
        AlertRule("bad", "drift_share", fire_at=0.5, clear_below=0.3, clear_after=0)
