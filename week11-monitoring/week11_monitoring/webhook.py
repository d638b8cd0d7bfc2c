"""Alerts as Slack messages, posted to a webhook URL (a Slack incoming webhook in production;
any HTTP receiver of the same JSON in the suite).

Slack's incoming webhooks take a JSON body with ``text`` (the one line shown in notifications
and read by screen readers: required) and ``blocks`` (the formatted message). The URL itself
is the credential: whoever has it can post to the channel. It is kept as a ``SecretStr``,
revealed only to make the request, and logs name the receiver's host, never the URL.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from week11_monitoring.alerts import AlertRule, Event

log = logging.getLogger(__name__)
# httpx logs every request's full URL at INFO, and a webhook's URL is its credential: whatever
# the program's logging set-up, httpx may only speak here from WARNING on (no URL at that level)
logging.getLogger("httpx").setLevel(logging.WARNING)

ICONS: dict[str, str] = {"firing": ":red_circle:", "resolved": ":large_green_circle:"}
#: Slack cuts a header's text at 150 characters
HEADER_LIMIT = 150
#: answers worth another try: the receiver is busy or broken, not our request
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


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


def receiver_name(url: str) -> str:
    """What logs may say about a webhook URL: its scheme and host, never its path (the
    secret part of a Slack webhook)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" if parts.hostname else "<webhook>"


def post_webhook(
    url: SecretStr | str,
    payload: dict[str, Any],
    *,
    retries: int = 3,
    timeout: float = 5.0,
    backoff: float = 0.5,
    transport: httpx.BaseTransport | None = None,
) -> bool:
    """POST ``payload`` as JSON to ``url``; True once the receiver answers 2xx.

    A timeout, a refused connection or a :data:`RETRY_STATUSES` answer is tried again, up to
    ``retries`` more times, waiting ``backoff``, then twice as long each time. Another 4xx
    (a bad URL, a revoked webhook) is not retried: it will not get better. Returns False when
    every attempt failed (an alert that cannot be delivered is logged as an error, it does
    not stop the monitoring run).
    """
    secret = url.get_secret_value() if isinstance(url, SecretStr) else url
    where = receiver_name(secret)
    wait = backoff
    with httpx.Client(timeout=timeout, transport=transport) as client:
        for attempt in range(1, retries + 2):
            try:
                answer = client.post(secret, json=payload)
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            else:
                if answer.is_success:
                    log.info("alert delivered to %s (attempt %d)", where, attempt)
                    return True
                problem = f"HTTP {answer.status_code}"
                if answer.status_code not in RETRY_STATUSES:
                    log.error("webhook %s refused the alert: %s, not retried", where, problem)
                    return False
            if attempt <= retries:
                log.warning("webhook %s: %s, retrying in %.1f s", where, problem, wait)
                time.sleep(wait)
                wait *= 2
    log.error("alert not delivered to %s after %d attempts: %s", where, retries + 1, problem)
    return False
