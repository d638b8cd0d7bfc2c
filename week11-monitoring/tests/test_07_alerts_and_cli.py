"""From the table to the receiver: the rules walk the windows, a drifting stretch pages once,
the state survives between runs; and the report command end to end on real flights."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from receiver import webhook_receiver
from typer.testing import CliRunner

from week11_monitoring.alerts import AlertState
from week11_monitoring.cli import app
from week11_monitoring.notify import (
    deliver,
    evaluate_alerts,
    load_states,
    rules_from,
    save_states,
)
from week11_monitoring.settings import Settings


def _table(drift, auc_drop) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "window": [f"2013-{m:02d}" for m in range(7, 7 + len(drift))],
            "drift_share": drift,
            "auc_drop": auc_drop,
        }
    )


def test_a_drifting_stretch_reaches_the_receiver_once(monkeypatch):
    table = _table([0.6, 0.7, 0.8, 0.6, 0.7, 0.66], [0.0, 0.01, float("nan"), 0.05, 0.04, 0.0])
    with webhook_receiver() as receiver:
        monkeypatch.setenv("WEEK11_WEBHOOK_URL", receiver.url)
        settings = Settings()
        alerts, states = evaluate_alerts(table, rules_from(settings), {}, "v1")
        assert deliver(alerts, settings) == len(alerts)
    texts = [body["text"] for body in receiver.received]
    drift = [t for t in texts if "data_drift" in t]
    assert len(drift) == 1 and "2013-08" in drift[0], (
        f"five drifting months above 0.65 (one dip to 0.6) must page once, in August: {texts}"
    )
    quality = [t for t in texts if "quality_drop" in t]
    assert len(quality) == 1 and "2013-10" in quality[0], f"AUC 0.05 under in October: {texts}"
    assert states["data_drift"].firing and states["quality_drop"].firing


def test_the_state_carries_over_between_runs(tmp_path):
    rules = rules_from(Settings())
    first, states = evaluate_alerts(_table([0.7, 0.8], [0.0, 0.0]), rules, {}, "v1")
    save_states(tmp_path / "state.json", states)
    loaded = load_states(tmp_path / "state.json")
    assert loaded["data_drift"] == AlertState(firing=True, calm=0)
    second, _ = evaluate_alerts(_table([0.9], [0.0]), rules, loaded, "v1")
    assert len(first) == 1 and second == [], "tomorrow's run knows today's alert already fired"
    assert load_states(tmp_path / "missing.json") == {}


def test_without_a_webhook_alerts_are_logged(caplog, monkeypatch):
    monkeypatch.delenv("WEEK11_WEBHOOK_URL", raising=False)
    alerts, _ = evaluate_alerts(_table([0.9], [0.0]), rules_from(Settings()), {}, "v1")
    assert deliver(alerts, Settings(_env_file=None)) == 0
    assert "FIRING: data_drift" in caplog.text


@pytest.mark.parametrize(
    ("env", "field"),
    [
        pytest.param({"WEEK11_DRIFT_SHARE_CLEAR": "0.7"}, "drift_share_clear", id="drift"),
        pytest.param({"WEEK11_AUC_DROP_CLEAR": "0.05"}, "auc_drop_clear", id="quality"),
    ],
)
def test_settings_refuse_a_clear_level_above_the_alert(monkeypatch, env, field):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValueError, match=field):
        Settings(_env_file=None)


def test_the_webhook_url_is_a_secret(monkeypatch):
    monkeypatch.setenv("WEEK11_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/s3cr3t")
    settings = Settings(_env_file=None)
    assert "s3cr3t" not in repr(settings) and "s3cr3t" not in str(settings.model_dump())


def test_report_command_on_real_flights(monkeypatch, flights, champion_dir, tmp_path):
    """February's weeks against the champion's 1-21 January, with a drift level low enough to
    fire: the table, the outputs, and one page per rule and run."""
    import week03_ml.train

    monkeypatch.setattr(week03_ml.train, "load_flights", lambda: flights)
    monkeypatch.setenv("WEEK11_DRIFT_SHARE_ALERT", "0.05")
    monkeypatch.setenv("WEEK11_DRIFT_SHARE_CLEAR", "0.01")
    out, state = tmp_path / "out", tmp_path / "state.json"
    command = [
        "report", "--from", "2013-02", "--to", "2013-02", "--every", "week",
        "--model", str(champion_dir), "--out", str(out), "--engine", "fast",
        "--state", str(state),
    ]  # fmt: skip
    with webhook_receiver() as receiver:
        monkeypatch.setenv("WEEK11_WEBHOOK_URL", receiver.url)
        first = CliRunner().invoke(app, command)
        second = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    table = pd.read_csv(out / "report.csv")
    assert table["window"].tolist() == ["2013-02-04", "2013-02-11", "2013-02-18", "2013-02-25"]
    assert (out / "windows.png").stat().st_size > 10_000
    assert (out / "report.md").read_text().startswith("| window | flights | drift_share")
    drift = [b for b in receiver.received if "data_drift" in b["text"]]
    assert len(drift) == 1, (
        f"a drifting month pages once, even over two runs with the state kept: {drift}"
    )
    assert json.loads(state.read_text())["data_drift"]["firing"] is True


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        pytest.param("--from", "2013-13", "YYYY-MM", id="bad-month"),
        pytest.param("--every", "day", "month or week", id="bad-every"),
        pytest.param("--engine", "spark", "evidently or fast", id="bad-engine"),
        pytest.param("--as-of", "8 Feb", "Invalid isoformat", id="bad-date"),
    ],
)
def test_report_command_names_a_bad_option(option, value, message):
    result = CliRunner().invoke(app, ["report", option, value])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split()), result.output
