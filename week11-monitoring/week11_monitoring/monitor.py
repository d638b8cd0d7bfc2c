"""Monitoring a champion window by window: drift, prediction drift and quality, as known on
the day of each report. The functions the report command, the notebook and the capstone's
daily loop call::

    champion = load_champion("artifacts/week03")
    flights = score(load_flights(), champion)
    table = monitor_windows(flights, champion, monthly_windows("2013-07", "2013-12"))

``engine="fast"`` computes the drift with :mod:`week11_monitoring.drift` (about a second per
window); ``engine="evidently"`` runs Evidently's reports and reads the same numbers out of
them by name (10-20 s per month of flights), returning the snapshots for HTML and the UI.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from week01_data.target import TARGET
from week03_ml.artifact import Model
from week03_ml.features import CATEGORICAL
from week11_monitoring import readout
from week11_monitoring.drift import (
    THRESHOLD,
    DriftSummary,
    ReferenceProfile,
    drift_by_column,
    drift_summary,
)
from week11_monitoring.quality import PREDICTION, known_labels, quality_as_of
from week11_monitoring.windows import Window, reference_and_current

if TYPE_CHECKING:
    from evidently.core.report import Snapshot

log = logging.getLogger(__name__)

Engine = Literal["fast", "evidently"]
#: the report table's columns, in order
COLUMNS = (
    "window",
    "as_of",
    "flights",
    "drift_share",
    "drifted",
    "top_drifted",
    "prediction_drift",
    "mean_predicted",
    "labelled",
    "observed_rate",
    "roc_auc",
    "auc_drop",
    "brier",
    "precision",
    "recall",
)


@dataclass(frozen=True)
class Champion(Model):
    """The model being watched: week 3's model type, its version the one the service reports
    for it (so an alert and the service's metrics name the same model)."""

    @property
    def expected_auc(self) -> float:
        """The ROC-AUC the champion was accepted with: its validation AUC when the metadata
        has one (week 3's ``train``), else its holdout AUC."""
        metrics = self.metadata.get("metrics", {})
        for key in ("valid_roc_auc", "roc_auc"):
            if key in metrics:
                return float(metrics[key])
        raise KeyError(
            f"the champion's metadata has no valid_roc_auc or roc_auc in metrics: {metrics}"
        )


def load_champion(source: str | Path) -> Champion:
    """The champion from a week-3 model folder or a registry URI (``models:/name@alias``),
    loaded by the service's loader (week 6's): the version is the one the service reports."""
    from week06_mlflow.serving import load_source

    model, version, _ = load_source(str(source))
    return Champion(model.pipeline, dict(model.metadata), version)


def score(flights: pd.DataFrame, champion: Champion) -> pd.DataFrame:
    """A copy of ``flights`` with the champion's delay probability in ``prediction``."""
    missing = [c for c in champion.features if c not in flights.columns]
    if missing:
        raise KeyError(f"flights lack the model's feature(s) {missing}: build_features first")
    return flights.assign(**{PREDICTION: champion.predict_proba(flights)})


@dataclass
class WindowResult:
    """One window's row of the table, and Evidently's snapshots when it ran."""

    row: dict[str, Any]
    snapshots: dict[str, Snapshot] = field(default_factory=dict)


def window_metrics(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    champion: Champion,
    as_of: dt.date,
    *,
    label_delay_days: int = 1,
    engine: Engine = "fast",
    profile: ReferenceProfile | None = None,
) -> WindowResult:
    """Drift, prediction drift and quality of ``current`` against ``reference`` (both scored:
    a ``prediction`` column), as known on ``as_of``. ``profile``: the reference's
    :class:`~week11_monitoring.drift.ReferenceProfile` of the features and ``prediction``,
    when many windows share the reference (computed here otherwise)."""
    if current.empty:
        raise ValueError(f"no flight in the current window as of {as_of}: nothing to compare")
    features = champion.features
    categorical = [c for c in features if c in CATEGORICAL]
    snapshots: dict[str, Snapshot] = {}
    if engine == "fast":
        profile = profile or ReferenceProfile.of(reference, [*features, PREDICTION], categorical)
        by_column = drift_by_column(profile, current, features, categorical)
        summary = drift_summary(by_column)
        prediction = drift_by_column(profile, current, [PREDICTION], [])["distance"].iloc[0]
    elif engine == "evidently":
        from week11_monitoring.reports import drift_report, snapshot_dict

        snapshots["drift"] = drift_report(reference, current, features, categorical)
        found = snapshot_dict(snapshots["drift"])
        distances = {c: readout.column_distance(found, c) for c in features}
        ranked = sorted(
            (c for c in features if distances[c] >= THRESHOLD), key=distances.__getitem__
        )
        summary = DriftSummary(
            readout.drift_share(found), readout.drifted_count(found), ranked[::-1]
        )
        prediction = readout.column_distance(found, PREDICTION)
    else:
        raise ValueError(f"engine must be 'fast' or 'evidently', got {engine!r}")
    quality = quality_as_of(current, as_of, champion.threshold, label_delay_days)
    if engine == "evidently" and quality["labelled"] > 0:
        from week11_monitoring.reports import quality_report

        known = current[known_labels(current, as_of, label_delay_days)]
        snapshots["quality"] = quality_report(known, champion.threshold)
    row = {
        "as_of": as_of.isoformat(),
        "flights": len(current),
        "drift_share": summary.drift_share,
        "drifted": summary.drifted,
        "top_drifted": ", ".join(summary.drifted_columns[:3]),
        "prediction_drift": float(prediction),
        "mean_predicted": float(current[PREDICTION].mean()),
        **quality,
        "auc_drop": champion.expected_auc - quality["roc_auc"],
    }
    return WindowResult(row, snapshots)


def monitor_windows(
    flights: pd.DataFrame,
    champion: Champion,
    windows: Sequence[Window],
    *,
    as_of: dt.date | None = None,
    label_delay_days: int = 1,
    engine: Engine = "fast",
    on_window: Callable[[Window, WindowResult], None] | None = None,
) -> pd.DataFrame:
    """One row per window (columns :data:`COLUMNS`), each window reported on ``as_of``, or
    when it closes (``window.end``) when ``as_of`` is None. Windows with no flight yet on
    ``as_of`` are left out. ``flights`` must be scored (:func:`score`). ``on_window`` is called
    after each window (the CLI writes its HTML there and moves its progress bar)."""
    if PREDICTION not in flights.columns or TARGET not in flights.columns:
        raise KeyError(f"flights need {PREDICTION!r} (call score first) and {TARGET!r} columns")
    rows = []
    profile: ReferenceProfile | None = None
    for window in windows:
        day = as_of or window.end
        if day <= window.start:
            log.info("window %s has not started on %s: left out", window.name, day)
            continue
        reference, current = reference_and_current(flights, champion.metadata, window, day)
        if engine == "fast" and profile is None:  # the same training window for every window
            columns = [*champion.features, PREDICTION]
            profile = ReferenceProfile.of(reference, columns, CATEGORICAL)
        result = window_metrics(
            reference,
            current,
            champion,
            day,
            label_delay_days=label_delay_days,
            engine=engine,
            profile=profile,
        )
        result.row["window"] = window.name
        rows.append(result.row)
        if on_window is not None:
            on_window(window, result)
    return pd.DataFrame(rows, columns=list(COLUMNS))
