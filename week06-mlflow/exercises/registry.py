"""Exercises 5 and 6 — the promotion rule ("condition step") and moving the aliases.

Fill in the two functions below, then check them with ``uv run course grade week06``; stuck?
``uv run course hint week06 promotion_decision`` (or ``move_aliases``) gives one hint step at a
time. The reference solution lives in ``week06_mlflow/registry.py``: look only once you are
done. Notebook 02 (``USE_MY_CODE = True``) runs the registry workflow with your functions.
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
    """Should the challenger replace the champion? The registry's "condition step" (exercise 5).

    Two models scored on the same recent flights never tie exactly; a gain smaller than the
    margin is noise, and every swap of production models has a cost. The decision is written on
    the model version, so its reason must let a reader check it without rerunning anything.

    Args:
        champion: the champion's score (ROC-AUC), or ``None`` when there is no champion yet.
        challenger: the challenger's score on the same flights; NaN when it could not be
            measured.
        margin: how much better the challenger must be, 0 or more (default
            :data:`DEFAULT_MARGIN`).

    Returns:
        A :class:`Decision` ``(promote, reason)``:

        - a NaN challenger is refused, with or without a champion;
        - otherwise, no champion (``None``, or a NaN champion score): promoted, the first model
          becomes champion;
        - otherwise promoted exactly when ``challenger >= champion + margin``: a tie with a
          positive margin, or a smaller gain, is refused.

        ``reason`` is never empty. When both scores are compared it names the challenger's
        score, the champion's and the margin, each with four decimals
        (``"challenger 0.6410 < champion 0.6500 + margin 0.0050"``); a first champion's reason
        names the challenger's score the same way.

    Raises:
        ValueError: when ``margin`` is negative (it would promote worse models), before
            anything else; the message contains the margin as given, e.g. ``"margin must be
            >= 0, got -0.01"``.

    Invariants (checked):
        - Called without a margin, the rule uses ``DEFAULT_MARGIN``, not 0.
        - A challenger better by exactly the margin is promoted; a worse one never is.
    """
    # TODO: your code here
    raise NotImplementedError("promotion_decision")


def move_aliases(client: AliasClient, name: str, version: str) -> str | None:
    """Make ``version`` of model ``name`` the champion, keeping a one-step rollback (exercise 6).

    Production loads ``models:/<name>@champion``, so a promotion is an alias move, not a copy.
    The version it replaces keeps the ``previous`` alias: rolling back is promoting
    ``previous``, which must lose nothing either.

    Args:
        client: an ``MlflowClient``, or anything with the three methods of
            :class:`AliasClient` (the checks give a small stand-in that records the aliases;
            use no other method). Call every method with ``name``.
        name: the registered model.
        version: the version to promote, as text (``"2"``).

    Returns:
        The old champion's version as a ``str``, or ``None`` when there was no champion or it
        already was ``version``.

    Effects on the aliases (read them from ``client.get_registered_model(name).aliases``, a
    dict alias -> version; a SQLite store gives the versions back as ``int``, so compare
    versions as text):

        - ``champion`` points at ``version``;
        - ``previous`` points at the old champion when there was one on another version, and
          is left exactly as it was otherwise;
        - ``challenger`` is removed when it pointed at ``version`` (it is the champion now),
          and left alone when it points at another version;
        - no other alias changes.

    Raises:
        Whatever the client raises (e.g. for a model that does not exist); nothing of its own.

    Invariants (checked):
        - Promoting the previous version swaps ``champion`` and ``previous``; promoting it back
          swaps them again.
        - Promoting the current champion again changes no alias and returns ``None``.
        - The same results when the client hands versions back as ``int``.
    """
    # TODO: your code here
    raise NotImplementedError("move_aliases")
