"""The real stack, one setting away: compose, Prometheus, Grafana, the Kubernetes overlay and
the image, checked statically (no Docker engine runs here; CI's image job builds the image).

Two kinds of checks: the shipped files have no problems, and the checker of
:mod:`capstone.stack` catches the mistakes people make in such files (each broken in memory,
one at a time). Reference checks, not graded exercises.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from capstone.stack import (
    compose_problems,
    dockerfile_problems,
    env_example_names,
    stack_problems,
)

FINAL = Path(__file__).resolve().parents[1]
REPO = FINAL.parent
DEPLOY = FINAL / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = FINAL / "Dockerfile"
OVERLAY = DEPLOY / "k8s"
WEEK10_K8S = REPO / "week10-cloud" / "k8s"
SERVE = ["capstone", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]


def _compose() -> dict[str, Any]:
    parsed: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return parsed


def _binary(name: str, hint: str) -> str:
    """A tool outside the Python environment: skipped when absent, except under CI=true."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {name} is missing: {hint}", pytrace=False)
    pytest.skip(f"{name} not found: {hint}")


def _bind_source(service: dict[str, Any], target: str) -> Path:
    """The host path compose mounts at ``target`` in ``service``."""
    for volume in service["volumes"]:
        source, container = volume.split(":")[:2]
        if container == target:
            return (DEPLOY / source).resolve()
    raise AssertionError(f"nothing is mounted at {target}")


# ---- the shipped files ------------------------------------------------------------------


def test_the_compose_file_has_no_problems():
    problems = stack_problems(COMPOSE)
    assert problems == [], "the compose stack would not start as written:\n" + "\n".join(problems)


def test_every_service_of_the_stack_is_there():
    services = set(_compose()["services"])
    expected = {"postgres", "minio", "minio-init", "mlflow", "airflow", "api"}
    assert services == expected | {"prometheus", "grafana"}, f"services: {sorted(services)}"


def test_the_api_is_wired_to_the_real_services():
    env = _compose()["services"]["api"]["environment"]
    assert env["DATABASE_URL"].endswith("@postgres:5432/warehouse"), env["DATABASE_URL"]
    assert env["DATABASE_URL"].startswith("postgresql+psycopg://"), "psycopg 3 is the locked driver"
    assert env["MLFLOW_TRACKING_URI"] == "http://mlflow:5000"
    assert env["AWS_ENDPOINT_URL"] == "http://minio:9000"
    assert env["WEEK05_MODEL_DIR"] == "models:/flight-delay@champion", "serve the champion alias"
    assert env["WEEK05_PREDICTION_LOG"] == "/predictions"
    for token in ("WEEK05_ADMIN_TOKEN", "WEEK13_ADMIN_TOKEN"):
        assert re.fullmatch(rf"\$\{{{token}:\?.+\}}", env[token]), (
            f"{token} must be required (${{{token}:?...}}): unset, an admin route is open or off"
        )
    assert "predictions:/predictions" in _compose()["services"]["api"]["volumes"], (
        "the prediction log must outlive the container: a named volume"
    )


def test_the_pipeline_writes_where_the_api_reads():
    services = _compose()["services"]
    airflow, api = services["airflow"]["environment"], services["api"]["environment"]
    assert airflow["WEEK09_DATABASE_URL"] == api["DATABASE_URL"], "one warehouse for both"
    assert airflow["WEEK09_MLFLOW_TRACKING_URI"] == api["MLFLOW_TRACKING_URI"], "one registry"
    assert airflow["AIRFLOW__CORE__DAGS_FOLDER"] == "/course/week09-data-pipeline/dags"
    assert airflow["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres:5432/airflow")


def test_mlflow_keeps_runs_in_postgres_and_artifacts_in_the_bucket():
    services = _compose()["services"]
    command = " ".join(services["mlflow"]["command"])
    assert "--backend-store-uri=postgresql+psycopg://" in command
    assert "@postgres:5432/mlflow" in command
    assert "--artifacts-destination=s3://mlflow" in command and "--serve-artifacts" in command
    assert "mlflow:5000" in command, "--allowed-hosts must admit the name other containers use"
    buckets = services["minio-init"]["command"][0]
    assert re.search(r"mc mb --ignore-existing local/mlflow local/raw", buckets), buckets


@pytest.mark.parametrize(
    ("prefix", "settings"),
    [
        pytest.param("WEEK05_", "week05_ml_api.settings", id="week05"),
        pytest.param("WEEK09_", "week09_data_pipeline.settings", id="week09"),
        pytest.param("WEEK13_", "week13_retrain.settings", id="week13"),
        pytest.param("CAPSTONE_", "capstone.settings", id="capstone"),
    ],
)
def test_every_course_variable_in_compose_is_a_setting(prefix: str, settings: str):
    import importlib

    fields = importlib.import_module(settings).Settings.model_fields
    known = {f"{prefix}{name.upper()}" for name in fields}
    used = {
        name
        for service in _compose()["services"].values()
        for name in service.get("environment", {})
        if name.startswith(prefix)
    }
    # pydantic-settings ignores an unknown variable without a word: a typo would go unnoticed
    assert used <= known, f"not settings of {settings}: {sorted(used - known)}"


def test_postgres_creates_the_three_databases():
    init = _bind_source(_compose()["services"]["postgres"], "/docker-entrypoint-initdb.d/init.sql")
    created = set(re.findall(r"CREATE DATABASE (\w+);", init.read_text(encoding="utf-8")))
    assert created == {"warehouse", "mlflow", "airflow"}, created


def test_env_example_holds_placeholders_only():
    names = env_example_names(DEPLOY / ".env.example")
    assert {"POSTGRES_PASSWORD", "WEEK05_ADMIN_TOKEN", "WEEK13_ADMIN_TOKEN"} <= names
    text = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    secrets = re.findall(r"^\w*(?:PASSWORD|SECRET\w*|TOKEN)=(.*)$", text, flags=re.MULTILINE)
    assert secrets and all(value.startswith("change-me") for value in secrets), (
        "a committed example must never hold a real secret: use change-me placeholders"
    )


def test_prometheus_scrapes_the_api_and_loads_week11s_rules():
    prometheus = _compose()["services"]["prometheus"]
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    assert config["scrape_configs"][0]["static_configs"][0]["targets"] == ["api:8000"]
    (rule_file,) = config["rule_files"]
    assert (
        _bind_source(prometheus, rule_file) == REPO / "week11-monitoring/monitoring/alerts.yml"
    ), "week 11's alerts.yml is mounted, not copied: one definition of each alert"


def test_prometheus_accepts_the_config(tmp_path):
    promtool = _binary("promtool", "Debian's prometheus package brings it (apt-get install)")
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    prometheus = _compose()["services"]["prometheus"]
    # the container paths of the rule files, replaced by the host files compose mounts there
    config["rule_files"] = [str(_bind_source(prometheus, f)) for f in config["rule_files"]]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    done = subprocess.run(
        [promtool, "check", "config", str(tmp_path / "prometheus.yml")],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_grafana_shows_week11s_dashboard_on_this_prometheus():
    grafana = _compose()["services"]["grafana"]
    provisioning = _bind_source(grafana, "/etc/grafana/provisioning")
    assert provisioning == DEPLOY / "grafana" / "provisioning"
    (provider,) = yaml.safe_load((provisioning / "dashboards" / "capstone.yml").read_text())[
        "providers"
    ]
    dashboards = _bind_source(grafana, provider["options"]["path"])
    assert dashboards == REPO / "week11-monitoring/monitoring/grafana/dashboards", (
        "the provider must read the folder compose mounts week 11's dashboards at"
    )
    assert not list(DEPLOY.rglob("*.json")), "reuse week 11's dashboard JSON, never a copy"
    (source,) = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())[
        "datasources"
    ]
    assert source["url"] == "http://prometheus:9090", "the compose service and Prometheus's port"
    used = {
        panel["datasource"]["uid"]
        for file in dashboards.glob("*.json")
        for panel in json.loads(file.read_text())["panels"]
        if isinstance(panel.get("datasource"), dict)
    }
    assert used == {source["uid"]}, f"the dashboard's panels ask for datasources {used}"


# ---- the checker catches plausible mistakes ---------------------------------------------

Breakage = Callable[[dict[str, Any], Path], None]


def _env(service: str, name: str, value: str) -> Breakage:
    return lambda c, _: c["services"][service]["environment"].__setitem__(name, value)


def _set(service: str, key: str, value: Any) -> Breakage:
    return lambda c, _: c["services"][service].__setitem__(key, value)


def _scrape(target: str) -> Breakage:
    """A Prometheus config scraping ``target``, written to ``tmp`` and mounted instead."""

    def breaks(compose: dict[str, Any], tmp: Path) -> None:
        config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
        config["scrape_configs"][0]["static_configs"][0]["targets"] = [target]
        (tmp / "prometheus.yml").write_text(yaml.safe_dump(config))
        volumes = compose["services"]["prometheus"]["volumes"]
        volumes[0] = f"{tmp}/prometheus.yml:/etc/prometheus/prometheus.yml:ro"

    return breaks


ALERTS = "../../week11-monitoring/monitoring/alerts.yml:/etc/prometheus/rules/week11-alerts.yml:ro"

BREAKAGES = [
    pytest.param(
        _env("api", "MLFLOW_TRACKING_URI", "http://mlfow:5000"),
        "service api: environment MLFLOW_TRACKING_URI names host 'mlfow', which is not a service",
        id="misspelt-mlflow-host",
    ),
    pytest.param(
        _env("api", "DATABASE_URL", "postgresql+psycopg://u:p@postgress:5432/warehouse"),
        "environment DATABASE_URL names host 'postgress'",
        id="misspelt-database-host",
    ),
    pytest.param(
        lambda c, _: c["services"]["mlflow"]["command"].__setitem__(
            4, "--backend-store-uri=postgresql+psycopg://u:p@db:5432/mlflow"
        ),
        "service mlflow: command names host 'db'",
        id="host-in-a-command",
    ),
    pytest.param(
        lambda c, _: c["services"]["api"]["depends_on"].__setitem__(
            "mlflw", {"condition": "service_healthy"}
        ),
        "service api: depends_on 'mlflw', which is not a service",
        id="depends-on-a-missing-service",
    ),
    pytest.param(
        lambda c, _: c["services"]["grafana"]["depends_on"].__setitem__(
            "minio-init", {"condition": "service_healthy"}
        ),
        "depends_on minio-init with condition service_healthy, but minio-init has no healthcheck",
        id="healthy-without-a-healthcheck",
    ),
    pytest.param(
        _set("grafana", "ports", ["127.0.0.1:8000:3000"]),
        "service grafana: ports publishes host port 8000, already published by api",
        id="two-services-on-port-8000",
    ),
    pytest.param(
        _set("postgres", "ports", ["0.0.0.0:5432:5432"]),
        "service postgres: ports publishes 5432 on 0.0.0.0, not 127.0.0.1",
        id="port-bound-to-every-interface",
    ),
    pytest.param(
        _set("postgres", "ports", ["5432:5432"]),
        "publishes 5432 on 0.0.0.0",
        id="port-without-an-address",
    ),
    pytest.param(
        _set("api", "ports", [{"target": 8000, "published": "8000"}]),
        "service api: ports publishes 8000 on 0.0.0.0, not 127.0.0.1",
        id="long-syntax-port-without-an-address",
    ),
    pytest.param(
        _set("api", "environment", ["MLFLOW_TRACKING_URI=http://mlflow-server:5000"]),
        "environment MLFLOW_TRACKING_URI names host 'mlflow-server'",
        id="environment-as-a-list",
    ),
    pytest.param(
        _set("grafana", "image", "grafana/grafana:latest"),
        "service grafana: image 'grafana/grafana:latest' is not pinned",
        id="image-on-latest",
    ),
    pytest.param(
        _set("minio", "image", "minio/minio"),
        "service minio: image 'minio/minio' is not pinned",
        id="image-without-a-tag",
    ),
    pytest.param(
        lambda c, _: c["services"]["prometheus"]["volumes"].__setitem__(
            1, ALERTS.replace("alerts.yml:", "alert.yml:")
        ),
        "volumes mounts '../../week11-monitoring/monitoring/alert.yml', which does not exist",
        id="missing-mounted-file",
    ),
    pytest.param(
        lambda c, _: c["services"]["grafana"]["volumes"].__setitem__(
            1, "../../week11-monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro"
        ),
        "mounts '../../week11-monitoring/grafana/dashboards', which does not exist",
        id="missing-mounted-folder",
    ),
    pytest.param(
        _env("api", "WEEK05_ALERT_WEBHOOK", "${SLACK_WEBHOOK_URL}"),
        "variable SLACK_WEBHOOK_URL is used in the compose file but not listed in .env.example",
        id="variable-not-in-env-example",
    ),
    pytest.param(
        lambda c, _: c["services"]["grafana"]["volumes"].__setitem__(
            0, {"type": "bind", "source": "./grafana/provisionning", "target": "/etc/grafana"}
        ),
        "service grafana: volumes mounts './grafana/provisionning', which does not exist",
        id="long-syntax-mount-missing",
    ),
    pytest.param(
        _set("api", "volumes", ["prediction:/predictions"]),
        "service api: volume 'prediction' is not declared under top-level volumes",
        id="undeclared-named-volume",
    ),
    pytest.param(
        _set("api", "build", {"context": "../..", "dockerfile": "final-project/Dockerfil"}),
        "service api: build names",
        id="missing-dockerfile",
    ),
    pytest.param(
        _set("api", "command", [*SERVE[:5], "8001", *SERVE[6:]]),
        "service prometheus: job week05-api scrapes api:8000, but api does not listen on port 8000",
        id="api-moved-to-another-port",
    ),
    pytest.param(
        _scrape("week05-api:8000"),
        "scrapes week05-api:8000, but 'week05-api' is not a service",
        id="scrape-target-not-a-service",
    ),
    pytest.param(
        lambda c, _: c["services"]["prometheus"]["volumes"].pop(0),
        "service prometheus: its config /etc/prometheus/prometheus.yml is not mounted",
        id="prometheus-config-not-mounted",
    ),
    pytest.param(
        lambda c, _: c["services"]["prometheus"]["volumes"].pop(1),
        "service prometheus: rule_files /etc/prometheus/rules/week11-alerts.yml is not mounted",
        id="rules-not-mounted",
    ),
    pytest.param(
        _set("api", "healthchek", {"test": ["CMD", "true"]}),
        "services/api: unknown key(s) ['healthchek'] (Compose specification)",
        id="schema-misspelt-key",
    ),
    pytest.param(
        lambda c, _: c["services"]["mlflow"]["depends_on"]["postgres"].__setitem__(
            "condition", "service_healty"
        ),
        "services/mlflow/depends_on/postgres/condition: 'service_healty' is not one of",
        id="schema-unknown-condition",
    ),
]


@pytest.mark.parametrize(("breaks", "expected"), BREAKAGES)
def test_the_checker_names_the_mistake(breaks: Breakage, expected: str, tmp_path: Path):
    compose = copy.deepcopy(_compose())
    breaks(compose, tmp_path)
    problems = compose_problems(compose, DEPLOY, env_example_names(DEPLOY / ".env.example"))
    assert any(expected in p for p in problems), (
        f"expected a problem containing {expected!r}, got: {problems}"
    )


def test_the_checker_does_not_mistake_a_bucket_for_a_host():
    compose = copy.deepcopy(_compose())
    compose["services"]["api"]["environment"]["WEEK10_RAW_URI"] = "s3://raw/date=2013-09-01"
    problems = compose_problems(compose, DEPLOY, env_example_names(DEPLOY / ".env.example"))
    assert problems == [], f"s3://raw names a bucket, not a service: {problems}"


# ---- the image --------------------------------------------------------------------------


def test_the_dockerfile_is_hadolint_clean():
    assert dockerfile_problems(DOCKERFILE) == []


def test_hadolint_catches_an_unpinned_base(tmp_path):
    broken = tmp_path / "Dockerfile"
    broken.write_text(DOCKERFILE.read_text().replace("python:3.11.11-slim-bookworm", "python"))
    problems = dockerfile_problems(broken)
    assert any("DL3006" in p for p in problems), f"an untagged FROM must be flagged: {problems}"


def test_the_dockerfile_keeps_the_house_rules():
    text = DOCKERFILE.read_text()
    bases = re.findall(r"^FROM\s+(\S+)", text, flags=re.MULTILINE)
    assert len(bases) >= 2, "build and run stages: compilers and caches stay behind"
    for base in bases:
        assert re.search(r":\d+\.\d+\.\d+", base), f"pin the base image's version: {base}"
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0", "0:0"}, "the server must not run as root"
    assert re.search(r"^HEALTHCHECK .*\n?.*/health/ready", text, flags=re.MULTILINE)
    sync = re.search(r"uv sync (.*)", text)
    assert sync and {"--locked", "--no-dev", "--package", "capstone"} <= set(sync[1].split()), (
        "install exactly what uv.lock says, the capstone's dependencies only, no dev tools"
    )
    (cmd,) = re.findall(r"^CMD (\[.*\])$", text, flags=re.MULTILINE)
    assert json.loads(cmd) == SERVE


def test_compose_and_kubernetes_run_the_images_command():
    api = _compose()["services"]["api"]
    assert api["command"] == SERVE, "compose states the image's CMD: the scraped port is 8000"
    assert (DEPLOY / api["build"]["context"] / api["build"]["dockerfile"]).resolve() == DOCKERFILE
    overlay = yaml.safe_load((OVERLAY / "kustomization.yaml").read_text())
    deployment = next(
        yaml.safe_load(p["patch"]) for p in overlay["patches"] if "Deployment" in p["patch"]
    )
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["args"] == SERVE


def test_the_dockerignore_keeps_secrets_and_tests_out_but_the_lock_in():
    ignored = (FINAL / "Dockerfile.dockerignore").read_text().splitlines()
    assert {"**/.env", ".git", "**/tests", "**/.venv"} <= set(ignored)
    assert not {"uv.lock", "pyproject.toml", "**/pyproject.toml", "final-project"} & set(ignored)


# ---- the Kubernetes overlay -------------------------------------------------------------


def test_the_overlay_builds_on_week10s_manifests():
    overlay = yaml.safe_load((OVERLAY / "kustomization.yaml").read_text())
    (base,) = overlay["resources"]
    assert (OVERLAY / base).resolve() == WEEK10_K8S, "week 10's manifests are the base"
    from week10_cloud.manifests import load_documents

    docs = load_documents(WEEK10_K8S)
    images = {c["image"].split(":")[0] for d in docs for c in _containers(d)}
    assert {i["name"] for i in overlay["images"]} <= images, "replace an image the base uses"
    targets = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for patch in (yaml.safe_load(p["patch"]) for p in overlay["patches"]):
        target = (patch["kind"], patch["metadata"]["name"])
        assert target in targets, f"the patch targets {target}, which the base does not have"


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if doc.get("kind") != "Deployment":
        return []
    containers: list[dict[str, Any]] = doc["spec"]["template"]["spec"]["containers"]
    return containers


def test_the_rendered_overlay_passes_week10s_checks(tmp_path):
    kubectl = _binary("kubectl", "kubectl (its built-in kustomize) renders the overlay")
    done = subprocess.run(
        [kubectl, "kustomize", str(OVERLAY)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    (tmp_path / "rendered.yaml").write_text(done.stdout)
    from week10_cloud.manifests import check_manifests

    # week 10's checker reads a folder of plain manifests, not a kustomization with a base
    # elsewhere: it gets the rendered output, exactly what `kubectl apply -k` would send
    problems = check_manifests(tmp_path)
    assert problems == [], "\n".join(problems)
    docs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(done.stdout)}
    config = docs[("ConfigMap", "flight-delay-api")]["data"]
    assert config["WEEK05_MODEL_DIR"] == "models:/flight-delay@champion"
    assert config["MLFLOW_TRACKING_URI"].startswith("http://mlflow.")
    (container,) = _containers(docs[("Deployment", "flight-delay-api")])
    assert container["image"] == "ghcr.io/mlops-course/capstone:0.1.0"
    assert container["args"] == SERVE
    env = {e["name"]: e for e in container["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "flight-delay-db",
        "key": "database-url",
    }, "the database URL holds a password: from a Secret, never the ConfigMap"
    assert "WEEK05_ADMIN_TOKEN" in env, "week 10's own settings survive the patch (merged by name)"
