"""Exercise 6 — the Slack message of a failed task.

When a task has failed for good (no retry left), the DAGs' failure callback posts a message to
a Slack incoming webhook. Whoever reads it, perhaps at 3 a.m., needs to know at a glance which
task failed, for which flight date, whether the retries are used up, and what went wrong.

Write the function below, then check it with ``uv run course grade week09``. Stuck?
``uv run course hint week09 alert_payload`` shows one hint step per call.
The reference solution lives in ``week09_data_pipeline/alerts.py``: look only once you are done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from week09_data_pipeline.alerts import MAX_ERROR
from week09_data_pipeline.context import flight_date


def alert_payload(context: Mapping[str, Any]) -> dict[str, Any]:
    """The Slack message for a task that failed for good, from the Airflow context of the
    failure.

    Args:
        context: the context Airflow passes to the failure callback. ``context["ti"]`` is the
            task instance, with ``dag_id``, ``task_id``, ``try_number`` (the try that failed,
            counted from 1) and ``max_tries`` (the number of *retries*, so a task has
            ``max_tries + 1`` tries in all); it may or may not have a ``log_url`` attribute.
            The flight date comes from ``flight_date(context)``. ``"exception"`` holds the
            error, and may be missing.

    Returns:
        ``{"text": text}``, plain JSON (the text is a ``str``: no dates or exception objects),
        where the first line of ``text`` reads::

            <dag_id>.<task_id> failed for <day> (try <try_number> of <tries>): <error>

        for example (one line)::

            flights_daily.load_flights failed for 2013-09-02 (try 3 of 3): ConnectionError: w...

        * ``<day>`` is the flight date in ISO form; when ``flight_date`` raises ``ValueError``
          (the run has no logical date) it is the words ``no logical date``: the alert still
          goes out;
        * ``<tries>`` is ``max_tries + 1``;
        * ``<error>`` is the exception's class name, a colon and a space, then its message cut
          to its first ``MAX_ERROR`` characters; ``unknown error`` when the context holds no
          exception;
        * when the task instance has a (non-empty) ``log_url``, it follows on a second line of
          its own; otherwise the text is the one line.

    Raises:
        Nothing for a context with a ``"ti"``: a missing date or exception is reported in the
        text, never raised (an alert that fails would hide the failure it reports).
    """
    # TODO: your code here
    raise NotImplementedError("alert_payload")
