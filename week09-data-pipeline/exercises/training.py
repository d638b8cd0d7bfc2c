"""Exercise 5 — the condition step: is this week's model good enough to register?

The weekly job trains a model every Sunday, whether or not the week's data make a good one. A
condition step between training and registering decides; the registry only ever sees models
that passed it.

Write the function below, then check it with ``uv run course grade week09``. Stuck?
``uv run course hint week09 should_register`` shows one hint step per call.
The reference solution lives in ``week09_data_pipeline/training.py``: look only once you are
done.
"""

from __future__ import annotations

import math

from week06_mlflow.registry import Decision, promotion_decision


def should_register(
    valid_auc: float, champion_auc: float | None, *, min_auc: float, margin: float
) -> Decision:
    """The condition step of the weekly training: register this week's model, or not?

    Two rules, in this order. First a floor: a model whose validation ROC-AUC is below
    ``min_auc``, or could not be measured (NaN, e.g. a validation window with one class only),
    is never registered, not even when there is no champion yet. Then the course's one rule for
    "better than the champion", week06's ``promotion_decision``: this function does not write a
    second such rule, and above the floor its answer is week06's answer, reason included.

    Args:
        valid_auc: the candidate's validation ROC-AUC (may be NaN).
        champion_auc: the champion's ROC-AUC on the same validation flights, ``None`` when
            there is no champion.
        min_auc: the floor, from 0 to 1, both included; a score equal to it passes.
        margin: how much the candidate must gain over the champion (week06's margin).

    Returns:
        A week06 ``Decision``. Below the floor, or NaN: ``promote`` is False and the reason
        names the score and the floor with 4 decimals, e.g.
        ``"validation ROC-AUC 0.5800 < threshold 0.6000: not registered"``. Otherwise: the very
        ``Decision`` that ``promotion_decision`` returns for the champion's score, the
        candidate's score and ``margin`` (mind week06's argument order: the champion first).

    Raises:
        ValueError: when ``min_auc`` is outside 0..1; the message names ``min_auc``. This is
            checked first, whatever the scores.
        ValueError: when ``margin`` is negative and the candidate is above the floor: week06's
            rule raises it (its message names ``margin``).
    """
    # TODO: your code here
    raise NotImplementedError("should_register")
