"""Ending an A/B test in the registry: promote, keep the champion, or roll back.

Every alias move goes through week06: :func:`~week06_mlflow.registry.promotion_decision` is
the course's one rule for "better than the champion", and
:func:`~week06_mlflow.registry.move_aliases` the one way ``champion`` moves (the old champion
becomes ``previous``, the ``challenger`` alias goes). This module adds only what the A/B test
decides on top:

* a challenger is promoted only when the *live* test says so (a holdout win is what got it
  into the test, never enough to end it), and only when both arms were measured: week06's rule
  promotes over a champion whose score is NaN ("no champion yet"), which is right for the very
  first model and wrong here, where a NaN means the test measured nothing;
* a rollback is ``move_aliases`` to ``previous``: the bad champion becomes ``previous`` in its
  turn, so a rollback of the rollback is possible and no version is ever lost.

The service follows without a restart: ``POST /admin/reload`` loads ``models:/<name>@champion``
again, on every worker (week05's deployment marker).
"""

from __future__ import annotations

import logging
import math
from typing import Protocol

from week06_mlflow.registry import (
    CHALLENGER,
    CHAMPION,
    PREVIOUS,
    AliasClient,
    Decision,
    move_aliases,
    promotion_decision,
)
from week13_retrain.sequential import SequentialResult

log = logging.getLogger(__name__)


class RegistryClient(AliasClient, Protocol):
    """Week06's alias client, plus writing a tag on a version (the decision's record)."""

    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None: ...


def _aliases(client: AliasClient, name: str) -> dict[str, str]:
    return {a: str(v) for a, v in client.get_registered_model(name).aliases.items()}


def settle_ab(
    client: RegistryClient,
    name: str,
    result: SequentialResult,
    champion_score: float,
    challenger_score: float,
    margin: float = 0.0,
) -> Decision:
    """End (or not) the A/B test of ``name``'s challenger after the look ``result`` (exercise 5).

    ``champion_score`` / ``challenger_score`` are each arm's *live* score, higher is better
    (e.g. minus the mean log loss).

    * no ``challenger`` alias: ``LookupError`` naming the model (nothing is being tested);
    * ``result.verdict == "continue"``: ``Decision(False, ...)``, no alias moves;
    * ``"stop_harm"``: the ``challenger`` alias is deleted (the service stops splitting), the
      champion stays; ``Decision(False, ...)``;
    * ``"promote"``: either score NaN refuses (reason says which arm was not measured) and
      leaves the aliases as they are; otherwise week06's ``promotion_decision(champion_score,
      challenger_score, margin)`` decides, and when it promotes, week06's ``move_aliases``
      makes the challenger's version champion;
    * every reason starts with the test's own (``result.reason``); the decision is tagged on
      the challenger's version: ``ab.decision`` (``promoted``/``refused``/``stopped``/
      ``running``) and ``ab.reason``.
    """
    aliases = _aliases(client, name)
    version = aliases.get(CHALLENGER)
    if version is None:
        raise LookupError(f"model {name!r} has no {CHALLENGER!r} alias: no A/B test to settle")
    if result.verdict == "continue":
        decision, status = Decision(False, f"{result.reason}: keep testing"), "running"
    elif result.verdict == "stop_harm":
        client.delete_registered_model_alias(name, CHALLENGER)
        decision = Decision(False, f"{result.reason}: challenger is worse, stopped early")
        status = "stopped"
    else:
        unmeasured = [
            arm
            for arm, score in (("champion", champion_score), ("challenger", challenger_score))
            if math.isnan(score)
        ]
        if unmeasured:
            decision = Decision(
                False, f"{result.reason}: {' and '.join(unmeasured)} not measured, refused"
            )
        else:
            rule = promotion_decision(champion_score, challenger_score, margin)
            decision = Decision(rule.promote, f"{result.reason}: {rule.reason}")
        status = "promoted" if decision.promote else "refused"
        if decision.promote:
            move_aliases(client, name, version)
    client.set_model_version_tag(name, version, "ab.decision", status)
    client.set_model_version_tag(name, version, "ab.reason", decision.reason)
    return decision


def rollback(client: AliasClient, name: str) -> tuple[str, str]:
    """Make ``previous`` the champion again, in one alias move (exercise 6).

    Returns ``(rolled_back, restored)``: the versions that were champion and previous. The
    rolled-back version becomes ``previous`` (week06's ``move_aliases`` does it), so nothing
    is lost and the rollback itself can be undone. Raises ``LookupError`` naming the model
    when it has no ``champion`` or no ``previous`` alias, or when both point at one version.
    """
    aliases = _aliases(client, name)
    champion, previous = aliases.get(CHAMPION), aliases.get(PREVIOUS)
    if champion is None or previous is None:
        raise LookupError(
            f"model {name!r} needs both {CHAMPION!r} and {PREVIOUS!r} aliases to roll back, "
            f"has {sorted(aliases)}"
        )
    if champion == previous:
        raise LookupError(f"model {name!r}: {CHAMPION} and {PREVIOUS} are both version {champion}")
    move_aliases(client, name, previous)
    return champion, previous


def mlflow_client(tracking_uri: str | None = None) -> RegistryClient:
    """An ``MlflowClient`` on ``tracking_uri`` (tracking and registry), imported lazily."""
    from mlflow import MlflowClient

    client: RegistryClient = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    return client


def keep_champion(client: RegistryClient, name: str, reason: str) -> Decision:
    """End a test that reached its planned horizon undecided: the champion stays and the
    ``challenger`` alias goes (the service stops splitting); the reason is tagged."""
    version = _aliases(client, name).get(CHALLENGER)
    if version is None:
        raise LookupError(f"model {name!r} has no {CHALLENGER!r} alias: no A/B test to end")
    client.delete_registered_model_alias(name, CHALLENGER)
    client.set_model_version_tag(name, version, "ab.decision", "kept champion")
    client.set_model_version_tag(name, version, "ab.reason", reason)
    return Decision(False, reason)
