"""Exercise 6: scores month by month (``metrics_by_month``)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

# Month 9 ranks well on its own and month 10 ranks well on its own, but month 10's scores are
# all higher: pooled together, the AUC is not either month's.
MONTHS = [10, 9, 9, 9, 9, 10, 10, 10, 11, 11]
Y = [1, 0, 1, 0, 1, 0, 1, 0, 0, 0]
SCORES = [0.9, 0.1, 0.3, 0.2, 0.25, 0.6, 0.8, 0.7, 0.5, 0.4]


@pytest.mark.exercise("metrics_by_month")
@pytest.mark.points(1)
@pytest.mark.hint(
    "one row per month, months ascending; columns month, flights, delay_rate, roc_auc, pr_auc"
)
def test_one_row_per_month_in_order(evaluate):
    got = evaluate.metrics_by_month(MONTHS, Y, SCORES)
    assert list(got["month"]) == [9, 10, 11], (
        f"months should be [9, 10, 11], got {list(got['month'])}"
    )
    assert list(got.columns) == ["month", "flights", "delay_rate", "roc_auc", "pr_auc"]
    assert list(got["flights"]) == [4, 4, 2], f"flights per month: got {list(got['flights'])}"
    assert list(got["delay_rate"]) == pytest.approx([0.5, 0.5, 0.0])


@pytest.mark.exercise("metrics_by_month")
@pytest.mark.points(2)
@pytest.mark.hint("group by month and compute roc_auc_score on each month's rows only")
def test_each_month_is_scored_on_its_own(evaluate):
    got = evaluate.metrics_by_month(MONTHS, Y, SCORES).set_index("month")
    sep = roc_auc_score([0, 1, 0, 1], [0.1, 0.3, 0.2, 0.25])
    oct_ = roc_auc_score([1, 0, 1, 0], [0.9, 0.6, 0.8, 0.7])
    assert got.loc[9, "roc_auc"] == pytest.approx(sep), (
        f"September's AUC is {sep:.3f} on its own flights, got {got.loc[9, 'roc_auc']:.3f}: "
        "the pooled AUC mixes months"
    )
    assert got.loc[10, "roc_auc"] == pytest.approx(oct_)
    assert got.loc[9, "pr_auc"] == pytest.approx(1.0)


@pytest.mark.exercise("metrics_by_month")
@pytest.mark.points(1)
@pytest.mark.hint("a month with only one class has no AUC: give NaN there instead of raising")
def test_a_single_class_month_gives_nan(evaluate):
    got = evaluate.metrics_by_month(MONTHS, Y, SCORES).set_index("month")
    assert np.isnan(got.loc[11, "roc_auc"]), (
        f"November has no delayed flight: its AUC is undefined (NaN), got {got.loc[11, 'roc_auc']}"
    )
    assert np.isnan(got.loc[11, "pr_auc"]), (
        f"November's PR-AUC is undefined too (NaN), got {got.loc[11, 'pr_auc']}"
    )


@pytest.mark.exercise("metrics_by_month")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a month may hold a single flight: take the month from the group's key (or its "
    "first row), and give it NaN AUCs like any single-class month"
)
def test_a_month_with_one_flight(evaluate):
    got = evaluate.metrics_by_month([12, 9, 9], [1, 0, 1], [0.7, 0.2, 0.8])
    assert list(got["month"]) == [9, 12], f"months should be [9, 12], got {list(got['month'])}"
    december = got.set_index("month").loc[12]
    assert december["flights"] == 1, f"December has 1 flight, got {december['flights']}"
    assert december["delay_rate"] == pytest.approx(1.0), (
        f"December's only flight is delayed: delay_rate 1.0, got {december['delay_rate']}"
    )
    assert np.isnan(december["roc_auc"]) and np.isnan(december["pr_auc"]), (
        "one flight is one class: NaN AUCs, not an error or a number"
    )


@pytest.mark.exercise("metrics_by_month")
@pytest.mark.points(1)
@pytest.mark.hint(
    "no flight at all: no month, so no row, but still the five columns in order "
    "(pass columns=[...] when building the DataFrame)"
)
def test_no_flights_gives_an_empty_table_with_the_columns(evaluate):
    got = evaluate.metrics_by_month([], [], [])
    assert len(got) == 0, f"no flight, no month: expected no row, got {len(got)}"
    assert list(got.columns) == ["month", "flights", "delay_rate", "roc_auc", "pr_auc"], (
        f"an empty window still gives the five columns (code reading the table relies on "
        f"them), got {list(got.columns)}"
    )


# --- reference-only checks (not graded) ---------------------------------------------------------


@pytest.mark.slow
def test_minimum_functionality_on_real_test_months(xgb_model, year_split):
    from week01_data.target import TARGET
    from week03_ml.evaluate import metrics_by_month
    from week03_ml.features import FEATURES

    test = year_split.test
    scores = xgb_model.predict_proba(test[FEATURES])[:, 1]
    by_month = metrics_by_month(test["month"], test[TARGET], scores).set_index("month")
    for month, auc in by_month["roc_auc"].items():
        assert auc > 0.64, f"AUC {auc:.3f} in month {month}: far below the ~0.67-0.71 measured"


def test_metrics_by_segment_sorts_worst_first_and_skips_small_segments():
    import pandas as pd

    from week03_ml.evaluate import metrics_by_segment

    carriers = pd.Series(["AA"] * 4 + ["UA"] * 4 + ["B6"], name="carrier")
    y = [1, 0, 1, 0, 1, 0, 1, 0, 1]
    scores = [0.9, 0.1, 0.8, 0.2, 0.2, 0.9, 0.6, 0.4, 0.5]
    got = metrics_by_segment(carriers, y, scores, min_flights=2)
    assert list(got["carrier"]) == ["UA", "AA"], "worst AUC first; B6 has too few flights"
    assert got["roc_auc"].tolist() == pytest.approx([0.25, 1.0])


def test_comparison_tables_have_one_row_or_column_per_model():
    import pandas as pd

    from week03_ml.train import ModelResult, comparison_table, monthly_auc_table

    def result(name, auc):
        scores = {
            "valid_roc_auc": auc + 0.02,
            "roc_auc": auc,
            "pr_auc": 0.4,
            "threshold": 0.3,
            "precision": 0.4,
            "recall": 0.5,
            "f1": 0.44,
        }
        by_month = pd.DataFrame(
            {
                "month": [9, 10],
                "flights": [5, 5],
                "delay_rate": [0.2, 0.2],
                "roc_auc": [auc, auc - 0.01],
                "pr_auc": [0.4, 0.4],
            }
        )
        return ModelResult(name, None, scores, by_month, np.zeros(1), np.zeros(1))

    found = [result("logreg", 0.71), result("xgboost", 0.73)]
    table = comparison_table(found)
    assert list(table.index) == ["logreg", "xgboost"]
    assert table.loc["xgboost", "test_roc_auc"] == pytest.approx(0.73)
    monthly = monthly_auc_table(found)
    assert list(monthly.columns) == ["logreg", "xgboost"]
    assert monthly.loc[10, "xgboost"] == pytest.approx(0.72)
