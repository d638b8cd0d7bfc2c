"""Failure alerts: a Slack-format message posted to a webhook when a task fails for good.

Every DAG's ``on_failure_callback`` calls :func:`on_failure`, which builds the message with
:func:`alert_payload` and posts it to ``WEEK09_ALERT_WEBHOOK_URL`` (a Slack incoming webhook in
production). Airflow calls it once a task has no retry left. Posting an alert must never hide
the failure it reports: :func:`send_alert` logs a problem instead of raising it.

:class:`LocalReceiver` is a tiny HTTP server on 127.0.0.1 that keeps what it is sent: the
checks and the notebook point the webhook at it.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from week09_data_pipeline.context import flight_date

log = logging.getLogger(__name__)

#: Slack shows at most 3,000 characters of a section: keep the error short.
MAX_ERROR = 300


def alert_payload(context: Mapping[str, Any]) -> dict[str, Any]:
    """The Slack message for a failed task, from the Airflow ``context`` of the failure.

    Reads ``context["ti"]`` (``dag_id``, ``task_id``, ``try_number``, ``max_tries`` and
    ``log_url`` when it has one), the flight date with :func:`~week09_data_pipeline.context.
    flight_date` (``"no logical date"`` when the run has none) and ``context["exception"]``.
    Returns ``{"text": ...}``, plain JSON (strings only), where the text reads::

        flights_daily.load_flights failed for 2013-09-02 (try 3 of 3): OperationalError: ...

    ``max_tries`` counts the *retries*, so the number of tries is ``max_tries + 1``. The error
    is ``TypeName: message``, the message cut to :data:`MAX_ERROR` characters (``unknown error``
    when the context has no exception); the log URL, if
    any, follows on a line of its own.
    """
    ti = context["ti"]
    try:
        day = flight_date(context).isoformat()
    except ValueError:
        day = "no logical date"
    error = context.get("exception")
    what = (
        f"{type(error).__name__}: {str(error)[:MAX_ERROR]}"
        if error is not None
        else "unknown error"
    )
    text = (
        f"{ti.dag_id}.{ti.task_id} failed for {day} "
        f"(try {ti.try_number} of {ti.max_tries + 1}): {what}"
    )
    log_url = getattr(ti, "log_url", None)
    if log_url:
        text += f"\n{log_url}"
    return {"text": text}


def _webhook_name(url: str) -> str:
    """How logs name a webhook: by its host only. A Slack webhook's URL *is* its credential
    (anyone holding it can post), so the URL itself is never logged."""
    try:
        host = urllib.parse.urlsplit(url).hostname
    except ValueError:
        host = None
    return f"the webhook on {host}" if host else "the webhook"


def send_alert(url: str, payload: Mapping[str, Any], timeout: float = 5.0) -> bool:
    """POST ``payload`` as JSON to ``url``; True when it answered 2xx. Never raises: a broken
    webhook is logged (by its host, never its URL), and the task's own failure stays the one
    reported."""
    where = _webhook_name(url)
    try:
        request = urllib.request.Request(
            url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:  # a 4xx / 5xx answer
        log.warning("could not post the alert to %s: it answered HTTP %s", where, error.code)
        return False
    except urllib.error.URLError as error:  # no answer: refused, timed out, unknown host
        log.warning("could not post the alert to %s: %s", where, error.reason)
        return False
    except (OSError, ValueError) as error:  # e.g. a malformed URL: its message quotes the URL
        log.warning("could not post the alert to %s: %s", where, type(error).__name__)
        return False
    ok = 200 <= status < 300
    if not ok:
        log.warning("could not post the alert to %s: it answered HTTP %s", where, status)
    return ok


def on_failure(context: Mapping[str, Any]) -> None:
    """The DAGs' ``on_failure_callback``: post :func:`alert_payload` to the settings' webhook
    (only logged when no webhook is set)."""
    from week09_data_pipeline.settings import get_settings

    payload = alert_payload(context)
    url = get_settings().alert_webhook_url
    if not url:
        log.error("task failed (no WEEK09_ALERT_WEBHOOK_URL set): %s", payload["text"])
        return
    send_alert(url, payload)


class LocalReceiver:
    """A webhook on ``http://127.0.0.1:<port>/`` that records each JSON body it is posted and
    answers ``status`` (200; Slack answers 403 or 404 to a revoked or mistyped webhook)::

    with LocalReceiver() as receiver:
        send_alert(receiver.url, {"text": "hello"})
    receiver.received  # [{"text": "hello"}]
    """

    def __init__(self, status: int = 200) -> None:
        self.received: list[Any] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                received.append(json.loads(self.rfile.read(length) or b"null"))
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 400 else b"no_service")

            def log_message(self, format: str, *args: Any) -> None:
                # the request line holds the webhook's path, its secret: never logged
                log.debug("receiver: a %s request", self.command)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def __enter__(self) -> LocalReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
