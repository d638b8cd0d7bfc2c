"""Exercise 5 — the Slack message of an alert.

Fill in the function below, then check it with ``uv run course grade week11``. The reference
solution lives in ``week11_monitoring/webhook.py``: look only once you are done.
"""

from __future__ import annotations

from typing import Any

from week11_monitoring.webhook import HEADER_LIMIT, ICONS, Alert


def slack_payload(alert: Alert) -> dict[str, Any]:
    """The Slack message of ``alert`` as a JSON-ready dict.

    Why: a Slack incoming webhook takes ``text`` (the line shown in notifications: required)
    and ``blocks`` (the formatted message). The on-call engineer reads the notification line
    on a phone at 3 am: it must say what fired, where, and how bad, on its own.

    The shape (``<value>`` is ``alert.value`` with 3 decimals, ``<EVENT>`` is
    ``alert.event.upper()``, ``<icon>`` is ``ICONS[alert.event]``; ``rule = alert.rule``)::

        {"text": "<icon> <EVENT>: <rule.name> on <alert.window>: <rule.metric> = <value>",
         "blocks": [
            {"type": "header",
             "text": {"type": "plain_text", "text": "<EVENT> <rule.name>"}},
            {"type": "section", "fields": [
                {"type": "mrkdwn", "text": "*Window*\\n<alert.window>"},
                {"type": "mrkdwn", "text": "*<rule.metric>*\\n<value>"},
                {"type": "mrkdwn",
                 "text": "*Fires at / clears below*\\n<rule.fire_at> / <rule.clear_below>"},
                {"type": "mrkdwn", "text": "*Model*\\n<alert.model_version>"}]}]}

    Steps:
      1. Format every number with 3 decimals (``f"{float(x):.3f}"``): a NumPy float is not
         JSON, and the message should say what the table says.
      2. Cut the header's text to ``HEADER_LIMIT`` (150) characters: Slack refuses longer.
      3. Build and return the dict above.
    """
    # TODO: your code here
    raise NotImplementedError("slack_payload")
