"""The service side: what week 5's API logged and what Prometheus scraped from it.

* the prediction log (``WEEK05_PREDICTION_LOG``), read with week 5's own reader
  (:func:`week05_ml_api.predlog.read_log`): one row per predicted flight;
* Prometheus: a configuration that scrapes the API's ``/metrics`` and loads the alerting
  rules of ``monitoring/alerts.yml``, a way to start Debian's ``prometheus`` binary on
  127.0.0.1 for a check or a laptop, and queries through its HTTP API
  (``/api/v1/query``), the same API Grafana uses.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import yaml

log = logging.getLogger(__name__)

#: the week's Prometheus, Grafana and compose files
MONITORING_DIR = Path(__file__).resolve().parents[1] / "monitoring"
RULES_FILE = MONITORING_DIR / "alerts.yml"
RULES_TEST_FILE = MONITORING_DIR / "alerts_test.yml"
DASHBOARD_FILE = MONITORING_DIR / "grafana" / "dashboards" / "week05-service.json"
#: where to look for the binaries when they are not on PATH (``WEEK11_PROMETHEUS_BIN`` wins)
BIN_ENV = "WEEK11_PROMETHEUS_BIN"
INSTALL_HINT = (
    "install Debian's Prometheus (as root: apt-get update && apt-get install -y prometheus), "
    f"or set {BIN_ENV} to the folder holding prometheus and promtool"
)


def prediction_summary(folder: Path) -> pd.DataFrame:
    """Per model version: ``predictions``, ``mean_probability``, ``delayed_share``, ``first``
    and ``last`` time, from the service's prediction log in ``folder``."""
    from week05_ml_api.predlog import read_log

    logged = read_log(folder)
    columns = ["predictions", "mean_probability", "delayed_share", "first", "last"]
    if logged.empty:
        return pd.DataFrame(columns=columns).rename_axis("model_version")
    grouped = logged.groupby("model_version")
    return pd.DataFrame(
        {
            "predictions": grouped.size(),
            "mean_probability": grouped["probability"].mean(),
            "delayed_share": grouped["delayed"].mean(),
            "first": grouped["time"].min(),
            "last": grouped["time"].max(),
        }
    )


def find_binary(name: str) -> Path | None:
    """``prometheus`` or ``promtool``: in ``$WEEK11_PROMETHEUS_BIN``, else on ``PATH``."""
    folder = os.environ.get(BIN_ENV)
    if folder and (Path(folder) / name).exists():
        return Path(folder) / name
    found = shutil.which(name)
    return Path(found) if found else None


def prometheus_config(
    targets: Sequence[str],
    rule_files: Sequence[Path] = (RULES_FILE,),
    scrape_interval: str = "15s",
) -> str:
    """A ``prometheus.yml`` scraping week 5's ``/metrics`` on ``targets`` (``host:port``)."""
    config = {
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": scrape_interval},
        "rule_files": [str(p) for p in rule_files],
        "scrape_configs": [
            {
                "job_name": "week05-api",
                "metrics_path": "/metrics",
                "static_configs": [{"targets": list(targets)}],
            }
        ],
    }
    return yaml.safe_dump(config, sort_keys=False)


def prometheus_command(config: Path, data_dir: Path, port: int) -> list[str]:
    """The command that runs Prometheus on 127.0.0.1:``port`` with ``config``, storing in
    ``data_dir``; run it with week 5's :func:`~week05_ml_api.process.running` (it answers
    ``/-/ready`` once up). Raises ``FileNotFoundError`` with the install command when the
    binary is missing."""
    binary = find_binary("prometheus")
    if binary is None:
        raise FileNotFoundError(f"prometheus not found: {INSTALL_HINT}")
    data_dir.mkdir(parents=True, exist_ok=True)
    return [
        str(binary),
        f"--config.file={config}",
        f"--storage.tsdb.path={data_dir}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]


def query(url: str, promql: str, timeout: float = 5.0) -> list[dict[str, Any]]:
    """The result of an instant query (``/api/v1/query``): a list of ``{"metric": {labels},
    "value": [time, "text"]}``. Raises ``ValueError`` with Prometheus's error for a bad
    query."""
    answer = httpx.get(f"{url}/api/v1/query", params={"query": promql}, timeout=timeout)
    body = answer.json()
    if body.get("status") != "success":
        raise ValueError(f"prometheus refused {promql!r}: {body.get('error', answer.text)}")
    return list(body["data"]["result"])


def scalar(url: str, promql: str) -> float | None:
    """The single value of an instant query, or None when it has no series (yet)."""
    found = query(url, promql)
    if not found:
        return None
    if len(found) > 1:
        raise ValueError(f"{promql!r} gave {len(found)} series; aggregate it (sum, max...)")
    return float(found[0]["value"][1])


def alerting_rules(url: str) -> list[dict[str, Any]]:
    """Every alerting rule Prometheus loaded (``/api/v1/rules``), with its state."""
    body = httpx.get(f"{url}/api/v1/rules", params={"type": "alert"}, timeout=5.0).json()
    return [rule for group in body["data"]["groups"] for rule in group["rules"]]
