"""Prometheus and Grafana: the alerting rules pass ``promtool``'s checks and unit tests, the
dashboard is valid and asks only for series the service exports, and (slow) a real Prometheus
scrapes a real 2-worker service and answers queries about it.

Debian's ``prometheus`` package brings both binaries (``apt-get install -y prometheus``); the
checks skip without them, except under ``CI=true``, where they fail: CI promised them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from week11_monitoring.service import (
    DASHBOARD_FILE,
    INSTALL_HINT,
    MONITORING_DIR,
    RULES_FILE,
    RULES_TEST_FILE,
    alerting_rules,
    find_binary,
    prediction_summary,
    prometheus_command,
    prometheus_config,
    query,
    scalar,
)


def _binary(name: str) -> Path:
    found = find_binary(name)
    if found is not None:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {name} is missing: {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"{name} not found: {INSTALL_HINT}")


def _exported_metrics() -> set[str]:
    """Every series name week 5's service exports (counters get _total, histograms _bucket...)."""
    from week05_ml_api import metrics

    names = set()
    for obj in vars(metrics).values():
        describe = getattr(obj, "describe", None)
        if callable(describe) and hasattr(obj, "_name"):
            for family in describe():
                names.add(family.name)
                names.update(f"{family.name}{s}" for s in ("_total", "_bucket", "_sum", "_count"))
    return names


def _metric_names(promql: str) -> set[str]:
    without_labels = re.sub(r"\{[^}]*\}", "", promql)
    return {m for m in re.findall(r"\bweek05_[a-z_]+\b", without_labels)}


def test_promtool_checks_the_rules():
    done = subprocess.run(
        [str(_binary("promtool")), "check", "rules", str(RULES_FILE)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS: 7 rules found" in done.stdout


def test_promtool_unit_tests_of_the_alerts_pass():
    done = subprocess.run(
        [str(_binary("promtool")), "test", "rules", RULES_TEST_FILE.name],
        capture_output=True, text=True, check=False, cwd=MONITORING_DIR,
    )  # fmt: skip
    assert done.returncode == 0, f"promtool test rules failed:\n{done.stdout}{done.stderr}"


def _rules() -> list[dict]:
    groups = yaml.safe_load(RULES_FILE.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_the_four_alerts_exist_and_use_exported_series():
    rules = _rules()
    alerts = {r["alert"] for r in rules if "alert" in r}
    assert alerts == {
        "Week05HighErrorRate",
        "Week05SlowPredictions",
        "Week05ModelNotReady",
        "Week05PredictionMeanOutOfBand",
    }
    exported = _exported_metrics()
    for rule in rules:
        unknown = _metric_names(rule["expr"]) - exported
        assert not unknown, f"{rule.get('alert', rule.get('record'))} reads {unknown}: not exported"
        if "alert" in rule:
            assert rule["labels"]["severity"] in {"page", "ticket"}
            assert {"summary", "description"} <= set(rule["annotations"])


#: The part of Grafana's dashboard model (schemaVersion 39) this dashboard relies on.
DASHBOARD_SCHEMA = {
    "type": "object",
    "required": ["uid", "title", "schemaVersion", "panels", "time"],
    "properties": {
        "uid": {"type": "string", "pattern": "^[a-zA-Z0-9_-]{1,40}$"},
        "title": {"type": "string", "minLength": 1},
        "schemaVersion": {"type": "integer", "minimum": 36},
        "time": {
            "type": "object",
            "required": ["from", "to"],
            "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
        },
        "panels": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "type", "title", "gridPos", "targets", "datasource"],
                "properties": {
                    "id": {"type": "integer"},
                    "type": {"enum": ["timeseries", "stat", "gauge", "table", "text"]},
                    "title": {"type": "string", "minLength": 1},
                    "gridPos": {
                        "type": "object",
                        "required": ["x", "y", "w", "h"],
                        "properties": {
                            "x": {"type": "integer", "minimum": 0, "maximum": 23},
                            "y": {"type": "integer", "minimum": 0},
                            "w": {"type": "integer", "minimum": 1, "maximum": 24},
                            "h": {"type": "integer", "minimum": 1},
                        },
                    },
                    "datasource": {
                        "type": "object",
                        "required": ["type", "uid"],
                        "properties": {"type": {"const": "prometheus"}},
                    },
                    "targets": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["refId", "expr"],
                            "properties": {"expr": {"type": "string", "minLength": 1}},
                        },
                    },
                },
            },
        },
    },
}


def test_the_dashboard_is_valid_and_reads_only_real_series():
    import jsonschema

    dashboard = json.loads(DASHBOARD_FILE.read_text())
    jsonschema.validate(dashboard, DASHBOARD_SCHEMA)
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels), "panel ids must be unique"
    for panel in panels:
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, f"{panel['title']}: too wide"
    recorded = {r["record"] for r in _rules() if "record" in r}
    exported = _exported_metrics()
    for panel in panels:
        for target in panel["targets"]:
            names = _metric_names(target["expr"])
            records = set(re.findall(r"\bweek05:[a-z0-9_:]+\b", target["expr"]))
            assert names or records, f"{panel['title']}: {target['expr']} reads no series"
            assert names <= exported, f"{panel['title']}: {names - exported} not exported"
            assert records <= recorded, f"{panel['title']}: {records - recorded} not recorded"


def test_the_compose_stack_provisions_prometheus_and_grafana():
    compose = yaml.safe_load((MONITORING_DIR / "compose.yaml").read_text())
    assert set(compose["services"]) == {"api", "prometheus", "grafana"}
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (MONITORING_DIR / source).resolve().exists() or "artifacts" in source, (
                    f"compose mounts {source}, which does not exist"
                )
    config = yaml.safe_load((MONITORING_DIR / "prometheus.yml").read_text())
    assert config["scrape_configs"][0]["static_configs"][0]["targets"] == ["api:8000"]
    datasource = yaml.safe_load(
        (MONITORING_DIR / "grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    assert datasource["datasources"][0]["uid"] == "prometheus", "the dashboard's datasource uid"


def test_prometheus_config_is_valid(tmp_path):
    config = tmp_path / "prometheus.yml"
    config.write_text(prometheus_config(["127.0.0.1:8000"], scrape_interval="1s"))
    done = subprocess.run(
        [str(_binary("promtool")), "check", "config", str(config)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def _free_port() -> int:
    from week05_ml_api.process import free_port

    return free_port()


@pytest.mark.slow
@pytest.mark.budget(480)
def test_prometheus_scrapes_a_live_two_worker_service(champion_dir, flights, tmp_path):
    """The week-5 service with 2 workers and its prediction log; Prometheus scraping it every
    second; 30 predictions; then the recorded series, queried back through the HTTP API, agree
    with the log."""
    from week05_ml_api.process import running
    from week05_ml_api.sample import request_rows

    prometheus = _binary("prometheus")
    assert prometheus.exists()
    api_port, prom_port = _free_port(), _free_port()
    log_dir = tmp_path / "predictions"
    env = {"WEEK05_PREDICTION_LOG": str(log_dir)}  # serve points the metrics at its run folder
    command = [
        sys.executable, "-m", "week05_ml_api", "serve", "--model-dir", str(champion_dir),
        "--port", str(api_port), "--workers", "2", "--run-dir", str(tmp_path / "run"),
    ]  # fmt: skip
    config = tmp_path / "prometheus.yml"
    config.write_text(prometheus_config([f"127.0.0.1:{api_port}"], scrape_interval="1s"))
    url = f"http://127.0.0.1:{prom_port}"
    rows = request_rows(flights[flights["month"] == 2], n=30)
    with (
        running(command, f"http://127.0.0.1:{api_port}/health/ready", env, timeout=90),
        running(
            prometheus_command(config, tmp_path / "tsdb", prom_port),
            f"{url}/-/ready",
            log_file=tmp_path / "prometheus.log",
            timeout=30,
        ),
    ):
        for row in rows:  # a new connection each: the two workers share them
            answer = httpx.post(f"http://127.0.0.1:{api_port}/predict", json=row, timeout=30)
            assert answer.status_code == 200, answer.text
        deadline, counted = time.monotonic() + 30, None
        while time.monotonic() < deadline and counted != 30:
            counted = scalar(url, "sum(week05_predictions_total)")
            time.sleep(0.5)
        assert counted == 30, f"Prometheus recorded {counted} predictions, 30 were made"
        assert scalar(url, "min(week05_model_ready)") == 1
        assert scalar(url, 'sum(up{job="week05-api"})') == 1
        ok = query(url, 'sum by (route) (week05_requests_total{status="200"})')
        assert {r["metric"]["route"] for r in ok} >= {"/predict"}
        recorded_mean = scalar(
            url, "sum(week05_predicted_probability_total) / sum(week05_predictions_total)"
        )
        names = {r["name"] for r in alerting_rules(url)}
        assert "Week05PredictionMeanOutOfBand" in names, f"rules not loaded: {names}"
        with pytest.raises(ValueError, match="refused"):
            query(url, "sum(")
    summary = prediction_summary(log_dir)
    assert int(summary["predictions"].sum()) == 30, "one log line per predicted flight"
    assert len(list(log_dir.glob("predictions-*.jsonl"))) >= 1
    logged_mean = float((summary["predictions"] * summary["mean_probability"]).sum() / 30)
    assert recorded_mean == pytest.approx(logged_mean, rel=1e-6), (
        "the metrics' sum of probabilities / predictions is the log's mean probability"
    )
