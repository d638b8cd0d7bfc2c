"""Exercises 5 and 6 — the promotion rule ("condition step") and moving the aliases.

Fill in the two functions below, then check them with ``uv run course grade week06``.
The reference solution lives in ``week06_mlflow/registry.py``: look only once you are done.
Notebook 02 (``USE_MY_CODE = True``) runs the registry workflow with your functions.
"""

from __future__ import annotations

from week06_mlflow.registry import (
    CHALLENGER,
    CHAMPION,
    DEFAULT_MARGIN,
    PREVIOUS,
    AliasClient,
    Decision,
)


def promotion_decision(
    champion: float | None, challenger: float, margin: float = DEFAULT_MARGIN
) -> Decision:
    """Should the challenger (score ``challenger``) replace the champion (score ``champion``,
    ``None`` when there is no champion yet)? (exercise 5)

    * no champion: promote (the first model becomes champion);
    * a challenger score that is NaN: refuse (it could not be measured);
    * promote only when ``challenger >= champion + margin``: a tie, or a gain smaller than the
      margin, is noise, and swapping models has a cost;
    * the reason names both scores and the margin, e.g.
      ``"challenger 0.6410 < champion 0.6500 + margin 0.0050"``.

    Raises ``ValueError`` when ``margin`` is negative (it would promote worse models).

    Steps: check the margin first; then ``math.isnan(challenger)``; then ``champion is None``;
    then compare. Return ``Decision(promote=..., reason=f"challenger {challenger:.4f} ...")``.
    """
    # TODO: your code here
    raise NotImplementedError("promotion_decision")


def move_aliases(client: AliasClient, name: str, version: str) -> str | None:
    """Make ``version`` of model ``name`` the champion (exercise 6).

    The old champion (if any, and if it is another version) gets the ``previous`` alias, so a
    rollback is one alias move; the ``challenger`` alias is removed when it pointed at
    ``version`` (it is no longer a challenger). Aliases are read from
    ``client.get_registered_model(name).aliases`` (a dict alias -> version). Returns the old
    champion's version, or ``None`` when there was no champion or it already was ``version``
    (``previous`` is then left as it was).

    Steps:
      1. ``aliases = client.get_registered_model(name).aliases`` (compare versions as ``str``).
      2. Old champion on another version: ``client.set_registered_model_alias(name, PREVIOUS,
         old)``.
      3. ``client.set_registered_model_alias(name, CHAMPION, version)``.
      4. Challenger on ``version``: ``client.delete_registered_model_alias(name, CHALLENGER)``.
    """
    # TODO: your code here
    raise NotImplementedError("move_aliases")
