"""Exercise 5 — the Slack message of an alert.

A Slack incoming webhook takes a JSON body with ``text`` (the one line shown in
notifications: required) and ``blocks`` (the formatted message, in Slack's Block Kit). The
on-call engineer reads the notification line on a phone at 3 am: on its own, it must say
what fired, where, and how bad.

Check your work with ``uv run course grade week11``; when stuck, ``uv run course hint week11
slack_payload`` gives one hint step at a time. The reference solution lives in
``week11_monitoring/webhook.py``: look only once you are done.
"""

from __future__ import annotations

from typing import Any

from week11_monitoring.webhook import HEADER_LIMIT, ICONS, Alert


def slack_payload(alert: Alert) -> dict[str, Any]:
    """The Slack message of ``alert``, as a dict ``json.dumps`` accepts as it is.

    Why: the table says ``0.667``; the message must say the same, and a NumPy float (what a
    pandas table holds) is not JSON. Slack also refuses a header over 150 characters.

    Args:
        alert: one event of one rule: ``alert.rule`` (its ``name``, ``metric``,
            ``fire_at``, ``clear_below``), ``alert.event`` (``"firing"`` or
            ``"resolved"``), ``alert.window`` (e.g. ``"2013-09"``), ``alert.value`` (a
            float, perhaps a NumPy one) and ``alert.model_version``.

    Returns:
        A dict with exactly two keys. Below, "the value" is ``alert.value`` written with 3
        decimals (``0.6666667`` is ``"0.667"``; never more digits), "the event" is
        ``alert.event`` in capitals (``FIRING``, ``RESOLVED``), "the icon" is
        :data:`ICONS` of ``alert.event``.

        * ``"text"``: one line (no newline) that starts with the icon and contains the
          event, the rule's name, the window, the metric's name and the value;
        * ``"blocks"``: a list of two Block Kit blocks, in this order:

          1. a header block: ``{"type": "header", "text": {"type": "plain_text", "text":
             ...}}`` whose text is the event, one space, the rule's name
             (``"FIRING data_drift"``); when that is longer than :data:`HEADER_LIMIT`
             characters, its first :data:`HEADER_LIMIT` characters;
          2. a section block: ``{"type": "section", "fields": [...]}`` whose fields are
             mrkdwn text objects (``{"type": "mrkdwn", "text": ...}``), one for each of:
             the window; the metric's name and the value; the rule's two levels,
             ``fire_at`` then ``clear_below``, each with 3 decimals (``0.650``,
             ``0.500``); the model version. Each field's text is a short label in bold
             (``*Window*``), a newline, then what it shows; the labels' wording is yours.

    Raises:
        Nothing of its own (``alert.event`` is always one of :data:`ICONS`' keys).

    Invariants (checked):
        * every value inside is a ``str``, a ``dict`` or a ``list``: ``json.dumps`` takes
          the payload with a NumPy float value as it is;
        * only the header is cut: the ``text`` line keeps the rule's whole name.
    """
    # TODO: your code here
    raise NotImplementedError("slack_payload")
