"""Cross-checks of Kubernetes manifests that a schema cannot make.

A schema says a Deployment *may* have a probe on ``/healthz``; only the app knows whether it
serves ``/healthz``. These checks read the parsed manifests (a list of dicts, one per YAML
document) and return problems as sentences naming the object, the field and the rule; an
empty list means the check passed. Each is a mistake that deploys without an error and fails
later: a probe on a missing route (the pod is never ready, or restarted forever), a ``latest``
tag (two nodes run two different images under one name), a Service whose selector matches no
pod (a Service with no endpoints: every request is refused).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

#: Kinds whose ``spec.template`` is a pod template.
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")
PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
#: The end of every image problem: what to do about it.
PIN = "pin a version (a release tag or a digest) so every pod runs the same code"


def name_of(doc: dict[str, Any]) -> str:
    """``"Deployment/flight-delay-api"``: how a problem names an object."""
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def containers_of(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The containers (init containers first) of a workload's pod template; none otherwise."""
    if doc.get("kind") not in WORKLOADS:
        return
    pod = doc.get("spec", {}).get("template", {}).get("spec", {})
    yield from pod.get("initContainers", [])
    yield from pod.get("containers", [])


def image_tag(image: str) -> str | None:
    """The tag of an image reference, ``None`` when it has none (a registry's ``host:port``
    is not a tag). A digest (``@sha256:...``) counts as its own pin: ``"@" + digest``."""
    if "@" in image:
        return "@" + image.split("@", 1)[1]
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


def image_problems(docs: Iterable[dict[str, Any]]) -> list[str]:
    """One problem per container whose image is not pinned: no tag at all (Kubernetes pulls
    ``latest``: the message says ``has no tag``) or the tag ``latest`` (``uses the tag
    latest``). A digest pins; any other tag is accepted. The message names the object, the
    container and the image."""
    problems = []
    for doc in docs:
        for container in containers_of(doc):
            image, tag = container["image"], image_tag(container["image"])
            where = f"{name_of(doc)} container {container['name']}: image {image!r}"
            if tag is None:
                problems.append(f"{where} has no tag, so it means latest: {PIN}")
            elif tag == "latest":
                problems.append(f"{where} uses the tag latest: {PIN}")
    return problems


def probe_problems(docs: Iterable[dict[str, Any]], routes: Iterable[str]) -> list[str]:
    """One problem per HTTP probe (readiness, liveness, startup) whose ``httpGet.path`` (``/``
    when absent, as in Kubernetes) is not one of the app's ``routes``, and per probe whose
    ``port`` is neither the name nor the number of a port the container declares. Messages name
    the object, the container, the probe and the bad path or port."""
    known = sorted(set(routes))
    problems = []
    for doc in docs:
        for container in containers_of(doc):
            declared = container.get("ports", [])
            ports = {p.get("name") for p in declared} | {p["containerPort"] for p in declared}
            for probe in PROBES:
                http = container.get(probe, {}).get("httpGet")
                if http is None:
                    continue
                where = f"{name_of(doc)} container {container['name']} {probe}"
                path = http.get("path", "/")
                if path not in known:
                    problems.append(
                        f"{where}: path {path!r} is not a route of the app (routes: {known})"
                    )
                if http["port"] not in ports:
                    problems.append(
                        f"{where}: port {http['port']!r} is not a port the container declares"
                    )
    return problems


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def _pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = workload["spec"]["template"].get("metadata", {}).get("labels", {})
    return labels


def selector_problems(docs: Iterable[dict[str, Any]]) -> list[str]:
    """Problems with how objects find each other:

    * a workload whose ``spec.selector.matchLabels`` do not all appear in its pod template's
      labels (the API server refuses it);
    * a Service or a PodDisruptionBudget whose selector matches no workload's pod template
      (a Service's is ``spec.selector``; a PDB's ``spec.selector.matchLabels``); a missing or
      empty selector matches nothing here;
    * a HorizontalPodAutoscaler whose ``scaleTargetRef`` (kind and name) is not in ``docs``.
    """
    docs = list(docs)
    templates = [_pod_labels(d) for d in docs if d["kind"] in WORKLOADS]
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    problems = []
    for doc in docs:
        kind, spec = doc["kind"], doc.get("spec", {})
        if kind in WORKLOADS:
            wanted, labels = spec["selector"].get("matchLabels", {}), _pod_labels(doc)
            if not _matches(wanted, labels):
                problems.append(
                    f"{name_of(doc)}: selector {wanted} does not match its pod labels {labels}"
                )
        elif kind in ("Service", "PodDisruptionBudget"):
            raw = spec.get("selector", {})
            wanted = raw.get("matchLabels", {}) if kind == "PodDisruptionBudget" else raw
            if not any(_matches(wanted, labels) for labels in templates):
                problems.append(f"{name_of(doc)}: selector {wanted} matches no pod template")
        elif kind == "HorizontalPodAutoscaler":
            target = (spec["scaleTargetRef"]["kind"], spec["scaleTargetRef"]["name"])
            if target not in names:
                problems.append(
                    f"{name_of(doc)}: scaleTargetRef {target[0]}/{target[1]} is not among the "
                    f"manifests"
                )
    return problems
