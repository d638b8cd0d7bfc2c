"""From the table to the receiver: the rules walk the windows, a drifting stretch pages once,
the state survives between runs; and the report command end to end on real flights."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import yaml
from receiver import webhook_receiver
from typer.testing import CliRunner

from course.cli_support import CourseError
from course.testing import expected_error
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


# Expected errors: one line naming the cause and the fix, exit code 2, no traceback.


@pytest.mark.budget(180)
def test_a_missing_champion_is_one_line_and_exit_code_2(tmp_path):
    """The real entry point (``python -m week11_monitoring``), as a learner runs it."""
    missing = tmp_path / "no-model-here"
    args = ["report", "--model", str(missing), "--engine", "fast", "--out", str(tmp_path / "out")]
    output = expected_error("week11_monitoring", args, cwd=tmp_path, timeout=150)
    assert str(missing) in output and "week03_ml train" in output, output
    assert not (tmp_path / "out").exists(), "nothing written before the champion is loaded"


@pytest.mark.parametrize(
    ("command", "cause", "fix"),
    [
        pytest.param(
            ["report", "--from", "2014-01", "--to", "2014-03"],
            "outside 2013",
            "--from 2013-07",
            id="months-of-2014",
        ),
        pytest.param(
            ["report", "--as-of", "2015-01-01"], "outside 2013", "--as-of 2013-", id="as-of-2015"
        ),
        pytest.param(
            ["report", "--from", "2013-07", "--as-of", "2013-06-15"],
            "not after",
            "--as-of",
            id="as-of-before-the-window",
        ),
    ],
)
def test_report_options_outside_the_data_name_the_fix(command, cause, fix):
    result = CliRunner().invoke(app, command)
    assert isinstance(result.exception, CourseError), result.output
    assert cause in str(result.exception) and fix in str(result.exception.fix), result.exception


def test_a_window_inside_the_training_data_names_the_first_month_to_monitor(champion_dir):
    command = ["report", "--from", "2013-01", "--to", "2013-02", "--model", str(champion_dir)]
    result = CliRunner().invoke(app, command)
    assert isinstance(result.exception, CourseError), result.output
    assert "training window" in str(result.exception), result.exception
    assert result.exception.fix == "--from 2013-02", "trained on 1-21 January: from February on"


def test_service_without_a_log_or_a_prometheus_names_the_fix(tmp_path):
    from week05_ml_api.process import free_port

    result = CliRunner().invoke(app, ["service", "--log", str(tmp_path / "missing")])
    assert isinstance(result.exception, CourseError), result.output
    assert "WEEK05_PREDICTION_LOG" in str(result.exception.fix)
    empty = tmp_path / "predictions"
    empty.mkdir()
    nobody = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(app, ["service", "--log", str(empty), "--prometheus", nobody])
    assert isinstance(result.exception, CourseError), result.output
    assert nobody in str(result.exception) and "prometheus-config" in str(result.exception.fix)


def test_the_ui_needs_a_workspace_and_avoids_week05s_port(tmp_path):
    from week11_monitoring.cli import UI_PORT, ui

    result = CliRunner().invoke(app, ["ui", "--workspace", str(tmp_path / "none")])
    assert isinstance(result.exception, CourseError), result.output
    assert "week11_monitoring report" in str(result.exception.fix)
    assert _default(ui, "port") == UI_PORT != 8000, "8000 is week 5's API's port"


def test_prometheus_config_for_this_machine(tmp_path):
    from week11_monitoring.cli import prometheus_config_command
    from week11_monitoring.service import RULES_FILE

    default = _default(prometheus_config_command, "out")
    assert default.parts[0] == "artifacts", f"commands write under artifacts/, not {default}"
    out = tmp_path / "prom" / "prometheus.yml"
    result = CliRunner().invoke(app, ["prometheus-config", "--out", str(out)])
    assert result.exit_code == 0, result.output
    config = yaml.safe_load(out.read_text())
    assert config["rule_files"] == [str(RULES_FILE)], "the week's alerting rules, by full path"
    targets = config["scrape_configs"][0]["static_configs"][0]["targets"]
    assert targets == ["127.0.0.1:8000"], "week 5's API on this machine"
    assert f"--config.file={out}" in " ".join(result.output.split())
    result = CliRunner().invoke(app, ["prometheus-config", "--out", str(tmp_path)])
    assert isinstance(result.exception, CourseError), result.output


def _default(command, name):
    import inspect

    return inspect.signature(command).parameters[name].default


def test_the_tables_fit_80_columns_without_dropping_one():
    from rich.console import Console

    from week11_monitoring.cli import DRIFT_SHOWN, HEADERS, QUALITY_SHOWN, SHOWN, _rich_table

    row = {c: 0.123 for c in SHOWN} | {
        "window": "2013-12-30",
        "flights": 29425,
        "drifted": 21,
        "top_drifted": "past_rate_carrier_28d, past_rate_dest_7d, wind_gust_max_3h",
    }
    assert set(DRIFT_SHOWN) | set(QUALITY_SHOWN) == set(SHOWN), "every column is shown"
    for columns in (DRIFT_SHOWN, QUALITY_SHOWN):
        console = Console(width=80, record=True, file=io.StringIO())
        console.print(_rich_table(pd.DataFrame([row]), "title", columns))
        text = console.export_text()
        assert max(map(len, text.splitlines())) <= 80, text
        words = text.split()
        for column in columns:
            header = HEADERS.get(column, column).split()
            assert all(w in words for w in header), f"{column}'s header is cut at 80:\n{text}"
            if column != "top_drifted":  # the one column that wraps
                assert _value(row[column]) in words, (
                    f"{column}'s value is cut at 80 columns:\n{text}"
                )


def _value(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)
