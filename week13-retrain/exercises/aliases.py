"""Exercises 5 and 6 — end an A/B test in the registry, and roll back in one move.

Fill in the functions below, then check them with ``uv run course grade week13``. The
reference solution lives in ``week13_retrain/aliases.py``: look only once you are done.
Every alias move goes through week06: ``promotion_decision`` and ``move_aliases``.
"""

from __future__ import annotations

import math

from week06_mlflow.registry import (
    CHALLENGER,
    CHAMPION,
    PREVIOUS,
    AliasClient,
    Decision,
    move_aliases,
    promotion_decision,
)
from week13_retrain.aliases import RegistryClient
from week13_retrain.sequential import SequentialResult


def settle_ab(
    client: RegistryClient,
    name: str,
    result: SequentialResult,
    champion_score: float,
    challenger_score: float,
    margin: float = 0.0,
) -> Decision:
    """End (or not) the A/B test of ``name``'s challenger after the look ``result``.

    Why: a challenger that won on a holdout only earned a place in the test; the live test
    decides. And week06's rule promotes over a NaN champion ("no champion yet"), right for
    the first model, wrong here: a NaN means an arm was not measured.

    Steps:
      1. ``aliases = {a: str(v) for a, v in client.get_registered_model(name).aliases.items()}``;
         no ``CHALLENGER`` alias: ``LookupError`` naming the model (``repr``: ``'m'``).
      2. ``result.verdict == "continue"``: ``Decision(False, f"{result.reason}: ...")``,
         status ``"running"``, no alias moves.
      3. ``"stop_harm"``: ``client.delete_registered_model_alias(name, CHALLENGER)``,
         ``Decision(False, ...)``, status ``"stopped"``.
      4. ``"promote"``: a NaN score refuses, the reason naming the arm(s) and saying
         ``"not measured"``; else ``rule = promotion_decision(champion_score,
         challenger_score, margin)``, ``Decision(rule.promote, f"{result.reason}: {rule.reason}")``
         and, if it promotes, ``move_aliases(client, name, challenger_version)``. Status
         ``"promoted"`` or ``"refused"``.
      5. Every reason starts with ``result.reason``. Tag the challenger's version:
         ``client.set_model_version_tag(name, version, "ab.decision", status)`` and
         ``"ab.reason"`` with the decision's reason.
    """
    # TODO: your code here
    raise NotImplementedError("settle_ab")


def rollback(client: AliasClient, name: str) -> tuple[str, str]:
    """Make ``previous`` the champion again, in one alias move; returns
    ``(rolled_back, restored)``.

    Why: a rollback that deletes the bad champion's alias, or overwrites ``previous``, cannot
    be undone, and a rollback is exactly when you are least sure.

    Steps:
      1. Read the aliases as in ``settle_ab``; no ``CHAMPION`` or no ``PREVIOUS``, or both on
         one version: ``LookupError`` naming the model (``'m'``), nothing moved.
      2. ``move_aliases(client, name, previous)``: week06 makes it champion and the old
         champion ``previous``.
      3. Return ``(old_champion, previous)``.
    """
    # TODO: your code here
    raise NotImplementedError("rollback")
