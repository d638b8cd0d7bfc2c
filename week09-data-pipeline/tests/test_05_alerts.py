"""Exercise 6: the failure alert's message (``alert_payload``); then reference checks of
posting it to a webhook."""

from __future__ import annotations

import datetime as dt
import json
import logging
from types import SimpleNamespace

import pytest

# 2 September 2013, midnight in New York, as Airflow hands it over (UTC)
LOGICAL = dt.datetime(2013, 9, 2, 4, tzinfo=dt.UTC)


def _context(**changes: object) -> dict[str, object]:
    ti = SimpleNamespace(
        dag_id="flights_daily",
        task_id="load_flights",
        try_number=3,
        max_tries=2,
        log_url="http://airflow.local/dags/flights_daily/runs/r1/tasks/load_flights",
    )
    context: dict[str, object] = {
        "ti": ti,
        "task_instance": ti,
        "logical_date": LOGICAL,
        "data_interval_start": LOGICAL - dt.timedelta(days=1),
        "data_interval_end": LOGICAL,
        "exception": ConnectionError("warehouse unreachable"),
    }
    context.update(changes)
    return context


def _text(alerts, context) -> str:
    payload = alerts.alert_payload(context)
    assert isinstance(payload, dict) and isinstance(payload.get("text"), str), (
        f"got {payload!r}: Slack reads {{'text': '...'}}"
    )
    return payload["text"]


@pytest.mark.exercise("alert_payload")
@pytest.mark.points(2)
@pytest.mark.hint("payload['text'] starts '<dag_id>.<task_id> failed for <flight date>'")
def test_the_alert_names_the_task_and_the_day(alerts):
    text = _text(alerts, _context())
    assert text.startswith("flights_daily.load_flights failed for 2013-09-02"), (
        f"got {text!r}: start with '<dag>.<task> failed for <flight date>'"
    )


@pytest.mark.exercise("alert_payload")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the day is flight_date(context): not data_interval_start, not datetime.now(); a run "
    "without a logical date says 'no logical date'"
)
def test_the_day_is_the_runs_flight_date(alerts):
    late = _context(logical_date=dt.datetime(2013, 9, 3, 2, tzinfo=dt.UTC))
    assert "failed for 2013-09-02 " in _text(alerts, late), (
        "02:00 UTC on 3 September is 2 September in New York: use flight_date(context)"
    )
    none = _text(alerts, _context(logical_date=None))
    assert "failed for no logical date" in none, (
        f"got {none!r}: an alert must still go out when the run has no logical date"
    )


@pytest.mark.exercise("alert_payload")
@pytest.mark.points(2)
@pytest.mark.hint("max_tries counts retries: the tries are max_tries + 1 ('try 3 of 3')")
@pytest.mark.parametrize(
    ("tries", "retries", "want"),
    [
        pytest.param(3, 2, "(try 3 of 3)", id="last-try"),
        pytest.param(1, 0, "(try 1 of 1)", id="no-retries"),
    ],
)
def test_the_alert_counts_the_tries(alerts, tries, retries, want):
    context = _context()
    context["ti"] = SimpleNamespace(
        **{**vars(context["ti"]), "try_number": tries, "max_tries": retries}
    )
    text = _text(alerts, context)
    assert want in text, f"got {text!r}: want {want!r}"


@pytest.mark.exercise("alert_payload")
@pytest.mark.points(2)
@pytest.mark.hint(
    "after the tries comes the exception's class name, ': ' and its message ('unknown error' "
    "when the context has none)"
)
def test_the_alert_says_what_went_wrong(alerts):
    text = _text(alerts, _context())
    assert "(try 3 of 3): ConnectionError: warehouse unreachable" in text, (
        f"got {text!r}: name the exception's type and message"
    )
    context = _context()
    del context["exception"]
    unknown = _text(alerts, context).splitlines()[0]
    assert unknown.endswith("(try 3 of 3): unknown error"), (
        f"got {unknown!r}: without an exception in the context, say 'unknown error'"
    )


@pytest.mark.exercise("alert_payload")
@pytest.mark.points(2)
@pytest.mark.hint("cut the message to MAX_ERROR (300) characters: Slack shows 3,000 at most")
def test_a_long_error_is_cut(alerts):
    text = _text(alerts, _context(exception=ValueError("x" * 5000)))
    first_line = text.splitlines()[0]
    assert first_line.endswith("ValueError: " + "x" * 300), (
        f"the first line is {len(first_line)} characters: keep 300 of the message, no more, no less"
    )


@pytest.mark.exercise("alert_payload")
@pytest.mark.points(1)
@pytest.mark.hint("the log URL, when the task instance has one, goes on a line of its own")
def test_the_alert_links_the_log(alerts):
    lines = _text(alerts, _context()).splitlines()
    assert lines[-1] == "http://airflow.local/dags/flights_daily/runs/r1/tasks/load_flights", (
        f"last line {lines[-1]!r}: put ti.log_url on its own line"
    )
    context = _context()
    context["ti"] = SimpleNamespace(
        **{k: v for k, v in vars(context["ti"]).items() if k != "log_url"}
    )
    assert len(_text(alerts, context).splitlines()) == 1, "no log URL: one line"


@pytest.mark.exercise("alert_payload")
@pytest.mark.points(2)
@pytest.mark.hint("the payload is posted as JSON: strings only, no datetime or exception objects")
def test_the_payload_is_plain_json(alerts):
    payload = alerts.alert_payload(_context())
    try:
        text = json.dumps(payload)
    except TypeError as error:
        pytest.fail(f"the payload is not JSON: {error}", pytrace=False)
    assert json.loads(text) == payload


# --- reference checks of posting --------------------------------------------------------


def test_an_alert_reaches_the_webhook(receiver):
    from week09_data_pipeline.alerts import alert_payload, post_webhook

    payload = alert_payload(_context())
    assert post_webhook(receiver.url, payload) is True
    assert receiver.received == [payload]


def test_a_dead_webhook_never_hides_the_failure(caplog):
    from week09_data_pipeline.alerts import post_webhook

    assert post_webhook("http://127.0.0.1:9/", {"text": "x"}, retries=1, backoff=0.01) is False
    assert "alert not delivered to http://127.0.0.1 after 2 attempts" in caplog.text


#: a Slack webhook's path is its credential: whoever has the URL can post to the channel
SECRET = "T000/B000/s3cretToken"


@pytest.mark.parametrize(
    ("url", "status", "said"),
    [
        pytest.param(
            f"http://127.0.0.1:9/services/{SECRET}", None, "not delivered", id="no-answer"
        ),
        pytest.param(f"hooks.example.com/services/{SECRET}", None, "not delivered", id="no-scheme"),
        pytest.param(f"http://[::1/services/{SECRET}", None, "not delivered", id="malformed-url"),
        pytest.param(f"services/{SECRET}", 404, "refused the alert: HTTP 404", id="answers-404"),
        pytest.param(f"services/{SECRET}", 503, "after 2 attempts: HTTP 503", id="answers-503"),
    ],
)
def test_the_webhook_url_never_reaches_the_log(caplog, url, status, said):
    from week09_data_pipeline.alerts import LocalReceiver, post_webhook

    with caplog.at_level(logging.DEBUG):  # every logger, httpx's included
        if status is None:
            assert post_webhook(url, {"text": "x"}, retries=1, backoff=0.01, timeout=1) is False
        else:
            with LocalReceiver(status=status) as receiver:
                url = receiver.url + url
                assert post_webhook(url, {"text": "x"}, retries=1, backoff=0.01) is False
    assert said in caplog.text, caplog.text
    assert "s3cretToken" not in caplog.text, f"the webhook's URL was logged: {caplog.text}"
    if status is not None:
        assert "http://127.0.0.1" in caplog.text, caplog.text


def test_the_callback_posts_to_the_settings_webhook(receiver, monkeypatch):
    from week09_data_pipeline.alerts import on_failure

    monkeypatch.setenv("WEEK09_ALERT_WEBHOOK_URL", receiver.url)
    on_failure(_context())
    assert len(receiver.received) == 1
    assert receiver.received[0]["text"].startswith("flights_daily.load_flights failed")
