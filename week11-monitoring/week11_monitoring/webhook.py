"""Alerts as Slack messages, posted to a webhook URL (a Slack incoming webhook in production;
any HTTP receiver of the same JSON in the suite).

Slack's incoming webhooks take a JSON body with ``text`` (the one line shown in notifications
and read by screen readers: required) and ``blocks`` (the formatted message). The URL itself
is the credential: whoever has it can post to the channel. It is kept as a ``SecretStr``,
revealed only to make the request, and logs name the receiver's host, never the URL: week 9's
:func:`~week09_data_pipeline.alerts.post_webhook` posts it, as it posts a failed task's alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# the course's one webhook sender (retries, backoff, logs that never name the URL): week 9's
from week09_data_pipeline.alerts import RETRY_STATUSES, post_webhook, receiver_name
from week11_monitoring.alerts import AlertRule, Event

__all__ = ["RETRY_STATUSES", "Alert", "post_webhook", "receiver_name", "slack_payload"]

ICONS: dict[str, str] = {"firing": ":red_circle:", "resolved": ":large_green_circle:"}
#: Slack cuts a header's text at 150 characters
HEADER_LIMIT = 150


@dataclass(frozen=True)
class Alert:
    """One event of one rule: what fired (or resolved), on which window, at which value."""

    rule: AlertRule
    event: Event
    window: str
    value: float
    model_version: str


def slack_payload(alert: Alert) -> dict[str, Any]:
    """The Slack message of ``alert`` as a JSON-ready dict (exercise 5)::

        {"text": "<icon> <EVENT>: <rule name> on <window>: <metric> = <value>",
         "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "<EVENT> <rule name>"}},
            {"type": "section", "fields": [
                {"type": "mrkdwn", "text": "*Window*\\n<window>"},
                {"type": "mrkdwn", "text": "*<metric>*\\n<value>"},
                {"type": "mrkdwn", "text": "*Fires at / clears below*\\n<fire_at> / <clear>"},
                {"type": "mrkdwn", "text": "*Model*\\n<model_version>"}]}]}

    * ``<icon>`` is :data:`ICONS` of the event, ``<EVENT>`` the event in capitals
      (``FIRING``, ``RESOLVED``);
    * every number with 3 decimals (``0.677``), so the message says what the table says;
    * the header's text is cut to :data:`HEADER_LIMIT` characters (Slack refuses longer);
    * only ``str`` values inside: ``json.dumps`` must take it as it is (a NumPy float is not
      JSON).
    """
    rule, event = alert.rule, alert.event
    value = f"{float(alert.value):.3f}"
    return {
        "text": (
            f"{ICONS[event]} {event.upper()}: {rule.name} on {alert.window}: "
            f"{rule.metric} = {value}"
        ),
        "blocks": [
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": f"{event.upper()} {rule.name}"[:HEADER_LIMIT],
                },
            },
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*Window*\n{alert.window}"},
                    {"type": "mrkdwn", "text": f"*{rule.metric}*\n{value}"},
                    {
                        "type": "mrkdwn",
                        "text": f"*Fires at / clears below*\n{rule.fire_at:.3f} / "
                        f"{rule.clear_below:.3f}",
                    },
                    {"type": "mrkdwn", "text": f"*Model*\n{alert.model_version}"},
                ],
            },
        ],
    }
