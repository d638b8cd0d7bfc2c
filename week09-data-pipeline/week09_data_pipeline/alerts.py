"""Failure alerts: a Slack-format message posted to a webhook when a task fails for good.

Every DAG's ``on_failure_callback`` calls :func:`on_failure`, which builds the message with
:func:`alert_payload` and posts it to ``WEEK09_ALERT_WEBHOOK_URL`` (a Slack incoming webhook in
production). Airflow calls it once a task has no retry left. Posting an alert must never hide
the failure it reports: :func:`post_webhook` (the course's one webhook sender, week 11's too)
logs a problem instead of raising it.

:class:`LocalReceiver` is a tiny HTTP server on 127.0.0.1 that keeps what it is sent: the
checks and the notebook point the webhook at it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.parse
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from pydantic import SecretStr

from week09_data_pipeline.context import flight_date

log = logging.getLogger(__name__)
# httpx logs every request's full URL at INFO, and a webhook's URL is its credential: whatever
# the program's logging set-up, httpx may only speak here from WARNING on (no URL at that level)
logging.getLogger("httpx").setLevel(logging.WARNING)

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


#: answers worth another try: the receiver is busy or broken, not our request
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def receiver_name(url: str) -> str:
    """What logs may say about a webhook URL: its scheme and host, never its path. A Slack
    webhook's URL *is* its credential (anyone holding it can post to the channel)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
    return f"{parts.scheme}://{host}" if host else "<webhook>"


def post_webhook(
    url: SecretStr | str,
    payload: Mapping[str, Any],
    *,
    retries: int = 3,
    timeout: float = 5.0,
    backoff: float = 0.5,
    transport: httpx.BaseTransport | None = None,
) -> bool:
    """POST ``payload`` as JSON to ``url``; True once the receiver answers 2xx. The course's
    one webhook sender: week 9's failed tasks and week 11's monitoring alerts post through it.

    A timeout, a refused connection or a :data:`RETRY_STATUSES` answer is tried again, up to
    ``retries`` more times, waiting ``backoff``, then twice as long each time. Another 4xx
    (a bad URL, a revoked webhook) is not retried: it will not get better. Never raises:
    returns False when every attempt failed, logged by :func:`receiver_name` (an alert that
    cannot be delivered must not hide the failure it reports, nor stop a monitoring run).
    """
    secret = url.get_secret_value() if isinstance(url, SecretStr) else url
    where = receiver_name(secret)
    wait = backoff
    with httpx.Client(timeout=timeout, transport=transport) as client:
        for attempt in range(1, retries + 2):
            try:
                answer = client.post(secret, json=dict(payload))
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # their messages quote the URL
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


def on_failure(context: Mapping[str, Any]) -> None:
    """The DAGs' ``on_failure_callback``: post :func:`alert_payload` to the settings' webhook
    (only logged when no webhook is set)."""
    from week09_data_pipeline.settings import get_settings

    payload = alert_payload(context)
    url = get_settings().alert_webhook_url
    if not url:
        log.error("task failed (no WEEK09_ALERT_WEBHOOK_URL set): %s", payload["text"])
        return
    post_webhook(url, payload)


class LocalReceiver:
    """A webhook on ``http://127.0.0.1:<port>/`` that records each JSON body it is posted and
    answers ``status`` (200; Slack answers 403 or 404 to a revoked or mistyped webhook)::

    with LocalReceiver() as receiver:
        post_webhook(receiver.url, {"text": "hello"})
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
