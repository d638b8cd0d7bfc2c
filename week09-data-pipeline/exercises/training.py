"""Exercise 5 — the condition step: is this week's model good enough to register?

Fill in the function below, then check it with ``uv run course grade week09``.
The reference solution lives in ``week09_data_pipeline/training.py``: look only once you are
done.
"""

from __future__ import annotations

import math

from week06_mlflow.registry import Decision, promotion_decision


def should_register(
    valid_auc: float, champion_auc: float | None, *, min_auc: float, margin: float
) -> Decision:
    """The condition step: register the candidate (validation ROC-AUC ``valid_auc``) as the
    challenger, or not? ``champion_auc`` is the champion's ROC-AUC on the same validation
    flights (``None`` when there is no champion).

    * a NaN score, or one below ``min_auc``, is refused whatever the champion: the reason names
      the score and the threshold (``"validation ROC-AUC 0.5800 < threshold 0.6000"``);
      exactly ``min_auc`` passes;
    * otherwise the answer is week06's ``promotion_decision(champion_auc, valid_auc, margin)``,
      the course's one rule for "better than the champion" (it raises for a negative margin).

    Raises ``ValueError`` naming ``min_auc`` when it is outside 0..1.

    Steps:
      1. ``min_auc`` outside ``0 <= min_auc <= 1`` -> ``ValueError`` naming ``min_auc``.
      2. ``math.isnan(valid_auc) or valid_auc < min_auc`` -> ``Decision(False, reason)`` with
         both numbers to 4 decimals.
      3. Return ``promotion_decision(champion_auc, valid_auc, margin)``: do not write a second
         "better than" rule.
    """
    # TODO: your code here
    raise NotImplementedError("should_register")
