"""Exercises 4-5: a decision threshold chosen on validation (``choose_threshold``), applied to
the test window (``holdout_scores``)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score


def _best_f1_brute_force(y, scores) -> tuple[float, float]:
    best = (-1.0, 0.0)
    for t in sorted(set(scores)):
        f1 = f1_score(y, (np.asarray(scores) >= t).astype(int))
        if f1 >= best[0]:
            best = (f1, t)
    return best


Y = [0, 0, 1, 1, 0, 1, 0, 1, 0, 0]
SCORES = [0.10, 0.40, 0.35, 0.80, 0.20, 0.70, 0.65, 0.30, 0.05, 0.50]


@pytest.mark.exercise("choose_threshold")
@pytest.mark.points(2)
@pytest.mark.hint("try every score as a threshold (predict delayed when score >= t) and keep the "
                  "one with the best F1; sklearn's precision_recall_curve does it in one call")
def test_threshold_maximises_f1(evaluate):
    got = evaluate.choose_threshold(Y, SCORES)
    best_f1, best_t = _best_f1_brute_force(Y, SCORES)
    f1 = f1_score(Y, (np.asarray(SCORES) >= got).astype(int))
    assert f1 == pytest.approx(best_f1), (
        f"F1 at your threshold {got} is {f1:.3f}, the best possible is {best_f1:.3f} "
        f"(at {best_t}): is 'delayed' score >= threshold?"
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
@pytest.mark.hint("no delayed flight at all: F1 is undefined, raise ValueError")
def test_no_positive_is_an_error(evaluate):
    with pytest.raises(ValueError):
        evaluate.choose_threshold([0, 0, 0], [0.2, 0.5, 0.9])


# validation says 0.6; the test window, scored alone, would say 0.3
Y_VALID, P_VALID = [0, 0, 1, 1, 0, 1], [0.1, 0.5, 0.6, 0.9, 0.3, 0.7]
Y_TEST, P_TEST = [1, 1, 0, 1, 0, 0, 1], [0.3, 0.35, 0.2, 0.8, 0.1, 0.62, 0.4]


@pytest.mark.exercise("holdout_scores")
@pytest.mark.points(2)
@pytest.mark.hint("the threshold comes from the VALIDATION labels and scores; the test window "
                  "is only scored, never used to choose")
def test_threshold_is_chosen_on_validation_not_test(evaluate):
    got = evaluate.holdout_scores(Y_VALID, P_VALID, Y_TEST, P_TEST)
    assert got["threshold"] == pytest.approx(0.6), (
        f"threshold {got['threshold']}: validation's best is 0.6; 0.3 is the TEST window's best "
        "(choosing on test reports a score nobody will see on next month's flights)"
    )


@pytest.mark.exercise("holdout_scores")
@pytest.mark.points(1)
@pytest.mark.hint("score the test labels at the validation threshold: precision, recall, f1, "
                  "plus roc_auc and pr_auc of the test scores")
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
    assert set(got) >= {"threshold", "roc_auc", "pr_auc", "precision", "recall", "f1"}
