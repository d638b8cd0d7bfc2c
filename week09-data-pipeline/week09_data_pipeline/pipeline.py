"""The whole day in process: the same task functions as the DAGs, in their order, for a range.

:func:`run_day` is what the three DAGs do for one logical date, called as plain Python (the
capstone calls it for every day of July-December); :func:`run_range` is the backfill, with a
progress bar. :func:`snapshot` takes the row count and a checksum of every table the pipeline
writes, so "running it again changed nothing" is a comparison, not a hope.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from week04_sql.load import snapshot as warehouse_snapshot
from week04_sql.load import table_checksum
from week04_sql.online import create_online_schema, online_rates, online_routes, online_weather
from week09_data_pipeline.context import backfill_days
from week09_data_pipeline.etl import DAILY_TABLES, load_day, validate_day, warehouse
from week09_data_pipeline.features import materialize_day
from week09_data_pipeline.raw import land_day
from week09_data_pipeline.scoring import (
    create_predictions_schema,
    land_schedule,
    predictions,
    score_day,
)
from week09_data_pipeline.settings import Settings

log = logging.getLogger(__name__)

#: train_weekly's day: ``"@weekly"`` fires on Sundays (``date.weekday() == 6``)
TRAINING_WEEKDAY = 6


@dataclass(frozen=True)
class DaySummary:
    """One day of the pipeline: flights landed, quarantined by week01's rules, set aside by the
    database, loaded; the next day's flights scored (and by which model); whether it trained."""

    day: dt.date
    landed: int
    quarantined: int
    rejected: int
    loaded: int
    scored: int
    model_version: str
    trained: str


def run_day(day: dt.date, settings: Settings, *, train: bool | None = None) -> DaySummary:
    """Run ``day`` through flights_daily, then train_weekly (on Sundays, or whenever there is
    no champion yet; ``train`` forces it on or off), then score_nightly."""
    from week09_data_pipeline.training import (
        decide,
        has_champion,
        register_candidate,
        train_candidate,
    )

    counts: dict[str, dict[str, int]] = {}
    for table in DAILY_TABLES:
        landed = land_day(day, settings, table)
        validated = validate_day(day, settings, table)
        loaded = load_day(day, settings, table)
        counts[table] = {
            "landed": landed.rows,
            "quarantined": validated.quarantined,
            "rejected": loaded.rejected,
            "loaded": loaded.loaded,
        }
    materialize_day(day, settings)
    trained = ""
    if train is None:
        train = day.weekday() == TRAINING_WEEKDAY or not has_champion(settings)
    if train:
        candidate = train_candidate(day, settings)
        decision = decide(day, settings)
        registered = register_candidate(day, settings)
        trained = f"AUC {candidate.valid_auc:.3f}: " + (
            f"v{registered.version}{' champion' if registered.champion else ''}"
            if registered
            else "refused"
        )
        log.info("%s: trained, %s", day, decision.reason)
    land_schedule(day, settings)
    scored = score_day(day, settings)
    flights = counts["flights"]
    return DaySummary(
        day,
        flights["landed"],
        flights["quarantined"],
        flights["rejected"],
        flights["loaded"],
        scored.rows,
        scored.model_version,
        trained,
    )


def run_range(
    start: dt.date,
    end: dt.date,
    settings: Settings,
    *,
    progress: bool = False,
    on_day: Callable[[DaySummary], None] | None = None,
) -> list[DaySummary]:
    """:func:`run_day` for every date from ``start`` to ``end`` (both included), in order."""
    days = backfill_days(start, end)
    summaries: list[DaySummary] = []
    if not progress:
        for day in days:
            summaries.append(run_day(day, settings))
            if on_day is not None:
                on_day(summaries[-1])
        return summaries
    from rich.progress import Progress

    with Progress() as bar:
        task = bar.add_task("Backfill", total=len(days))
        for day in days:
            bar.update(task, description=f"Backfill {day}")
            summaries.append(run_day(day, settings))
            if on_day is not None:
                on_day(summaries[-1])
            bar.advance(task)
    return summaries


def snapshot(settings: Settings) -> dict[str, tuple[int, str]]:
    """``{table: (row count, checksum)}`` of the warehouse, the online store and the
    predictions: equal before and after a re-run when the pipeline is idempotent."""
    engine = warehouse(settings)
    create_online_schema(engine)
    create_predictions_schema(engine)
    try:
        with engine.connect() as conn:
            state = warehouse_snapshot(conn)
            for table in (online_rates, online_weather, online_routes, predictions):
                count = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                state[table.name] = (count, table_checksum(conn, table))
    finally:
        engine.dispose()
    return state
