"""From the report table to messages: each rule's state moves window by window (with the
hysteresis of :mod:`week11_monitoring.alerts`), and every event becomes a Slack message posted
to the webhook from the settings.

The state is kept between runs in a small JSON file (``alert-state.json``): the capstone runs
monitoring every day, and tomorrow's run must know that today's alert already fired.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from week11_monitoring.alerts import AlertRule, AlertState, next_state
from week11_monitoring.settings import Settings
from week11_monitoring.webhook import Alert, post_webhook, slack_payload

log = logging.getLogger(__name__)


def rules_from(settings: Settings) -> tuple[AlertRule, ...]:
    """The model-side rules: data drift (share of drifted features) and quality drop (ROC-AUC
    below the champion's validation AUC)."""
    return (
        AlertRule(
            "data_drift",
            "drift_share",
            settings.drift_share_alert,
            settings.drift_share_clear,
            settings.clear_after,
            "share of the model's features whose distribution moved away from the training "
            "window's",
        ),
        AlertRule(
            "quality_drop",
            "auc_drop",
            settings.auc_drop_alert,
            settings.auc_drop_clear,
            settings.clear_after,
            "ROC-AUC on the flights whose outcome is known, below the champion's validation AUC",
        ),
    )


def evaluate_alerts(
    table: pd.DataFrame,
    rules: Sequence[AlertRule],
    states: Mapping[str, AlertState],
    model_version: str,
) -> tuple[list[Alert], dict[str, AlertState]]:
    """Walk the table's windows in order through every rule: the events to send, and each
    rule's state after the last window (``states`` is not changed)."""
    missing = [r.metric for r in rules if r.metric not in table.columns]
    if missing:
        raise KeyError(f"the table has no column(s) {missing} that a rule watches")
    current = {rule.name: states.get(rule.name, AlertState()) for rule in rules}
    alerts = []
    for _, row in table.iterrows():
        for rule in rules:
            value = float(row[rule.metric])
            current[rule.name], event = next_state(current[rule.name], value, rule)
            if event is not None:
                alerts.append(Alert(rule, event, str(row["window"]), value, model_version))
                log.info("%s %s on %s (%s = %.3f)", rule.name, event, row["window"], rule.metric,
                         value)  # fmt: skip
    return alerts, current


def deliver(alerts: Sequence[Alert], settings: Settings) -> int:
    """Post every alert to ``settings.webhook_url``; returns how many arrived. Without a URL
    the alerts are only logged."""
    if settings.webhook_url is None:
        for alert in alerts:
            log.warning("no webhook set (WEEK11_WEBHOOK_URL): %s", slack_payload(alert)["text"])
        return 0
    return sum(
        post_webhook(
            settings.webhook_url,
            slack_payload(alert),
            retries=settings.webhook_retries,
            timeout=settings.webhook_timeout,
        )
        for alert in alerts
    )


def load_states(path: Path) -> dict[str, AlertState]:
    """The rules' states saved by :func:`save_states`; empty when the file does not exist."""
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {name: AlertState(**state) for name, state in raw.items()}


def save_states(path: Path, states: Mapping[str, AlertState]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({name: asdict(s) for name, s in states.items()}, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
