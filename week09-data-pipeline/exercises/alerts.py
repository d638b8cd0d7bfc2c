"""Exercise 6 — the Slack message of a failed task.

Fill in the function below, then check it with ``uv run course grade week09``.
The reference solution lives in ``week09_data_pipeline/alerts.py``: look only once you are done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from week09_data_pipeline.alerts import MAX_ERROR
from week09_data_pipeline.context import flight_date


def alert_payload(context: Mapping[str, Any]) -> dict[str, Any]:
    """The Slack message for a failed task, from the Airflow ``context`` of the failure.

    Reads ``context["ti"]`` (``dag_id``, ``task_id``, ``try_number``, ``max_tries`` and
    ``log_url`` when it has one), the flight date with ``flight_date(context)``
    (``"no logical date"`` when the run has none) and ``context["exception"]``.
    Returns ``{"text": ...}``, plain JSON (strings only), where the text reads::

        flights_daily.load_flights failed for 2013-09-02 (try 3 of 3): OperationalError: ...

    ``max_tries`` counts the *retries*, so the number of tries is ``max_tries + 1``. The error
    is ``TypeName: message``, the message cut to ``MAX_ERROR`` characters (``unknown error``
    when the context has no exception); the log URL, if
    any, follows on a line of its own.

    Steps:
      1. ``ti = context["ti"]``.
      2. ``day = flight_date(context).isoformat()``; on ``ValueError`` use ``"no logical date"``.
      3. ``error = context.get("exception")``; the error text is
         ``f"{type(error).__name__}: {str(error)[:MAX_ERROR]}"`` (``"unknown error"`` when
         there is none).
      4. The text as shown above; add ``"\\n" + log_url`` when ``getattr(ti, "log_url", None)``.
      5. Return ``{"text": text}``.
    """
    # TODO: your code here
    raise NotImplementedError("alert_payload")
