"""Exercises 5 and 6: ending an A/B test in the registry (through week06's rule and alias
move), and a rollback that loses nothing."""

from __future__ import annotations

import math

import pytest

from week13_retrain.sequential import SequentialResult

PROMOTE = SequentialResult(-0.02, 5.0, 0.006, "promote")
HARM = SequentialResult(0.03, 6.0, 0.002, "stop_harm")
RUNNING = SequentialResult(-0.01, 0.5, 0.6, "continue")
START = {"champion": "1", "challenger": "2"}


@pytest.mark.exercise("settle_ab")
@pytest.mark.points(3)
@pytest.mark.hint(
    "a significant win goes through week06 twice: its promotion rule decides, its alias move "
    "promotes (the old champion becomes previous, the challenger alias goes); then tag the "
    "challenger's version"
)
def test_a_significant_win_promotes(aliases, registry):
    client = registry(START)
    decision = aliases.settle_ab(client, "m", PROMOTE, -0.45, -0.43)
    assert decision.promote, decision.reason
    assert client.aliases == {"champion": "2", "previous": "1"}, (
        f"after promotion: champion 2, previous 1, no challenger; got {client.aliases}"
    )
    assert decision.reason.startswith(PROMOTE.reason), decision.reason
    assert decision.promote is True
    small = registry(START)
    assert aliases.settle_ab(small, "m", PROMOTE, -0.45, -0.449).promote, (
        "margin defaults to 0.0 here: a significant live win of 0.001 promotes"
    )
    assert client.tags[("2", "ab.decision")] == "promoted"
    assert client.tags[("2", "ab.reason")] == decision.reason


@pytest.mark.exercise("settle_ab")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the live test decides: 'continue' moves nothing even if the holdout score was better; "
    "week06's margin still applies to the live scores"
)
@pytest.mark.parametrize(
    ("result", "scores", "margin", "status"),
    [
        pytest.param(RUNNING, (-0.45, -0.40), 0.0, "running", id="holdout-win-no-test"),
        pytest.param(PROMOTE, (-0.45, -0.443), 0.01, "refused", id="under-margin"),
    ],
)
def test_no_promotion_without_the_test(aliases, registry, result, scores, margin, status):
    client = registry(START)
    decision = aliases.settle_ab(client, "m", result, *scores, margin=margin)
    assert decision.promote is False, f"{result.verdict} with scores {scores} promoted"
    assert client.aliases == START, f"no alias may move: {client.aliases}"
    assert client.tags[("2", "ab.decision")] == status
    assert decision.reason.startswith(result.reason)


@pytest.mark.exercise("settle_ab")
@pytest.mark.points(2)
@pytest.mark.hint(
    "week06's rule promotes over a NaN champion ('no champion yet'): in an A/B a NaN means an "
    "arm was not measured, so refuse before calling it; the reason is the test's reason, then "
    "': <arms> not measured' (champion, challenger, or champion and challenger)"
)
@pytest.mark.parametrize(
    ("scores", "arm"),
    [
        pytest.param((math.nan, -0.43), "champion", id="champion-nan"),
        pytest.param((-0.45, math.nan), "challenger", id="challenger-nan"),
        pytest.param((math.nan, math.nan), "champion and challenger", id="both-nan"),
    ],
)
def test_an_unmeasured_arm_never_promotes(aliases, registry, scores, arm):
    client = registry(START)
    decision = aliases.settle_ab(client, "m", PROMOTE, *scores)
    assert decision.promote is False and client.aliases == START
    assert f": {arm} not measured" in decision.reason, decision.reason
    assert client.tags[("2", "ab.decision")] == "refused"


@pytest.mark.exercise("settle_ab")
@pytest.mark.points(2)
@pytest.mark.hint("stop_harm: delete the challenger alias (the service stops splitting)")
def test_harm_stops_the_test(aliases, registry):
    client = registry({**START, "previous": "0"})
    decision = aliases.settle_ab(client, "m", HARM, -0.45, -0.48)
    assert decision.promote is False
    assert client.aliases == {"champion": "1", "previous": "0"}, client.aliases
    assert client.tags[("2", "ab.decision")] == "stopped"
    assert decision.reason.startswith(HARM.reason)


@pytest.mark.exercise("settle_ab")
@pytest.mark.points(1)
@pytest.mark.hint("no challenger alias: LookupError naming the model")
def test_no_challenger(aliases, registry):
    with pytest.raises(LookupError, match="'m'"):
        aliases.settle_ab(registry({"champion": "1"}), "m", PROMOTE, -0.45, -0.43)


@pytest.mark.exercise("rollback")
@pytest.mark.points(3)
@pytest.mark.hint(
    "a rollback is week06's alias move to the previous version: it becomes champion and the "
    "bad champion becomes previous, so the rollback can itself be undone"
)
def test_rollback_swaps_and_loses_nothing(aliases, registry):
    client = registry({"champion": "3", "previous": "2"})
    assert aliases.rollback(client, "m") == ("3", "2")
    assert client.aliases == {"champion": "2", "previous": "3"}, (
        f"after a rollback of 3: champion 2, previous 3 (nothing lost); got {client.aliases}"
    )
    assert aliases.rollback(client, "m") == ("2", "3"), "the rollback must be undoable"
    assert client.aliases == {"champion": "3", "previous": "2"}


@pytest.mark.exercise("rollback")
@pytest.mark.points(2)
@pytest.mark.hint("LookupError naming the model without champion or previous, or both equal")
@pytest.mark.parametrize(
    "start",
    [
        pytest.param({"champion": "3"}, id="no-previous"),
        pytest.param({"previous": "2"}, id="no-champion"),
        pytest.param({"champion": "2", "previous": "2"}, id="same-version"),
    ],
)
def test_rollback_needs_somewhere_to_go(aliases, registry, start):
    client = registry(start)
    with pytest.raises(LookupError, match="'m'"):
        aliases.rollback(client, "m")
    assert client.aliases == start, f"a refused rollback moved aliases: {client.aliases}"
