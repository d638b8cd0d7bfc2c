"""Real flights, real reports: the fast path and Evidently agree, Evidently's report is read
by name and written as HTML and as a workspace run, and the loop over windows respects what
was known when."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from week03_ml.features import CATEGORICAL
from week11_monitoring import readout
from week11_monitoring.drift import drift_by_column
from week11_monitoring.monitor import COLUMNS, monitor_windows
from week11_monitoring.quality import PREDICTION
from week11_monitoring.reports import add_to_workspace, save_html, snapshot_dict
from week11_monitoring.windows import Window, make_windows


def test_the_fast_path_and_evidently_agree_on_every_number(evidently_month):
    fast, slow = evidently_month.fast.row, evidently_month.evidently.row
    assert set(fast) == set(slow) == set(COLUMNS) - {"window"}
    for key, value in fast.items():
        if isinstance(value, float):
            assert slow[key] == pytest.approx(value, rel=1e-9, nan_ok=True), (
                f"{key}: fast path {value}, Evidently {slow[key]}"
            )
        else:
            assert slow[key] == value, f"{key}: fast path {value!r}, Evidently {slow[key]!r}"


def test_the_distances_agree_column_by_column(evidently_month, champion):
    found = snapshot_dict(evidently_month.evidently.snapshots["drift"])
    ours = drift_by_column(
        evidently_month.reference, evidently_month.current, champion.features, CATEGORICAL
    )
    theirs = [readout.column_distance(found, c) for c in ours["column"]]
    pd.testing.assert_series_equal(
        ours["distance"], pd.Series(theirs, name="distance"), rtol=1e-9, check_exact=False
    )
    assert readout.drifted_count(found) == int(ours["drifted"].sum())


def test_evidently_quality_matches_week03_scores(evidently_month):
    quality = snapshot_dict(evidently_month.evidently.snapshots["quality"])
    auc = readout.metric_value(quality, "RocAuc")
    assert auc == pytest.approx(evidently_month.fast.row["roc_auc"], rel=1e-9), (
        "Evidently's ROC-AUC on the known flights must be week 3's ranking_scores AUC"
    )


def test_html_and_workspace(evidently_month, tmp_path):
    from evidently.ui.workspace import Workspace

    snapshots = evidently_month.evidently.snapshots
    for kind, snapshot in snapshots.items():
        page = save_html(snapshot, tmp_path / f"{kind}.html")
        assert page.stat().st_size > 10_000, f"{kind}.html is too small to be a report"
    project = add_to_workspace(tmp_path / "ws", [(f"{k} 2013-02", s) for k, s in snapshots.items()])
    again = add_to_workspace(tmp_path / "ws", [("drift again", snapshots["drift"])])
    assert again == project, "a second run goes into the same project"
    runs = Workspace(str(tmp_path / "ws")).list_runs(project)
    assert len(runs) == 3, f"one run per snapshot added: {runs}"


def test_weekly_windows_on_real_flights(scored, champion):
    # the fixture holds days 1-28 of each month: the three full weeks of February
    weeks = [w for w in make_windows("2013-02", "2013-02", "week") if w.end <= dt.date(2013, 2, 28)]
    table = monitor_windows(scored, champion, weeks)
    assert list(table.columns) == list(COLUMNS)
    assert table["window"].tolist() == [w.name for w in weeks]
    assert table["flights"].between(4_000, 6_500).all(), "a week of New York flights"
    assert table["drift_share"].between(0, 1).all()
    # only cancelled flights lack a label: 15 % in the week of the 8-9 February blizzard
    assert table["labelled"].gt(0.8).all(), f"labelled shares: {table['labelled'].tolist()}"
    assert table["roc_auc"].between(0.55, 0.95).all(), (
        f"the demo model ranks real weeks better than chance: {table['roc_auc'].tolist()}"
    )


def test_a_report_before_the_labels_arrive(scored, champion):
    """Drift is there on day one; quality only once the outcomes are known."""
    february = Window("2013-02", dt.date(2013, 2, 1), dt.date(2013, 3, 1))
    early = monitor_windows(
        scored, champion, [february], as_of=dt.date(2013, 2, 7), label_delay_days=7
    )
    row = early.iloc[0]
    assert row["flights"] > 4_000 and 0 <= row["drift_share"] <= 1, "drift needs no label"
    assert row["labelled"] == 0 and pd.isna(row["roc_auc"]), (
        "reported on 7 February with a 7-day label delay: no February outcome is known yet"
    )
    later = monitor_windows(scored, champion, [february], label_delay_days=7)
    assert 0.7 < later.iloc[0]["labelled"] < 0.8, "at the window's close, 21 of 28 days known"


def test_prediction_is_a_probability(scored):
    assert scored[PREDICTION].between(0, 1).all()
    assert 0.05 < scored[PREDICTION].mean() < 0.5
