"""Evidently 0.7 reports: data and prediction drift, classification quality, HTML for people
and a workspace for ``evidently ui``.

Evidently 0.7 is a new API (``evidently.report``, ``ColumnMapping`` and ``ColumnDriftMetric``
are gone; most tutorials on the web still use them)::

    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    snapshot = Report([DataDriftPreset(...)]).run(current_dataset, reference_dataset)
    snapshot.dict()            # the numbers: read them by name (week11_monitoring.readout)
    snapshot.save_html(path)   # the report a person opens

``import evidently`` takes 5-15 s, so it happens inside these functions, once per process.
The drift methods and threshold are pinned to :mod:`week11_monitoring.drift`'s, so Evidently
and the fast path measure the same thing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from week01_data.target import TARGET
from week11_monitoring.drift import CAT_METHOD, NUM_METHOD, THRESHOLD
from week11_monitoring.quality import PREDICTION

if TYPE_CHECKING:
    from evidently import Dataset
    from evidently.core.report import Snapshot

log = logging.getLogger(__name__)

#: the Evidently project the report command fills, one run per window
PROJECT = "week11 flight delays"


def _dataset(
    frame: pd.DataFrame, columns: Sequence[str], categorical: Sequence[str], labelled: bool
) -> Dataset:
    from evidently import BinaryClassification, DataDefinition, Dataset

    numerical = [c for c in columns if c not in categorical]
    if labelled:
        data = frame[[*columns, TARGET]].assign(**{TARGET: frame[TARGET].astype("int64")})
        definition = DataDefinition(
            numerical_columns=numerical,
            categorical_columns=[c for c in columns if c in categorical],
            classification=[BinaryClassification(target=TARGET, prediction_probas=PREDICTION)],
        )
    else:
        data = frame[list(columns)]
        definition = DataDefinition(
            numerical_columns=numerical,
            categorical_columns=[c for c in columns if c in categorical],
        )
    # Evidently cannot tell a string column with NaN from a mixed one: make it plain object
    data = data.astype({c: "object" for c in columns if c in categorical})
    return Dataset.from_pandas(data, data_definition=definition)


def drift_report(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    features: Sequence[str],
    categorical: Sequence[str],
) -> Snapshot:
    """Data drift on ``features`` and prediction drift on the ``prediction`` column, with the
    fast path's methods and threshold. The drift share counts the features only."""
    from evidently import Report
    from evidently.metrics import ValueDrift
    from evidently.presets import DataDriftPreset

    columns = [*features, PREDICTION]
    report = Report(
        [
            DataDriftPreset(
                columns=list(features),
                num_method=NUM_METHOD,
                cat_method=CAT_METHOD,
                num_threshold=THRESHOLD,
                cat_threshold=THRESHOLD,
            ),
            ValueDrift(column=PREDICTION, method=NUM_METHOD, threshold=THRESHOLD),
        ]
    )
    return report.run(
        _dataset(current, columns, categorical, labelled=False),
        _dataset(reference, columns, categorical, labelled=False),
    )


def quality_report(known: pd.DataFrame, threshold: float) -> Snapshot:
    """Classification quality (ROC-AUC, precision, recall... at ``threshold``) of the flights
    whose outcome is known. Only the ``prediction`` and ``is_delayed`` columns are read."""
    from evidently import Report
    from evidently.presets import ClassificationPreset

    report = Report([ClassificationPreset(probas_threshold=threshold)])
    return report.run(_dataset(known, [PREDICTION], [], labelled=True), None)


def save_html(snapshot: Snapshot, path: Path) -> Path:
    """Write the report a person opens in a browser; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    snapshot.save_html(str(path))
    return path


def snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot's numbers as plain data (what :mod:`week11_monitoring.readout` reads)."""
    return dict(snapshot.dict())


def add_to_workspace(folder: Path, snapshots: Sequence[tuple[str, Snapshot]]) -> str:
    """Add each ``(name, snapshot)`` as a run of the :data:`PROJECT` project of the local
    workspace in ``folder`` (created if needed); ``evidently ui --workspace <folder>`` shows
    them. Returns the project's id."""
    from evidently.ui.workspace import Workspace

    workspace = Workspace.create(str(folder))
    found = [p for p in workspace.list_projects() if p.name == PROJECT]
    project = found[0] if found else workspace.create_project(PROJECT)
    for name, snapshot in snapshots:
        workspace.add_run(project.id, snapshot, name=name)
    log.info("added %d runs to the Evidently workspace %s", len(snapshots), folder)
    return str(project.id)
