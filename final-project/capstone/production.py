"""Production, day by day: every week's part in the order a real day runs them.

For each day ``D`` (:meth:`Production.run_day`):

1. **labels arrive** for ``D - 1``: a running A/B test looks at its mSPRT and may end
   (week13's :class:`~week13_retrain.simulate.PolicyRun`); a promotion reloads the live service
   on the new version and puts it under watch; a watch that has seen enough may roll back
   (:mod:`capstone.guard`);
2. **monitoring and triggers** (week11's window metrics and alert hysteresis, week13's
   triggers): a trigger trains a challenger; if admitted, the live service splits traffic;
3. **the day's pipeline** (week09's task functions, as its DAGs run them): ``D``'s flights
   and weather land in the raw zone, are validated (quarantine, never drop) and loaded into
   the warehouse, the online store is materialised, and ``D + 1``'s schedule is scored in batch;
4. **the day's traffic**: every flight of ``D`` is served by its arm (the policy's record),
   and a seeded sample asks the live service with the schedule only; each answer is checked
   against the policy's own (same arm, same version, same probability).

:meth:`Production.prepare` builds the starting point (the warehouse's history, the first
champion, the evening before ``start``); :meth:`Production.finish` gathers the results.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from capstone.guard import RollbackGuard
from capstone.live import LiveService
from capstone.settings import Plan, Settings
from capstone.traffic import sample_flights, schedule_request

log = logging.getLogger(__name__)


#: the first champion is validated (and its threshold chosen) on the days just before start
VALIDATION_DAYS = 62


def first_window(start: dt.date) -> tuple[dt.date, dt.date]:
    """``(train_from, valid_from)`` of the first champion: trained on 2013 up to the
    :data:`VALIDATION_DAYS` days before ``start``, validated on those. For a 1 September start
    that is week03's recipe: January-June, then July-August."""
    train_from = dt.date(2013, 1, 1)
    valid_from = start - dt.timedelta(days=VALIDATION_DAYS)
    if (valid_from - train_from).days < 28:
        raise ValueError(
            f"start must leave 4 weeks of training and {VALIDATION_DAYS} days of validation "
            f"after 1 January, got {start}"
        )
    return train_from, valid_from


class Production:
    """One run: its folders and services, the policy, the guard, and what it recorded."""

    def __init__(self, settings: Settings, plan: Plan, out: Path) -> None:
        from week09_data_pipeline.settings import Settings as PipelineSettings

        self.settings, self.plan, self.out = settings, plan, out
        self.state = out / "state"
        self.database_url = settings.database_url or f"sqlite:///{self.state / 'warehouse.db'}"
        self.tracking_uri = settings.mlflow_tracking_uri or f"sqlite:///{self.state / 'mlruns.db'}"
        self.pipeline = PipelineSettings(
            data_dir=self.state / "zones",
            database_url=self.database_url,
            mlflow_tracking_uri=self.tracking_uri,
            mlflow_artifact_root=self.state / "mlartifacts",
            experiment_name="capstone",
            model_name=settings.model_name,
        )
        self.guard = RollbackGuard(plan.guard)
        self.policy: Any = None  # week13's PolicyRun, made by prepare()
        self.client: Any = None
        self.days: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []
        self.first: dict[str, Any] = {}
        self.timings: dict[str, float] = {}

    # -- the starting point -------------------------------------------------------------
    def prepare(self, progress: Callable[[str], None] | None = None) -> None:
        """A fresh state (a re-run starts over, so a seed gives the same run), the warehouse's
        history up to two days before ``start`` (week04's loader: what a migration would
        load), the first champion (week13, through week06), and the evening before ``start``
        run by week09's tasks (its flights loaded, ``start`` materialised and scored)."""
        from week01_data.target import labelled
        from week03_ml.train import load_flights
        from week04_sql.db import make_engine
        from week04_sql.load import load_days
        from week04_sql.schema import create_schema
        from week09_data_pipeline.context import backfill_days
        from week09_data_pipeline.pipeline import run_day
        from week09_data_pipeline.training import use_mlflow
        from week13_retrain.aliases import mlflow_client
        from week13_retrain.challenger import TrainWindow
        from week13_retrain.simulate import PolicyRun

        began = time.perf_counter()
        start = self.plan.start
        shutil.rmtree(self.state, ignore_errors=True)
        self.state.mkdir(parents=True)
        say = progress or (lambda _: None)
        say("loading the warehouse's history")
        engine = make_engine(self.database_url)
        try:
            create_schema(engine)
            load_days(engine, backfill_days(dt.date(2013, 1, 1), start - dt.timedelta(days=2)))
        finally:
            engine.dispose()
        self.timings["history_s"] = time.perf_counter() - began
        say("training the first champion")
        flights = labelled(load_flights())
        experiment_id = use_mlflow(self.pipeline)
        self.client = mlflow_client(self.tracking_uri)
        train_from, valid_from = first_window(start)
        first = TrainWindow(train_from, valid_from, start)
        self.policy = PolicyRun.begin(
            flights,
            start,
            self.plan.policy,
            model_name=self.settings.model_name,
            experiment_id=experiment_id,
            client=self.client,
            first=first,
            salt=f"capstone-{self.settings.seed}",
        )
        self.first = self._validation(first)
        say("the evening before the first day")
        run_day(start - dt.timedelta(days=1), self.pipeline, train=False)
        self.timings["prepare_s"] = time.perf_counter() - began

    def _validation(self, window: Any) -> dict[str, Any]:
        """The first champion's scores on its validation days: production's yardstick."""
        from week01_data.target import TARGET
        from week03_ml.evaluate import ranking_scores
        from week13_retrain.challenger import cut
        from week13_retrain.sequential import log_loss_per_flight

        champion = self.policy.champion
        valid = cut(self.policy.flights, window.valid_from, window.day)
        proba = champion.predict_proba(valid)
        return {
            "version": champion.version,
            "window": window.text,
            "valid_from": window.valid_from.isoformat(),
            "valid_flights": len(valid),
            "valid_auc": ranking_scores(valid[TARGET], proba)["roc_auc"],
            "valid_log_loss": float(log_loss_per_flight(valid[TARGET], proba).mean()),
        }

    # -- one day ------------------------------------------------------------------------
    def run_day(self, day: dt.date, service: LiveService | None) -> dict[str, Any]:
        """Everything production does on ``day`` (see the module docstring); its record."""
        from week09_data_pipeline.pipeline import run_day as pipeline_day

        policy = self.policy
        self._labels(day, service)
        had_test = policy.test is not None
        policy.check(day)
        if policy.test is not None and not had_test and service is not None:
            version = policy.test.challenger.version
            name = self.settings.model_name
            service.split(policy.policy.share, f"models:/{name}/{version}", policy.test.salt)
        summary = pipeline_day(day, self.pipeline, train=False)
        today = policy.flights[policy.dates == pd.Timestamp(day)]
        served = policy.serve(day)
        self.guard.shadow(today, served)
        asked = self._ask(day, today, served, service) if service is not None else []
        firing = [n for n, s in policy.state.alerts.items() if s.firing]
        record = {
            "day": day.isoformat(),
            "landed": summary.landed,
            "quarantined": summary.quarantined,
            "rejected": summary.rejected,
            "loaded": summary.loaded,
            "scored_next_day": summary.scored,
            "batch_version": summary.model_version,
            "champion": policy.champion.version,
            "challenger": policy.test.challenger.version if policy.test is not None else "",
            "served": len(served),
            "asked": len(asked),
            "alerts": firing,
        }
        self.days.append(record)
        return record

    def _labels(self, day: dt.date, service: LiveService | None) -> None:
        """Step 1: the A/B look, a promotion's reload and watch, the watch's decision."""
        from week06_mlflow.registry import CHAMPION, alias_uri, load_registered
        from week13_retrain.aliases import rollback

        policy, name = self.policy, self.settings.model_name
        before = policy.champion
        verdict = policy.labels_arrive(day)
        if verdict is not None and service is not None:
            service.split(0.0)  # the test is over, whatever its outcome
        if policy.champion.version != before.version:
            self.guard.promoted(day, policy.champion.version, before)
            if service is not None:
                service.reload(f"models:/{name}/{policy.champion.version}")
        decision = self.guard.labels_arrive(day)
        if decision is None:
            return
        event = {
            "day": day.isoformat(),
            "kind": "watch",
            "version": policy.champion.version,
            "decision": "rolled back" if decision.promote else "kept",
            "reason": decision.reason,
        }
        if decision.promote:
            rolled, restored = rollback(self.client, name)
            policy.champion = load_registered(alias_uri(name, CHAMPION))
            event["reason"] += f": champion {rolled} -> {restored}"
            event["champion"] = restored
            if service is not None:
                service.reload(f"models:/{name}/{restored}")
        policy.events.append(event)

    def promote(self, day: dt.date, version: str, service: LiveService | None, reason: str) -> None:
        """Make ``version`` champion outside an A/B test (an operator's decision: a fix that
        cannot wait), through week06's alias move; the service follows and the guard watches
        it like any promotion."""
        from week06_mlflow.registry import load_registered, move_aliases

        name, before = self.settings.model_name, self.policy.champion
        move_aliases(self.client, name, version)
        self.policy.champion = load_registered(f"models:/{name}/{version}")
        self.guard.promoted(day, version, before)
        if service is not None:
            service.reload(f"models:/{name}/{version}")
        self.policy.events.append(
            {"day": day.isoformat(), "kind": "promotion", "version": version,
             "decision": "promoted by hand", "reason": reason}
        )  # fmt: skip

    def _ask(
        self, day: dt.date, today: pd.DataFrame, served: pd.DataFrame, service: LiveService
    ) -> list[dict[str, Any]]:
        """The day's sample asks the live service; each answer beside the policy's."""
        sample = sample_flights(today, self.settings.requests_per_day, self.settings.seed)
        rows = today.index.get_indexer(sample.index)
        asked = []
        for position, (_, flight) in zip(rows, sample.iterrows(), strict=True):
            expected = served.iloc[position]
            answer = service.ask(schedule_request(flight))
            asked.append(
                {
                    "day": day.isoformat(),
                    "flight_id": answer.flight_id,
                    "status": answer.status,
                    "arm": answer.arm,
                    "expected_arm": str(expected["arm"]),
                    "model_version": answer.model_version,
                    # the version as week05 names it in its answers
                    "expected_version": f"{self.settings.model_name}/v{expected['version']}",
                    "probability": answer.probability,
                    "expected_probability": float(expected["served"]),
                    "seconds": answer.seconds,
                }
            )
        self.answers.extend(asked)
        return asked

    # -- the end ------------------------------------------------------------------------
    def batch_rates(self) -> pd.DataFrame:
        """Per month: the mean probability of week09's nightly batch (scored the evening
        before, weather unknown) from the warehouse's ``predictions`` table."""
        import sqlalchemy as sa

        from week04_sql.db import make_engine
        from week09_data_pipeline.scoring import predictions

        engine = make_engine(self.database_url)
        try:
            with engine.connect() as conn:
                frame = pd.DataFrame(
                    conn.execute(
                        sa.select(predictions.c.flight_date, predictions.c.probability).where(
                            predictions.c.flight_date >= self.plan.start,
                            predictions.c.flight_date <= self.plan.end,
                        )
                    ).all(),
                    columns=["flight_date", "probability"],
                )
        finally:
            engine.dispose()
        if frame.empty:
            return pd.DataFrame(columns=["month", "batch_predicted"])
        months = pd.to_datetime(frame["flight_date"]).dt.month
        rates = frame.assign(month=months).groupby("month", as_index=False)["probability"].mean()
        return pd.DataFrame(rates).rename(columns={"probability": "batch_predicted"})


def served_rates(served: pd.DataFrame) -> pd.DataFrame:
    """Per month: the observed delay rate and the mean probability served by the policy and
    by the static champion."""
    from week01_data.target import TARGET

    return (
        served.groupby("month", as_index=False)
        .agg(
            observed=(TARGET, "mean"),
            policy_predicted=("served", "mean"),
            static_predicted=("static", "mean"),
        )
        .astype({"month": "int64"})
    )


def answers_table(answers: list[dict[str, Any]]) -> pd.DataFrame:
    columns = [
        "day",
        "flight_id",
        "status",
        "arm",
        "expected_arm",
        "model_version",
        "expected_version",
        "probability",
        "expected_probability",
        "seconds",
    ]
    return pd.DataFrame(answers, columns=columns)


def agreement(answers: pd.DataFrame) -> dict[str, Any]:
    """How the live answers compare with the policy's own record of the same flights."""
    ok = answers[answers["status"] == 200]
    diff = (ok["probability"] - ok["expected_probability"]).abs()
    return {
        "requests": len(answers),
        "ok": len(ok),
        "same_arm": int((ok["arm"] == ok["expected_arm"]).sum()),
        "same_version": int((ok["model_version"] == ok["expected_version"]).sum()),
        "max_abs_probability_difference": float(diff.max()) if len(ok) else float("nan"),
        "by_arm": {str(k): int(v) for k, v in ok["arm"].value_counts().sort_index().items()},
    }
