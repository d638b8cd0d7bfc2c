"""The policy over real days: triggers, retrains, A/B periods and decisions, offline.

Each day ``D`` from ``start`` to ``end``, in the order production would live it:

1. the labels of ``D - 1`` arrive: an A/B test running adds that day's flights (each scored by
   the arm that served it) and looks at the mSPRT; it promotes, stops for harm, or ends
   undecided after ``max_test_days`` (champion kept), through :mod:`week13_retrain.aliases`;
2. with no test running, every ``check_every`` days, week11's monitoring row of the last
   ``monitor_days`` days feeds :func:`~week13_retrain.triggers.check_triggers`; a trigger trains
   a challenger (:mod:`week13_retrain.challenger`) and, if the condition step admits it, a
   test starts;
3. ``D``'s flights are served: by the champion, or by the arm their hashed id picks.

The "offline route": no HTTP, the same functions the service composes (the hash, the models
from the registry). The static champion (never retrained) scores every flight too, so each
month compares the policy with doing nothing.

The three steps are the methods of :class:`PolicyRun`, so the capstone runs the same policy
between its own daily steps (the pipeline, the live service) instead of a copy of this loop.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from week01_data.target import TARGET
from week03_ml.artifact import Model
from week03_ml.evaluate import ranking_scores
from week03_ml.split import flight_date
from week13_retrain.assign import assign_arm, flight_id, srm_check
from week13_retrain.challenger import TrainWindow, cut, train_challenger, training_window
from week13_retrain.sequential import ArmStats, log_loss_per_flight, sequential_decision
from week13_retrain.settings import Policy
from week13_retrain.triggers import TriggerState, check_triggers, retrained

log = logging.getLogger(__name__)


@dataclass
class Test:
    """A running A/B test: when it started, the challenger, the metric per arm so far."""

    start: dt.date
    challenger: Any  # week06's RegisteredModel
    salt: str
    losses: dict[str, list[np.ndarray]] = field(
        default_factory=lambda: {"champion": [], "challenger": []}
    )
    p_value: float = 1.0


@dataclass
class SimulationResult:
    """One row per retrain, one per month, and every served flight's probability."""

    retrains: pd.DataFrame
    months: pd.DataFrame
    served: pd.DataFrame


def _stats(test: Test, arm: str) -> ArmStats:
    parts = test.losses[arm]
    return ArmStats.of(np.concatenate(parts) if parts else np.empty(0))


class PolicyRun:
    """The policy's state between days, and its three daily steps (the capstone calls them
    between its own: the day's pipeline and the live service).

    Build it with :meth:`begin` (the first champion), then for each day, in order:
    :meth:`labels_arrive`, :meth:`check`, :meth:`serve`; :meth:`result` at the end.
    ``events`` records every monitoring look and every decision, each with its day.
    """

    def __init__(
        self,
        flights: pd.DataFrame,
        start: dt.date,
        policy: Policy,
        *,
        model_name: str,
        experiment_id: str,
        client: Any,
        champion: Any,
        salt: str = "ab",
    ) -> None:
        self.flights, self.start, self.policy = flights, start, policy
        self.model_name, self.experiment_id, self.client = model_name, experiment_id, client
        self.dates = flight_date(flights)
        self.champion = champion
        self.static = champion  # never retrained: what "doing nothing" would have served
        self.salt = salt
        self.state = TriggerState(last_trained=start)
        self.test: Test | None = None
        self.retrains: list[dict[str, Any]] = []
        self.served: list[pd.DataFrame] = []
        self.monitoring: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []

    @classmethod
    def begin(
        cls,
        flights: pd.DataFrame,
        start: dt.date,
        policy: Policy,
        *,
        model_name: str,
        experiment_id: str,
        client: Any,
        first: TrainWindow | None = None,
        salt: str = "ab",
    ) -> PolicyRun:
        """Train the first champion (``first``; default week03's windows: January-June,
        validated from July to ``start``) through week06 and make it champion."""
        from week06_mlflow.registry import CHAMPION, alias_uri, load_registered, promote

        first = first or TrainWindow(dt.date(2013, 1, 1), dt.date(2013, 7, 1), start)
        initial = train_challenger(
            flights, first, model_name=model_name, experiment_id=experiment_id, champion=None,
            n_estimators=policy.n_estimators,
        )  # fmt: skip
        promote(model_name, cut(flights, first.valid_from, start))
        champion = load_registered(alias_uri(model_name, CHAMPION))
        log.info("initial champion %s trained on %s", initial.version, first.text)
        run = cls(
            flights, start, policy, model_name=model_name, experiment_id=experiment_id,
            client=client, champion=champion, salt=salt,
        )  # fmt: skip
        run.events.append(
            {"day": start.isoformat(), "kind": "champion", "version": champion.version,
             "reason": f"first champion, trained on {first.text}"}
        )  # fmt: skip
        return run

    def labels_arrive(self, day: dt.date) -> str | None:
        """The labels of the day before ``day`` reach a running test: look at the mSPRT and
        end the test when it says so (or at its horizon). Returns the decision, if any."""
        from week06_mlflow.registry import CHAMPION, alias_uri, load_registered
        from week13_retrain.aliases import keep_champion, settle_ab

        policy, test = self.policy, self.test
        yesterday = day - dt.timedelta(days=policy.label_delay_days)
        if test is None or yesterday < test.start:
            return None
        done = self.served[-policy.label_delay_days]  # the day whose labels just arrived
        for arm in ("champion", "challenger"):
            rows = done[done["arm"] == arm]
            test.losses[arm].append(log_loss_per_flight(rows[TARGET], rows["served"]))
        a, b = _stats(test, "champion"), _stats(test, "challenger")
        look = sequential_decision(a, b, tau=policy.tau, alpha=policy.alpha, p_before=test.p_value)
        test.p_value = look.p_value
        days = (day - test.start).days
        row = self.retrains[-1]
        srm = srm_check(a.n, b.n, policy.share)
        row.update(
            n_champion=a.n, n_challenger=b.n, delta_log_loss=look.delta,
            p_value=look.p_value, srm_p=srm.p_value, ab_days=days,
        )  # fmt: skip
        verdict: str | None = None
        if look.verdict != "continue":
            decision = settle_ab(self.client, self.model_name, look, -a.mean, -b.mean)
            log.info("%s: A/B of version %s: %s", day, row["version"], decision.reason)
            verdict = _verdict(look.verdict, decision.promote)
            row.update(decision=verdict, ended=day)
            if decision.promote:
                self.champion = load_registered(alias_uri(self.model_name, CHAMPION))
            reason = decision.reason
        elif days >= policy.max_test_days:
            reason = f"{look.reason}: no decision in {days} days"
            keep_champion(self.client, self.model_name, reason)
            verdict = "keep (horizon)"
            row.update(decision=verdict, ended=day)
        if verdict is not None:
            self.events.append(
                {"day": day.isoformat(), "kind": "ab", "version": row["version"],
                 "decision": verdict, "reason": reason, "champion": self.champion.version}
            )  # fmt: skip
            self.test = None
        return verdict

    def check(self, day: dt.date) -> Any | None:
        """Every ``check_every`` days with no test running: week11's monitoring row of the
        last ``monitor_days`` days, the triggers, and on a trigger a challenger (a test starts
        when the condition step admits it). Returns the trigger decision (None: no look)."""
        from week11_monitoring.monitor import Champion, window_metrics
        from week11_monitoring.quality import PREDICTION

        policy, flights, champion = self.policy, self.flights, self.champion
        if (
            self.test is not None
            or (day - self.start).days % policy.check_every
            or day == self.start
        ):
            return None
        monitored = cut(flights, day - dt.timedelta(days=policy.monitor_days), day)
        watched = Champion(champion.pipeline, champion.metadata, champion.version)
        window = champion.metadata["training_window"]
        reference = cut(
            flights, dt.date.fromisoformat(window[0]),
            dt.date.fromisoformat(window[1]) + dt.timedelta(days=1),
        )  # fmt: skip
        row_now = window_metrics(
            _scored(reference, watched, PREDICTION),
            _scored(monitored, watched, PREDICTION),
            watched,
            day,
            label_delay_days=policy.label_delay_days,
        ).row
        before = self.state.alerts
        trigger, self.state = check_triggers(day, row_now, self.state, policy.rules)
        alerts = {
            name: ("firing" if now.firing else "resolved")
            for name, now in self.state.alerts.items()
            if now.firing != before[name].firing
        }
        self.monitoring.append(
            {"day": day.isoformat(), "version": champion.version, **row_now,
             "alerts": alerts, "trigger": trigger.reason if trigger.retrain else ""}
        )  # fmt: skip
        if trigger.retrain:
            self.retrain(day, trigger.reason)
        return trigger

    def retrain(self, day: dt.date, reason: str) -> Any:
        """Train a challenger on ``day``'s window; a test starts when the condition step
        admits it. Returns week13's :class:`~week13_retrain.challenger.Challenger`."""
        from week06_mlflow.registry import load_registered

        policy = self.policy
        window_ = training_window(
            day, policy.window, train_weeks=policy.train_weeks, valid_days=policy.valid_days
        )
        made = train_challenger(
            self.flights, window_, model_name=self.model_name, experiment_id=self.experiment_id,
            champion=self.champion, n_estimators=policy.n_estimators,
        )  # fmt: skip
        self.state = retrained(self.state, day)
        self.retrains.append(
            {
                "day": day, "reason": reason, "window": window_.text,
                "valid_auc": made.valid_auc, "champion_valid_auc": made.champion_auc,
                "version": made.version or "", "decision": "not admitted",
            }
        )  # fmt: skip
        self.events.append(
            {"day": day.isoformat(), "kind": "retrain", "version": made.version or "",
             "decision": "testing" if made.version else "not admitted",
             "reason": f"{reason}; {made.reason}"}
        )  # fmt: skip
        if made.version is not None:
            self.retrains[-1]["decision"] = "testing"
            self.test = Test(
                day,
                load_registered(f"models:/{self.model_name}/{made.version}"),
                f"{self.salt}-{self.model_name}-v{made.version}",
            )
        return made

    def serve(self, day: dt.date) -> pd.DataFrame:
        """``day``'s flights, each by the arm its hashed id picks: the arm, the served and the
        static champion's probabilities (kept for the labels of the days to come)."""
        today = self.flights[self.dates == pd.Timestamp(day)]
        served = _serve(today, self.champion, self.test, self.policy.share, self.static)
        self.served.append(served)
        return served

    def result(self) -> SimulationResult:
        """The retrain table, the months (policy against static) and every served flight."""
        if self.test is not None:
            self.retrains[-1]["decision"] = "still testing at the end"
        all_served = pd.concat(self.served, ignore_index=True)
        table = pd.DataFrame(self.retrains)
        for column in ("n_champion", "n_challenger", "ab_days"):
            if column in table:
                table[column] = table[column].astype("Int64")  # counts, not 19088.0000
        return SimulationResult(table, monthly_table(all_served), all_served)


def simulate(
    flights: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    policy: Policy,
    *,
    store: Path,
    model_name: str = "flight-delay",
    on_day: Callable[[dt.date], None] | None = None,
) -> SimulationResult:
    """Run the policy from ``start`` to ``end`` (both included) on labelled ``flights`` with
    week03's features, in a fresh MLflow store in ``store``."""
    import mlflow

    from week06_mlflow.settings import ensure_experiment, new_local_store
    from week13_retrain.aliases import mlflow_client

    uri = new_local_store(store)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    experiment_id = ensure_experiment("week13-simulation", store / "mlartifacts")
    run = PolicyRun.begin(
        flights, start, policy, model_name=model_name, experiment_id=experiment_id,
        client=mlflow_client(uri),
    )  # fmt: skip
    day = start
    while day <= end:
        run.labels_arrive(day)
        run.check(day)
        run.serve(day)
        if on_day is not None:
            on_day(day)
        day += dt.timedelta(days=1)
    return run.result()


def _verdict(verdict: str, promoted: bool) -> str:
    if verdict == "stop_harm":
        return "stopped for harm"
    return "promoted" if promoted else "refused"


def _scored(frame: pd.DataFrame, champion: Model, column: str) -> pd.DataFrame:
    return frame.assign(**{column: champion.predict_proba(frame)})


def _serve(
    today: pd.DataFrame, champion: Any, test: Test | None, share: float, static: Any
) -> pd.DataFrame:
    """Today's flights: the arm, the served probability and the static champion's."""
    served = champion.predict_proba(today)
    arms = np.full(len(today), "champion", dtype=object)
    if test is not None and len(today):
        ids = [
            flight_id(dt.date(int(y), int(m), int(d)), c, int(f), o)
            for y, m, d, c, f, o in today[
                ["year", "month", "day", "carrier", "flight", "origin"]
            ].itertuples(index=False)
        ]
        arms = np.array([assign_arm(i, share, test.salt) for i in ids], dtype=object)
        chosen = arms == "challenger"
        served = np.where(chosen, test.challenger.predict_proba(today), served)
    versions = np.where(
        arms == "challenger",
        test.challenger.version if test is not None else "",
        champion.version,
    )
    return pd.DataFrame(
        {
            "date": flight_date(today).to_numpy(),
            "month": today["month"].to_numpy(),
            TARGET: today[TARGET].astype("int64").to_numpy(),
            "arm": arms,
            "version": versions,
            "served": served,
            "static": static.predict_proba(today),
        }
    )


def monthly_table(served: pd.DataFrame) -> pd.DataFrame:
    """Per month: flights, and ROC-AUC and log loss of the policy's served probabilities and
    of the static champion's, with the difference (policy minus static)."""
    rows = []
    for month, frame in served.groupby("month"):
        y = frame[TARGET].to_numpy()
        row: dict[str, Any] = {"month": int(str(month)), "flights": len(frame)}
        for name in ("served", "static"):
            row[f"{name}_auc"] = ranking_scores(y, frame[name].to_numpy())["roc_auc"]
            row[f"{name}_log_loss"] = float(log_loss_per_flight(y, frame[name]).mean())
        rows.append(row)
    table = pd.DataFrame(rows).rename(
        columns={
            "served_auc": "policy_auc",
            "served_log_loss": "policy_log_loss",
            "static_auc": "static_auc",
            "static_log_loss": "static_log_loss",
        }
    )
    table["auc_gain"] = table["policy_auc"] - table["static_auc"]
    table["log_loss_gain"] = table["static_log_loss"] - table["policy_log_loss"]
    return table
