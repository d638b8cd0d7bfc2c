"""Exercise 4 — cross-checks of Kubernetes manifests that a schema cannot make.

A schema says a Deployment *may* have a probe on ``/healthz``; only the app knows whether it
serves ``/healthz``. Each function below catches a mistake that deploys without an error and
fails later: a ``latest`` tag (two nodes run two different images under one name), a probe on
a path the app does not serve (the pod is never ready, or restarted forever), a Service whose
selector matches no pod (no endpoints: every request refused).

Each function takes the parsed manifests (a list of dicts, one per YAML document, as
``yaml.safe_load_all`` gives them) and returns the problems as sentences; an empty list means
all is well. The helpers imported below are yours to use: ``name_of(doc)`` names an object as
``"Deployment/api"``; ``containers_of(doc)`` yields a workload's containers (init containers
first) and nothing for other kinds; ``image_tag(image)`` reads an image reference's tag.

Check your work with ``uv run course grade week10``; stuck? ``uv run course hint week10
image_problems`` gives one hint step at a time. The reference solution lives in
``week10_cloud/checks.py``: look only once you are done.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from week10_cloud.checks import PIN, PROBES, WORKLOADS, containers_of, image_tag, name_of


def image_problems(docs: Iterable[dict[str, Any]]) -> list[str]:
    """One problem per container whose image is not pinned to one version.

    Args:
        docs: the parsed manifests, of any kinds; only workloads (:data:`WORKLOADS`) have
            containers.

    Returns:
        One sentence per container of every workload (init containers included) whose image
        has no tag at all (Kubernetes then pulls ``latest``) or the tag ``latest``. A digest
        (``...@sha256:<hex>``) pins, and so does any other tag. Each sentence contains the
        object (``name_of(doc)``, e.g. ``Deployment/api``), ``container <its name>``, the image
        exactly as written, and the word ``latest`` (a missing tag *means* latest, so say so),
        e.g. ``"Deployment/api container api: image 'acme/api' has no tag, so it means latest:
        pin a version"``. :data:`PIN` is a ready-made ending if you want one.

    Invariants (checked):
        - In ``registry:5000/acme/api`` the ``:5000`` is the registry's port, not a tag: that
          image has no tag, while ``registry:5000/acme/api:v2`` is pinned.
        - Every workload kind counts (a StatefulSet too), and documents without containers (a
          Service) give no problem.
    """
    # TODO: your code here
    raise NotImplementedError("image_problems")


def probe_problems(docs: Iterable[dict[str, Any]], routes: Iterable[str]) -> list[str]:
    """One problem per HTTP probe on a path the app does not serve or a port it does not name.

    Args:
        docs: the parsed manifests.
        routes: the paths the app serves, e.g. ``{"/health/live", "/health/ready"}``.

    Returns:
        For every container of every workload and each of its probes (:data:`PROBES`:
        ``readinessProbe``, ``livenessProbe``, ``startupProbe``) that has an ``httpGet``:

        - one problem when ``httpGet.path`` is not in ``routes``; a probe without ``path``
          asks for ``/``, as Kubernetes does;
        - one problem when ``httpGet.port`` is neither the ``name`` nor the ``containerPort``
          of a port the container declares under ``ports`` (a container may declare none: then
          no port is declared).

        Each sentence contains ``"<name_of(doc)> container <container name>"`` (e.g.
        ``"Deployment/api container api"``), the probe's field name (``readinessProbe``) and
        the bad value: a path in quotes as ``repr`` writes it (``'/healthz'``, ``'/'``), a port
        as it was given (``web``, ``8080``).

    Invariants (checked):
        - Probes without ``httpGet`` (``tcpSocket``, ``exec``) are not checked.
        - A probe with a good path and a good port gives no problem; one mistake, one problem.
    """
    # TODO: your code here
    raise NotImplementedError("probe_problems")


def selector_problems(docs: Iterable[dict[str, Any]]) -> list[str]:
    """Problems with how objects find each other.

    A selector *matches* a set of labels when the selector is not empty and every one of its
    ``key: value`` pairs is among the labels (the labels may have more).

    Args:
        docs: the parsed manifests (every document has ``kind`` and ``metadata.name``; any
            other field may be missing).

    Returns:
        One problem, naming the object that has it (``name_of(doc)``), for each:

        - workload (:data:`WORKLOADS`) whose ``spec.selector.matchLabels`` does not match its
          own pod template's labels (``spec.template.metadata.labels``; the template may have
          no ``metadata`` or no ``labels``, and the selector no ``matchLabels``);
        - Service whose ``spec.selector``, or PodDisruptionBudget whose
          ``spec.selector.matchLabels``, matches no workload's pod template labels; a missing
          ``spec``, ``selector`` or ``matchLabels``, or an empty one, matches nothing;
        - HorizontalPodAutoscaler whose ``spec.scaleTargetRef`` (``kind`` and ``name``) is not
          an object of ``docs``; its sentence also names the target as ``Kind/name`` (e.g.
          ``"HorizontalPodAutoscaler/api: scaleTargetRef Deployment/apy is not among the
          manifests"``).

    Invariants (checked):
        - Manifests that fit together give ``[]``; each single mistake gives exactly one
          problem (a Service with a typo in a label, or an extra label no pod has, is one).
    """
    # TODO: your code here
    raise NotImplementedError("selector_problems")
