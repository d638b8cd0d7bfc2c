"""``capstone simulate``: prepare, start the live service, run every day, write the outputs."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from capstone.policy import recovered_share
from capstone.production import Production, agreement, answers_table, served_rates
from capstone.report import records, write_all
from capstone.settings import Plan, Settings
from capstone.traffic import latency_summary

log = logging.getLogger(__name__)


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Any]:
    """A rich progress bar (or nothing): ``update(text)`` and ``advance()``."""
    if not enabled:

        class Quiet:
            def update(self, text: str) -> None:
                log.debug(text)

            def advance(self) -> None:
                pass

        yield Quiet()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(),
    ) as bar:  # fmt: skip
        task = bar.add_task("preparing", total=total)

        class Bar:
            def update(self, text: str) -> None:
                bar.update(task, description=text)

            def advance(self) -> None:
                bar.advance(task)

        yield Bar()


def simulate(
    settings: Settings, plan: Plan, out: Path, *, command: str, progress: bool = True
) -> dict[str, Any]:
    """Run production from ``plan.start`` to ``plan.end`` into ``out``; the results."""
    from capstone import live
    from week09_data_pipeline.context import backfill_days

    began = time.perf_counter()
    days = backfill_days(plan.start, plan.end)
    production = Production(settings, plan, out)
    with _progress(progress, len(days)) as bar:
        production.prepare(bar.update)
        name = settings.model_name
        champion = f"models:/{name}/{production.policy.champion.version}"
        bar.update("starting the live service")
        with live.start(
            out / "service", model_uri=champion, tracking_uri=production.tracking_uri,
            database_url=production.database_url, workers=settings.workers,
        ) as service:  # fmt: skip
            days_began = time.perf_counter()
            for day in days:
                record = production.run_day(day, service)
                test = f", A/B v{record['challenger']}" if record["challenger"] else ""
                alerts = f", alerts: {', '.join(record['alerts'])}" if record["alerts"] else ""
                bar.update(f"{day} champion v{record['champion']}{test}{alerts}")
                bar.advance()
            production.timings["days_s"] = time.perf_counter() - days_began
            metrics = service.metrics()
    production.timings["total_s"] = time.perf_counter() - began
    results = collect(production, metrics, command=command, out=out)
    write_all(results, out)
    return results


def metric_samples(text: str, name: str, label: str) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                key = sample.labels.get(label, "")
                found[key] = found.get(key, 0.0) + float(sample.value)
    return dict(sorted(found.items()))


def collect(production: Production, metrics: str, *, command: str, out: Path) -> dict[str, Any]:
    """Everything the run recorded, as ``results.json`` holds it."""
    from week01_data.target import TARGET
    from week03_ml.evaluate import ranking_scores
    from week05_ml_api.predlog import read_log
    from week11_monitoring.monitor import COLUMNS
    from week13_retrain.sequential import log_loss_per_flight

    plan, policy = production.plan, production.policy
    result = policy.result()
    served = result.served
    months = result.months.merge(served_rates(served), on="month", how="left")
    months = months.merge(production.batch_rates(), on="month", how="left")
    champions = (
        served[served["arm"] == "champion"]
        .groupby("month")["version"]
        .agg(lambda v: ", ".join(f"v{x}" for x in dict.fromkeys(v)))
    )
    months["champions"] = months["month"].map(champions)
    y = served[TARGET].to_numpy()
    first = production.first
    summary: dict[str, Any] = {}
    for name in ("policy", "static"):
        column = "served" if name == "policy" else "static"
        summary[f"{name}_auc"] = ranking_scores(y, served[column])["roc_auc"]
        summary[f"{name}_log_loss"] = float(log_loss_per_flight(y, served[column]).mean())
    summary["recovered_auc"] = recovered_share(
        first["valid_auc"], summary["static_auc"], summary["policy_auc"]
    )
    summary["recovered_log_loss"] = recovered_share(
        first["valid_log_loss"],
        summary["static_log_loss"],
        summary["policy_log_loss"],
        higher_is_better=False,
    )
    answers = answers_table(production.answers)
    logged = read_log(out / "service" / "predictions")
    service = {
        **agreement(answers),
        "prediction_log_lines": len(logged),
        "metrics_requests_by_arm": metric_samples(metrics, "week13_ab_requests_total", "arm"),
        "metrics_predictions_by_version": metric_samples(
            metrics, "week05_predictions_total", "model_version"
        ),
        "latency": latency_summary(answers["seconds"].tolist()),
    }
    days = pd.DataFrame(production.days)
    rules = plan.policy.rules
    # week11's report columns (the window is the look's day), with the look's alerts and trigger
    monitoring_keys = (
        "day",
        "version",
        *(c for c in COLUMNS if c != "window"),
        "alerts",
        "trigger",
    )
    timings = production.timings
    return {
        "command": command,
        "from": plan.start.isoformat(),
        "to": plan.end.isoformat(),
        "seed": production.settings.seed,
        "days": len(days),
        "flights_served": len(served),
        "setup": {
            "warehouse": production.database_url.split(":", 1)[0].split("+")[0],
            "mlflow": "server" if production.tracking_uri.startswith("http") else "local store",
            "policy": {k: str(v) for k, v in vars(plan.policy).items()},
            "guard": vars(plan.guard),
        },
        "pipeline": {
            k: int(days[k].sum())
            for k in ("landed", "quarantined", "rejected", "loaded", "scored_next_day")
        },
        "first_champion": first,
        "summary": summary,
        "months": records(months),
        "decisions": sorted(policy.events, key=lambda e: e["day"]),
        "ab_tests": records(result.retrains[result.retrains["version"] != ""])
        if len(result.retrains)
        else [],
        "retrains": records(result.retrains),
        "monitoring": [{k: row.get(k) for k in monitoring_keys} for row in policy.monitoring],
        "alert_rules": {
            "drift_fire_at": rules.drift.fire_at,
            "drift_clear_below": rules.drift.clear_below,
            "quality_fire_at": rules.quality.fire_at,
            "quality_clear_below": rules.quality.clear_below,
            "schedule_days": rules.schedule_days,
        },
        "timeline": production.days,
        "service": service,
        "timings": {
            **{k: round(v, 1) for k, v in timings.items()},
            "per_day_ms": round(1000 * timings.get("days_s", 0.0) / max(len(days), 1)),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    }
