"""Exercises 5 and 6 — end an A/B test in the registry, and roll back in one move.

Write the functions below from their contracts, then check them with
``uv run course grade week13``; when stuck, ``uv run course hint week13 settle_ab`` (or
``rollback``) gives a hint, one step at a time. The reference solution lives in
``week13_retrain/aliases.py``: look only once you are done.

Every alias move goes through week06's ``promotion_decision`` (the course's one rule for
"better than the champion") and ``move_aliases`` (the one way ``champion`` moves: the old
champion becomes ``previous``, a ``challenger`` alias on the promoted version goes).
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
    """End (or not) the A/B test of model ``name``'s challenger after the look ``result``.

    Why: a challenger that won on a holdout only earned a place in the test; the live test
    decides. And week06's rule promotes over a NaN champion ("no champion yet"), right for
    the first model, wrong here: in an A/B test a NaN means an arm was not measured.

    Args:
        client: the registry (``MlflowClient`` or a stand-in): aliases are read with
            ``get_registered_model(name).aliases`` (alias -> version) and tags written with
            ``set_model_version_tag``.
        name: the registered model.
        result: today's look at the test (:class:`SequentialResult`); its ``verdict`` is
            ``"continue"``, ``"promote"`` or ``"stop_harm"``.
        champion_score: the champion arm's live score, higher is better (e.g. minus the mean
            log loss); NaN when it was not measured.
        challenger_score: the same for the challenger arm.
        margin: what the challenger must gain, passed to week06's rule.

    Returns:
        A week06 ``Decision(promote, reason)``, by verdict:

        - ``"continue"``: not promoted, no alias moves (status ``running``);
        - ``"stop_harm"``: not promoted; the ``challenger`` alias is deleted, so the service
          stops splitting, and the champion stays (status ``stopped``);
        - ``"promote"`` with either score NaN: not promoted, no alias moves (status
          ``refused``), and the reason is ``result.reason`` followed by
          ``": <arms> not measured"`` (anything may follow), ``<arms>`` being ``champion``,
          ``challenger`` or ``champion and challenger``;
        - ``"promote"`` with both measured: week06's ``promotion_decision`` decides, on the
          champion's score, the challenger's and ``margin`` (in that order); when it promotes,
          week06's ``move_aliases`` makes the challenger's version champion (status
          ``promoted``), otherwise nothing moves (status ``refused``).

        Every reason starts with ``result.reason``.

    Raises:
        LookupError: the model has no ``challenger`` alias (there is no test to settle); the
            message names the model as its ``repr`` (``'m'`` for a model ``m``).

    Invariants (checked):
        - the challenger's version is tagged ``ab.decision`` = the status above and
          ``ab.reason`` = the decision's reason, whatever the verdict;
        - after a promotion of version 2 over 1: ``champion`` 2, ``previous`` 1, no
          ``challenger``;
        - a margin of 0.0 promotes a significant live win of 0.001.
    """
    # TODO: your code here
    raise NotImplementedError("settle_ab")


def rollback(client: AliasClient, name: str) -> tuple[str, str]:
    """Make ``previous`` the champion again, in one alias move.

    Why: a rollback that deletes the bad champion's alias, or overwrites ``previous``, cannot
    be undone, and a rollback is exactly when you are least sure.

    Args:
        client: the registry (``MlflowClient`` or a stand-in), aliases read with
            ``get_registered_model(name).aliases``.
        name: the registered model.

    Returns:
        ``(rolled_back, restored)``: the versions that were ``champion`` and ``previous``
        before the move, as strings. Afterwards ``restored`` is ``champion`` and
        ``rolled_back`` is ``previous`` (week06's ``move_aliases`` does both), so a second
        rollback undoes the first.

    Raises:
        LookupError: the model has no ``champion`` alias, no ``previous`` alias, or both on
            one version; the message names the model as its ``repr`` (``'m'``), and no alias
            has moved.
    """
    # TODO: your code here
    raise NotImplementedError("rollback")
