"""Exercises 4-5: a decision threshold chosen on validation (``choose_threshold``), applied to
the test window (``holdout_scores``)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, f1_score


def _best_f1_brute_force(y, scores) -> tuple[float, float]:
    best = (-1.0, 0.0)
    for t in sorted(set(scores)):
        f1 = f1_score(y, (np.asarray(scores) >= t).astype(int))
        if f1 >= best[0]:
            best = (f1, t)
    return best


Y = [0, 0, 1, 1, 0, 1, 0, 1, 0, 0]
SCORES = [0.10, 0.40, 0.35, 0.80, 0.20, 0.70, 0.65, 0.30, 0.05, 0.50]


# Scores in decreasing order make each case easy to read: the k highest scores are the alarms.
DESCENDING = [0.95, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25, 0.15, 0.05]


@pytest.mark.exercise("choose_threshold")
@pytest.mark.points(1)
@pytest.mark.hint(
    "try every score as a threshold (predict delayed when score >= t) and keep the "
    "one with the best F1; sklearn's precision_recall_curve does it in one call. "
    "F1 needs precision AND recall of the same threshold, and is 0 (not undefined) "
    "where both are 0"
)
@pytest.mark.parametrize(
    ("y", "scores"),
    [
        pytest.param(Y, SCORES, id="shuffled-scores"),
        # the best F1 (0.75) catches 3 of the 4 delays: recall 1 is not the goal
        pytest.param([1, 1, 0, 1, 0, 0, 1, 0, 0, 0], DESCENDING, id="one-delay-scored-low"),
        # a weak model: the top score is on time (precision = recall = 0 there); the best F1 (0.5)
        # is at the 2nd score, where precision + recall is only 1
        pytest.param([0, 1, 0, 0, 0, 0, 0, 0, 0, 1], DESCENDING, id="weak-model-top-score-on-time"),
    ],
)
def test_threshold_maximises_f1(evaluate, y, scores):
    got = evaluate.choose_threshold(y, scores)
    best_f1, best_t = _best_f1_brute_force(y, scores)
    f1 = f1_score(y, (np.asarray(scores) >= got).astype(int))
    assert f1 == pytest.approx(best_f1), (
        f"F1 at your threshold {got} is {f1:.3f}, the best possible is {best_f1:.3f} "
        f"(at {best_t}): is 'delayed' score >= threshold, F1 = 2PR/(P+R) with P and R of the "
        "same threshold, and F1 = 0 where P + R = 0 (a top score that is on time)?"
    )


@pytest.mark.exercise("choose_threshold")
@pytest.mark.points(1)
@pytest.mark.hint("return one of the scores (as a float), the highest among equally good ones")
def test_threshold_is_a_score_and_the_highest_on_ties(evaluate):
    # thresholds 0.6 and 0.7 give the same predictions, so the same F1: 0.7 (the higher) wins
    got = evaluate.choose_threshold([0, 1, 1, 0], [0.1, 0.7, 0.9, 0.6])
    assert isinstance(got, float), f"return a float, got {type(got).__name__}"
    assert got == pytest.approx(0.7), (
        f"expected 0.7 (the highest threshold with the best F1), got {got}"
    )


@pytest.mark.exercise("choose_threshold")
@pytest.mark.points(1)
@pytest.mark.hint(
    "2PR/(P+R) can round two equal F1s differently in the last bit: keep every "
    "threshold whose F1 is within a tiny tolerance of the best, then the highest"
)
def test_ties_survive_floating_point_rounding(evaluate):
    # all 8 flights delayed: P=0.5, R=1 -> F1 2/3 computed as 0.6666666666666666
    # the 5 highest (>= 0.5): P=0.6, R=0.75 -> F1 2/3 computed as 0.6666666666666665
    y = [1, 0, 1, 0, 1, 0, 0, 1]
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    got = evaluate.choose_threshold(y, scores)
    assert got == pytest.approx(0.5), (
        f"threshold {got}: 0.5 and 0.2 both give F1 = 2/3 (6/9 and 8/12), so the higher, 0.5, "
        "wins; compared with ==, 0.6666666666666665 < 0.6666666666666666 lets rounding "
        "pick 0.2 (an alarm for every flight)"
    )


@pytest.mark.exercise("choose_threshold")
@pytest.mark.points(1)
@pytest.mark.hint("no delayed flight at all: F1 is undefined, raise ValueError")
def test_no_positive_is_an_error(evaluate):
    with pytest.raises(ValueError):
        evaluate.choose_threshold([0, 0, 0], [0.2, 0.5, 0.9])


# validation says 0.6; the test window, scored alone, would say 0.3
Y_VALID, P_VALID = [0, 0, 1, 1, 0, 1], [0.1, 0.5, 0.6, 0.9, 0.3, 0.7]
Y_TEST, P_TEST = [1, 1, 0, 1, 0, 0, 1], [0.3, 0.35, 0.2, 0.8, 0.1, 0.62, 0.4]


@pytest.mark.exercise("holdout_scores")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the threshold comes from the VALIDATION labels and scores; the test window "
    "is only scored, never used to choose"
)
def test_threshold_is_chosen_on_validation_not_test(evaluate):
    got = evaluate.holdout_scores(Y_VALID, P_VALID, Y_TEST, P_TEST)
    assert got["threshold"] == pytest.approx(0.6), (
        f"threshold {got['threshold']}: validation's best is 0.6; 0.3 is the TEST window's best "
        "(choosing on test reports a score nobody will see on next month's flights)"
    )


@pytest.mark.exercise("holdout_scores")
@pytest.mark.points(1)
@pytest.mark.hint(
    "score the test labels at the validation threshold: precision, recall, f1, "
    "plus roc_auc and pr_auc of the test scores"
)
def test_scores_are_the_test_windows(evaluate):
    got = evaluate.holdout_scores(Y_VALID, P_VALID, Y_TEST, P_TEST)
    predicted = (np.asarray(P_TEST) >= 0.6).astype(int)
    assert got["f1"] == pytest.approx(f1_score(Y_TEST, predicted)), (
        f"f1 {got['f1']:.3f} should be the test window's F1 at the validation threshold"
    )
    assert got["recall"] == pytest.approx(0.25), (
        f"1 of 4 test delays is caught, got {got['recall']}"
    )
    assert got["precision"] == pytest.approx(0.5), f"1 of 2 alarms is right, got {got['precision']}"
    assert got["roc_auc"] == pytest.approx(9 / 12), f"test ROC-AUC, got {got['roc_auc']}"
    pr_auc = average_precision_score(Y_TEST, P_TEST)
    assert got["pr_auc"] == pytest.approx(pr_auc), (
        f"pr_auc {got['pr_auc']:.3f}: the test window's average precision is {pr_auc:.3f}"
    )
    assert set(got) >= {"threshold", "roc_auc", "pr_auc", "precision", "recall", "f1"}
