"""Exercise 4: the cross-checks a schema cannot make; and the committed manifests pass them all."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from week10_cloud.manifests import (
    KUBERNETES_VERSION,
    MANIFEST_DIR,
    app_routes,
    check_manifests,
    env_problems,
    hpa_problems,
    load_documents,
    schema_problems,
)

ROUTES = {"/health/live", "/health/ready", "/metrics", "/model"}


def deployment(image: str = "ghcr.io/acme/api:1.2.3", **container: Any) -> dict[str, Any]:
    labels = {"app": "api"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api"},
        "spec": {
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": {**labels, "tier": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "api",
                            "image": image,
                            "ports": [{"name": "http", "containerPort": 8000}],
                            **container,
                        }
                    ]
                },
            },
        },
    }


def probe(path: str, port: Any = "http") -> dict[str, Any]:
    return {"httpGet": {"path": path, "port": port}}


@pytest.mark.exercise("image_problems")
@pytest.mark.points(2)
@pytest.mark.hint("no tag after the last '/' means latest; 'host:5000/app' has a port, not a tag")
@pytest.mark.parametrize(
    ("image", "bad"),
    [
        pytest.param("ghcr.io/acme/api:1.2.3", False, id="release-tag"),
        pytest.param("ghcr.io/acme/api@sha256:" + "a" * 64, False, id="digest"),
        pytest.param("registry:5000/acme/api:v2", False, id="registry-port-and-tag"),
        pytest.param("ghcr.io/acme/api:latest", True, id="latest"),
        pytest.param("ghcr.io/acme/api", True, id="no-tag"),
        pytest.param("registry:5000/acme/api", True, id="registry-port-no-tag"),
    ],
)
def test_image_must_be_pinned(checks, image, bad):
    problems = checks.image_problems([deployment(image)])
    if bad:
        assert len(problems) == 1, f"{image!r} is not pinned: expected one problem, got {problems}"
        assert (
            "latest" in problems[0] and image in problems[0] and "Deployment/api" in problems[0]
        ), f"name the object, the image and 'latest': {problems[0]}"
    else:
        assert problems == [], f"{image!r} is pinned, yet: {problems}"


@pytest.mark.exercise("image_problems")
@pytest.mark.points(1)
@pytest.mark.hint("look at initContainers too, and at every workload kind, not only Deployments")
def test_every_container_is_checked(checks):
    doc = deployment()
    doc["kind"] = "StatefulSet"
    doc["spec"]["template"]["spec"]["initContainers"] = [
        {"name": "migrate", "image": "acme/migrate"}
    ]
    problems = checks.image_problems([doc, {"kind": "Service", "metadata": {"name": "x"}}])
    assert len(problems) == 1 and "migrate" in problems[0], problems


@pytest.mark.exercise("probe_problems")
@pytest.mark.points(2)
@pytest.mark.hint("compare each probe's httpGet.path with the app's routes; name the probe")
@pytest.mark.parametrize(
    ("probes", "expected"),
    [
        pytest.param({"readinessProbe": probe("/health/ready")}, [], id="ready-ok"),
        pytest.param(
            {"readinessProbe": probe("/healthz")}, ["readinessProbe", "/healthz"], id="healthz"
        ),
        pytest.param(
            {"livenessProbe": probe("/health")}, ["livenessProbe", "/health"], id="liveness"
        ),
        pytest.param({"startupProbe": probe("/ready")}, ["startupProbe", "/ready"], id="startup"),
        pytest.param({"livenessProbe": {"tcpSocket": {"port": 8000}}}, [], id="tcp-probe"),
        pytest.param(
            {"livenessProbe": {"httpGet": {"port": "http"}}},
            ["livenessProbe", "'/'"],
            id="no-path-is-root",
        ),
    ],
)
def test_probe_paths_must_be_routes(checks, probes, expected):
    problems = checks.probe_problems([deployment(**probes)], ROUTES)
    if not expected:
        assert problems == [], problems
    else:
        assert len(problems) == 1, f"expected one problem, got {problems}"
        for word in [*expected, "Deployment/api container api"]:
            assert word in problems[0], f"the message should name {word!r}: {problems[0]}"


@pytest.mark.exercise("probe_problems")
@pytest.mark.points(1)
@pytest.mark.hint("a probe's port is a declared port's name or number")
@pytest.mark.parametrize(
    ("port", "ok"),
    [
        pytest.param("http", True, id="by-name"),
        pytest.param(8000, True, id="by-number"),
        pytest.param("web", False, id="unknown-name"),
        pytest.param(8080, False, id="unknown-number"),
    ],
)
def test_probe_port_must_be_declared(checks, port, ok):
    problems = checks.probe_problems(
        [deployment(readinessProbe=probe("/health/ready", port))], ROUTES
    )
    assert (problems == []) == ok, problems
    if not ok:
        assert str(port) in problems[0], problems


@pytest.mark.exercise("probe_problems")
@pytest.mark.points(1)
@pytest.mark.hint("a container may declare no ports at all: then no probe port is declared")
def test_probe_on_a_container_without_ports(checks):
    doc = deployment(readinessProbe=probe("/health/ready", 8000))
    del doc["spec"]["template"]["spec"]["containers"][0]["ports"]
    problems = checks.probe_problems([doc], ROUTES)
    assert len(problems) == 1 and "8000" in problems[0], problems


def service(selector: dict[str, str]) -> dict[str, Any]:
    return {"kind": "Service", "metadata": {"name": "api"}, "spec": {"selector": selector}}


def pdb(selector: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "api"},
        "spec": {"selector": {"matchLabels": selector}},
    }


def hpa(kind: str = "Deployment", name: str = "api") -> dict[str, Any]:
    return {
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "api"},
        "spec": {"scaleTargetRef": {"kind": kind, "name": name}},
    }


@pytest.mark.exercise("selector_problems")
@pytest.mark.points(3)
@pytest.mark.hint("a selector matches a pod when every one of its labels is on the pod")
@pytest.mark.parametrize(
    ("extra", "named"),
    [
        pytest.param(
            [service({"app": "api"}), pdb({"app": "api", "tier": "web"}), hpa()],
            None,
            id="all-match",
        ),
        pytest.param([service({"app": "apii"})], "Service/api", id="service-typo"),
        pytest.param(
            [service({"app": "api", "tier": "db"})], "Service/api", id="service-extra-label"
        ),
        pytest.param([service({})], "Service/api", id="service-empty-selector"),
        pytest.param([pdb({"app": "web"})], "PodDisruptionBudget/api", id="pdb"),
        pytest.param([hpa(name="apy")], "Deployment/apy", id="hpa-name"),
        pytest.param([hpa(kind="StatefulSet")], "StatefulSet/api", id="hpa-kind"),
        pytest.param(
            [{"kind": "Service", "metadata": {"name": "api"}, "spec": {"ports": []}}],
            "Service/api",
            id="service-without-selector",
        ),
        pytest.param(
            [{"kind": "Service", "metadata": {"name": "api"}}],
            "Service/api",
            id="service-without-spec",
        ),
        pytest.param(
            [
                {
                    "kind": "PodDisruptionBudget",
                    "metadata": {"name": "api"},
                    "spec": {"selector": {}},
                }
            ],
            "PodDisruptionBudget/api",
            id="pdb-without-matchlabels",
        ),
        pytest.param(
            [{"kind": "PodDisruptionBudget", "metadata": {"name": "api"}, "spec": {}}],
            "PodDisruptionBudget/api",
            id="pdb-without-selector",
        ),
    ],
)
def test_selectors_find_their_pods(checks, extra, named):
    problems = checks.selector_problems([deployment(), *extra])
    if named is None:
        assert problems == [], problems
    else:
        assert len(problems) == 1 and named in problems[0], (
            f"expected one naming {named}: {problems}"
        )


@pytest.mark.exercise("selector_problems")
@pytest.mark.points(1)
@pytest.mark.hint("a Deployment's own selector must match its template's labels")
@pytest.mark.parametrize(
    "breaks",
    [
        pytest.param(
            lambda d: d["spec"]["selector"].update(matchLabels={"app": "other"}), id="other-label"
        ),
        pytest.param(
            lambda d: d["spec"]["template"]["metadata"].pop("labels"), id="template-without-labels"
        ),
        pytest.param(
            lambda d: d["spec"]["template"].pop("metadata"), id="template-without-metadata"
        ),
        pytest.param(
            lambda d: d["spec"]["selector"].pop("matchLabels"), id="selector-without-matchlabels"
        ),
    ],
)
def test_deployment_selector_matches_its_template(checks, breaks):
    doc = deployment()
    breaks(doc)
    problems = checks.selector_problems([doc, service({"app": "api"})])
    assert any("Deployment/api" in p for p in problems), (
        f"no problem names Deployment/api, whose selector misses its own pods: {problems}"
    )


# --- the committed manifests and the reference's checks (not graded) -----------------------------


def test_the_pinned_version_is_shipped():
    import kubernetes_validate.utils

    versions = kubernetes_validate.utils.all_versions()
    assert KUBERNETES_VERSION.rsplit(".", 1)[0] in {v.rsplit(".", 1)[0] for v in versions}, versions


def test_committed_manifests_pass_everything():
    assert check_manifests() == []


def test_the_manifests_cover_the_deployment():
    kinds = sorted(d["kind"] for d in load_documents())
    assert kinds == [
        "ConfigMap",
        "Deployment",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Service",
    ]
    listed = yaml.safe_load((MANIFEST_DIR / "kustomization.yaml").read_text())["resources"]
    files = sorted(p.name for p in MANIFEST_DIR.glob("*.yaml") if p.name != "kustomization.yaml")
    assert sorted(listed) == files, "kustomization.yaml must list every manifest"


def test_the_deployment_is_hardened():
    (dep,) = [d for d in load_documents() if d["kind"] == "Deployment"]
    pod = dep["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    env = {e["name"]: e for e in container["env"]}
    assert env["WEEK05_RUN_DIR"]["value"] in mounts, "the run dir must be a writable volume"
    assert "secretKeyRef" in env["WEEK05_ADMIN_TOKEN"]["valueFrom"], "a secret comes from a Secret"
    (hpa_doc,) = [d for d in load_documents() if d["kind"] == "HorizontalPodAutoscaler"]
    assert (hpa_doc["spec"]["minReplicas"], hpa_doc["spec"]["maxReplicas"]) == (1, 10)


def test_probe_paths_come_from_the_app():
    assert {"/health/live", "/health/ready"} <= app_routes()


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("file", "old", "new", "named"),
    [
        pytest.param(
            "deployment.yaml",
            "path: /health/ready",
            "path: /healthz",
            "'/healthz'",
            id="probe-path",
        ),
        pytest.param(
            "deployment.yaml", "week05-ml-api:0.1.0", "week05-ml-api:latest", "latest", id="latest"
        ),
        pytest.param(
            "deployment.yaml", "readinessProbe:", "readinesProbe:", "readinesProbe", id="typo-field"
        ),
        pytest.param(
            "service.yaml",
            "name: flight-delay-api\nspec",
            "name: flight-delay-api\nspec",
            None,
            id="unchanged",
        ),
        pytest.param(
            "configmap.yaml",
            "WEEK05_MAX_BATCH",
            "WEEK05_MAXBATCH",
            "WEEK05_MAXBATCH",
            id="env-typo",
        ),
        pytest.param(
            "hpa.yaml",
            "kind: HorizontalPodAutoscaler",
            "kind: HorizontalPodScaler",
            "HorizontalPodScaler",
            id="unknown-kind",
        ),
        pytest.param(
            "service.yaml",
            "  selector:\n    app.kubernetes.io/name: flight-delay-api",
            "  selector:\n    app.kubernetes.io/name: flight-delay",
            "Service/flight-delay-api",
            id="selector",
        ),
    ],
)
def test_a_broken_manifest_fails_naming_the_problem(manifest_dir, file, old, new, named):
    edit(manifest_dir, file, old, new)
    problems = check_manifests(manifest_dir)
    if named is None:
        assert problems == []
    else:
        assert problems and any(named in p for p in problems), (
            f"no problem names {named}: {problems}"
        )


def test_hpa_needs_cpu_requests():
    docs = copy.deepcopy(load_documents())
    (dep,) = [d for d in docs if d["kind"] == "Deployment"]
    del dep["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"]
    problems = hpa_problems(docs)
    assert len(problems) == 1 and "no CPU request" in problems[0], problems
    assert schema_problems(docs) == [], "the schema allows it: only the cross-check sees it"


def test_env_names_are_settings():
    assert (
        env_problems(
            [{"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"WEEK05_PORT": "1"}}],
            ["port"],
        )
        == []
    )
    assert env_problems(
        [{"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"WEEK05_PROT": "1"}}], ["port"]
    )
