"""Exercise 3: labels arrive late (``known_labels``) and quality is computed on the flights
whose outcome was known on the day of the report (``quality_as_of``)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

THRESHOLD = 0.5


def _current() -> pd.DataFrame:
    """Eight flights of 1-4 March: a cancelled one (no label), and the 4th's, whose outcome
    the model got all wrong."""
    return pd.DataFrame(
        {
            "year": 2013,
            "month": 3,
            "day": [1, 1, 1, 2, 2, 3, 4, 4],
            "is_delayed": pd.array(
                [True, False, pd.NA, True, False, False, False, True], dtype="boolean"
            ),
            "prediction": [0.9, 0.2, 0.95, 0.5, 0.4, 0.1, 0.99, 0.01],
        },
        index=pd.RangeIndex(10, 18),
    )


@pytest.mark.exercise("known_labels")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a flight is known only when it has a label (a cancelled flight's <NA> never becomes "
    "one) AND label_delay_days have passed since its date, the boundary day included"
)
@pytest.mark.parametrize(
    ("as_of", "delay", "expected"),
    [
        pytest.param(dt.date(2013, 3, 2), 1, [1, 1, 0, 0, 0, 0, 0, 0], id="morning-after-1st"),
        pytest.param(dt.date(2013, 3, 4), 1, [1, 1, 0, 1, 1, 1, 0, 0], id="3-days-in"),
        pytest.param(dt.date(2013, 3, 4), 3, [1, 1, 0, 0, 0, 0, 0, 0], id="3-day-delay"),
        pytest.param(dt.date(2013, 3, 4), 0, [1, 1, 0, 1, 1, 1, 1, 1], id="no-delay"),
        pytest.param(dt.date(2013, 3, 1), 1, [0] * 8, id="nothing-yet"),
    ],
)
def test_labels_are_known_after_the_delay(quality, as_of, delay, expected):
    known = quality.known_labels(_current(), as_of, delay)
    assert list(known.index) == list(range(10, 18)), "aligned with the flights' index"
    assert known.dtype == bool, f"a plain boolean Series, got {known.dtype}"
    assert known.astype(int).tolist() == expected, (
        f"as of {as_of} with a {delay}-day delay, known: {expected}, "
        f"got {known.astype(int).tolist()}"
    )


@pytest.mark.exercise("known_labels")
@pytest.mark.points(1)
@pytest.mark.hint("label_delay_days defaults to 1: day D's outcomes are known on D+1")
def test_the_default_delay_is_one_day(quality):
    known = quality.known_labels(_current(), dt.date(2013, 3, 3))
    assert known.astype(int).tolist() == [1, 1, 0, 1, 1, 0, 0, 0]


@pytest.mark.exercise("quality_as_of")
@pytest.mark.points(3)
@pytest.mark.hint(
    "compute every number on the known flights only: as of 4 March the 4th's flights "
    "have no outcome yet, even if the table already holds one"
)
def test_quality_uses_only_what_was_known(quality):
    scores = quality.quality_as_of(_current(), dt.date(2013, 3, 4), THRESHOLD, 1)
    y, p = np.array([1, 0, 1, 0, 0]), np.array([0.9, 0.2, 0.5, 0.4, 0.1])
    assert scores["roc_auc"] == pytest.approx(roc_auc_score(y, p)), (
        "AUC of the 1st-3rd's labelled flights: the 4th's outcomes were not known yet"
    )
    assert scores["observed_rate"] == pytest.approx(0.4), "2 delayed of 5 known flights"
    assert scores["brier"] == pytest.approx(np.mean((p - y) ** 2)), "mean (p - y)^2"
    assert scores["labelled"] == pytest.approx(5 / 8), "5 of the window's 8 flights known"


@pytest.mark.exercise("quality_as_of")
@pytest.mark.points(2)
@pytest.mark.hint(
    "precision and recall at the threshold: prediction >= threshold is 'delayed' "
    "(week 3's scores_at), on the known flights"
)
def test_precision_and_recall_at_the_threshold(quality):
    scores = quality.quality_as_of(_current(), dt.date(2013, 3, 4), THRESHOLD, 1)
    # known: (1, .9) (0, .2) (1, .5) (0, .4) (0, .1): predicted delayed .9 and .5 (>= 0.5)
    assert scores["precision"] == pytest.approx(1.0), "both flights at or above 0.5 were late"
    assert scores["recall"] == pytest.approx(1.0), "and both late flights were caught"
    later = quality.quality_as_of(_current(), dt.date(2013, 3, 5), THRESHOLD, 1)
    assert later["precision"] == pytest.approx(2 / 3) and later["recall"] == pytest.approx(2 / 3), (
        "with the 4th known: 0.99 was on time and 0.01 was late"
    )


@pytest.mark.exercise("quality_as_of")
@pytest.mark.points(2)
@pytest.mark.hint(
    "no known outcome: labelled is 0.0 and every other number NaN (no AUC of nothing); "
    "an empty window gives labelled 0.0 too"
)
def test_no_label_yet_gives_nan_not_an_error(quality):
    scores = quality.quality_as_of(_current(), dt.date(2013, 3, 1), THRESHOLD, 1)
    assert scores["labelled"] == 0.0
    unknown = [k for k in ("observed_rate", "roc_auc", "brier", "precision", "recall")]
    assert all(math.isnan(scores[k]) for k in unknown), f"NaN without labels: {scores}"
    empty = quality.quality_as_of(_current().iloc[:0], dt.date(2013, 3, 9), THRESHOLD, 1)
    assert empty["labelled"] == 0.0 and math.isnan(empty["roc_auc"])


@pytest.mark.exercise("quality_as_of")
@pytest.mark.points(1)
@pytest.mark.hint("pass label_delay_days on to known_labels; its default is 1 (day D known on D+1)")
def test_the_label_delay_is_passed_on(quality):
    default = quality.quality_as_of(_current(), dt.date(2013, 3, 3), THRESHOLD)
    assert default["labelled"] == pytest.approx(4 / 8), "by default the 1st-2nd are known"
    slow = quality.quality_as_of(_current(), dt.date(2013, 3, 4), THRESHOLD, 3)
    assert slow["labelled"] == pytest.approx(2 / 8), "a 3-day delay: only the 1st is known"


@pytest.mark.exercise("quality_as_of")
@pytest.mark.points(1)
@pytest.mark.hint("the answer's keys are QUALITY_KEYS, in that order, every value a float")
def test_the_keys_of_the_answer(quality):
    from week11_monitoring.quality import QUALITY_KEYS

    scores = quality.quality_as_of(_current(), dt.date(2013, 3, 9), THRESHOLD, 1)
    assert tuple(scores) == QUALITY_KEYS
    assert all(isinstance(v, float) for v in scores.values()), "plain floats for the table"


@pytest.mark.exercise("quality_as_of")
@pytest.mark.points(1)
@pytest.mark.hint("one class among the known flights: ROC-AUC is NaN, the rest still counts")
def test_one_class_gives_a_nan_auc(quality):
    scores = quality.quality_as_of(_current(), dt.date(2013, 3, 2), THRESHOLD, 0)
    # known on the 2nd with no delay: the 1st's and the 2nd's labelled flights, 2 late of 4
    assert scores["observed_rate"] == pytest.approx(0.5)
    only_late = _current().iloc[[0, 3]]
    one_class = quality.quality_as_of(only_late, dt.date(2013, 3, 9), THRESHOLD, 1)
    assert math.isnan(one_class["roc_auc"]) and one_class["observed_rate"] == 1.0
    assert one_class["recall"] == pytest.approx(1.0)
