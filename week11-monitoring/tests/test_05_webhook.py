"""Exercise 5: the Slack message of an alert (``slack_payload``); and the sender that posts it
to a webhook, retried when the receiver fails, without the secret URL in any log."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
from pydantic import SecretStr
from receiver import webhook_receiver

from week11_monitoring.alerts import AlertRule
from week11_monitoring.webhook import Alert, post_webhook, receiver_name

RULE = AlertRule("data_drift", "drift_share", fire_at=0.65, clear_below=0.5)
FIRING = Alert(RULE, "firing", "2013-09", 0.6666667, "131649f689d7")

EXPECTED = {
    "text": ":red_circle: FIRING: data_drift on 2013-09: drift_share = 0.667",
    "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "FIRING data_drift"}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*Window*\n2013-09"},
                {"type": "mrkdwn", "text": "*drift_share*\n0.667"},
                {"type": "mrkdwn", "text": "*Fires at / clears below*\n0.650 / 0.500"},
                {"type": "mrkdwn", "text": "*Model*\n131649f689d7"},
            ],
        },
    ],
}


@pytest.mark.exercise("slack_payload")
@pytest.mark.points(3)
@pytest.mark.hint(
    "build exactly the dict of the docstring: 'text' (the notification line), a header "
    "block and a section with four mrkdwn fields"
)
def test_the_payload_of_a_firing_alert(webhook):
    assert webhook.slack_payload(FIRING) == EXPECTED


@pytest.mark.exercise("slack_payload")
@pytest.mark.points(2)
@pytest.mark.hint("a resolved alert: the green icon and RESOLVED, in the text and the header")
def test_a_resolved_alert_says_so(webhook):
    resolved = Alert(RULE, "resolved", "2013-12", 0.4, "v7")
    payload = webhook.slack_payload(resolved)
    assert payload["text"] == (
        ":large_green_circle: RESOLVED: data_drift on 2013-12: drift_share = 0.400"
    )
    assert payload["blocks"][0]["text"]["text"] == "RESOLVED data_drift"
    assert payload["blocks"][1]["fields"][3]["text"] == "*Model*\nv7"


@pytest.mark.exercise("slack_payload")
@pytest.mark.points(2)
@pytest.mark.hint(
    "json.dumps must accept the payload as it is: turn a NumPy float into text with "
    "3 decimals yourself"
)
def test_the_payload_is_plain_json(webhook):
    numpy_value = Alert(RULE, "firing", "2013-10", np.float64(0.7), "v1")
    text = json.dumps(webhook.slack_payload(numpy_value), allow_nan=False)
    assert "drift_share = 0.700" in text


@pytest.mark.exercise("slack_payload")
@pytest.mark.points(1)
@pytest.mark.hint("Slack refuses a header over 150 characters: cut the header's text at 150")
def test_a_long_header_is_cut(webhook):
    long_rule = AlertRule("x" * 200, "auc_drop", 0.03, 0.015)
    payload = webhook.slack_payload(Alert(long_rule, "firing", "2013-10", 0.06, "v1"))
    header = payload["blocks"][0]["text"]["text"]
    assert len(header) == 150 and header.startswith("FIRING xxx")
    assert "x" * 200 in payload["text"], "only the header is cut, not the text"


def test_a_delivered_alert_arrives_once():
    with webhook_receiver() as receiver:
        assert post_webhook(receiver.url, EXPECTED, backoff=0.01)
    assert receiver.received == [EXPECTED] and receiver.attempts == 1


def test_a_failing_receiver_is_retried_until_it_answers(caplog):
    with webhook_receiver() as receiver:
        receiver.failures = [500, 503]
        with caplog.at_level(logging.INFO, logger="week11_monitoring.webhook"):
            ok = post_webhook(SecretStr(receiver.url), EXPECTED, retries=3, backoff=0.01)
    assert ok and receiver.attempts == 3, f"2 failures then a success: {receiver.attempts}"
    assert receiver.received == [EXPECTED], "delivered exactly once"
    assert "s3cr3tT0ken" not in caplog.text, "the webhook's secret path must never be logged"
    assert "HTTP 500" in caplog.text and "127.0.0.1" in caplog.text


@pytest.mark.parametrize(
    ("failures", "retries", "attempts", "delivered"),
    [
        pytest.param([500] * 5, 2, 3, False, id="gives-up-after-retries"),
        pytest.param([404], 3, 1, False, id="a-4xx-is-not-retried"),
        pytest.param([429, 429], 3, 3, True, id="rate-limited-is-retried"),
    ],
)
def test_what_is_retried_and_when_to_stop(caplog, failures, retries, attempts, delivered):
    with webhook_receiver() as receiver:
        receiver.failures = list(failures)
        with caplog.at_level(logging.INFO, logger="week11_monitoring.webhook"):
            ok = post_webhook(receiver.url, EXPECTED, retries=retries, backoff=0.01)
    assert receiver.attempts == attempts, f"answers {failures}: {receiver.attempts} attempts"
    assert ok is delivered
    assert "s3cr3tT0ken" not in caplog.text


def test_an_unreachable_receiver_is_an_error_not_a_crash(caplog):
    with webhook_receiver() as receiver:
        url = receiver.url
    # the receiver is gone: connections are refused
    with caplog.at_level(logging.INFO, logger="week11_monitoring.webhook"):
        assert not post_webhook(url, EXPECTED, retries=1, backoff=0.01, timeout=1)
    assert "ConnectError" in caplog.text and "s3cr3tT0ken" not in caplog.text


def test_logs_name_the_host_only():
    assert receiver_name("https://hooks.slack.com/services/T0/B0/abc") == "https://hooks.slack.com"
    assert receiver_name("not a url") == "<webhook>"
