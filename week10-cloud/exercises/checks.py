"""Exercise 4 — cross-checks of Kubernetes manifests that a schema cannot make.

Each function takes the parsed manifests (a list of dicts, one per YAML document) and returns
problems as sentences naming the object (``name_of(doc)``: ``"Deployment/api"``), the field
and the rule; an empty list means all is well. Helpers you may use are imported below:
``containers_of(doc)`` yields a workload's containers (init containers first), ``image_tag``
reads an image reference's tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from week10_cloud.checks import PIN, PROBES, WORKLOADS, containers_of, image_tag, name_of


def image_problems(docs: Iterable[dict[str, Any]]) -> list[str]:
    """One problem per container whose image is not pinned: no tag at all (Kubernetes pulls
    ``latest``; the message says ``has no tag``) or the tag ``latest`` (the message says
    ``uses the tag latest``). A digest (``@sha256:...``) pins; any other tag is fine. The
    message names the object, the container (``container <name>``) and the image.

    Careful: in ``registry:5000/acme/api`` the ``:5000`` is a port, not a tag.
    """
    # TODO: your code here
    raise NotImplementedError("image_problems")


def probe_problems(docs: Iterable[dict[str, Any]], routes: Iterable[str]) -> list[str]:
    """One problem per HTTP probe (:data:`PROBES`: readiness, liveness, startup) whose
    ``httpGet.path`` is not one of the app's ``routes`` (no ``path`` means ``/``, as in
    Kubernetes), and one per probe whose ``httpGet.port`` is neither the ``name`` nor the
    ``containerPort`` of a port the container declares (a container may declare none).

    Messages name the object, the container, the probe (``readinessProbe``...) and the bad
    path or port. Probes without ``httpGet`` (``tcpSocket``, ``exec``) are not checked.
    """
    # TODO: your code here
    raise NotImplementedError("probe_problems")


def selector_problems(docs: Iterable[dict[str, Any]]) -> list[str]:
    """Problems with how objects find each other. A selector *matches* labels when it is not
    empty and every one of its ``key: value`` pairs is among the labels.

    * a workload (:data:`WORKLOADS`) whose ``spec.selector.matchLabels`` do not match its own
      pod template's labels (``spec.template.metadata.labels``);
    * a Service (selector: ``spec.selector``) or a PodDisruptionBudget (``spec.selector.
      matchLabels``) that matches no workload's pod template; a missing or empty selector
      matches nothing (a pod template may have no labels at all);
    * a HorizontalPodAutoscaler whose ``spec.scaleTargetRef`` kind and name are not an object
      of ``docs``; the message names ``scaleTargetRef`` and ``Kind/name`` of the target.

    Each message names the object with the problem (``name_of``).
    """
    # TODO: your code here
    raise NotImplementedError("selector_problems")
