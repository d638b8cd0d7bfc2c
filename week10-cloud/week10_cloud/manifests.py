"""The Kubernetes manifests (``week10-cloud/k8s``), checked offline: schema, then meaning.

1. **Schema**, strictly: every document is validated by ``kubernetes-validate``'s Python API
   with ``strict=True`` (an unknown field such as ``readinesProbe`` is an error, not ignored)
   against a pinned Kubernetes version (:data:`KUBERNETES_VERSION`). Its command line only
   warns on an unknown kind and exits 0; the API raises, so an unknown kind fails here too.
2. **Meaning**, by :mod:`week10_cloud.checks` and here: probe paths exist among the app's
   routes (read from week05's ``create_app``, never a hard-coded list), images are pinned,
   selectors match, the HPA's target requests CPU, and every ``WEEK05_`` variable is a setting
   the API reads (a typo would be ignored without a word).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from week10_cloud.checks import (
    containers_of,
    image_problems,
    name_of,
    probe_problems,
    selector_problems,
)

log = logging.getLogger(__name__)

#: The manifests of this week.
MANIFEST_DIR = Path(__file__).resolve().parents[1] / "k8s"
#: The Kubernetes version the manifests are validated against (kubernetes-validate ships
#: schemas for 1.25 to 1.37; managed clusters support roughly the last three minor versions).
KUBERNETES_VERSION = "1.35.0"
#: Files in the folder that are not Kubernetes objects.
NOT_OBJECTS = ("kustomization.yaml",)
#: The API's settings prefix.
ENV_PREFIX = "WEEK05_"


def load_documents(folder: Path = MANIFEST_DIR) -> list[dict[str, Any]]:
    """Every YAML document of ``folder/*.yaml`` (kustomization.yaml excepted), in file order;
    each gets ``_file`` (its file name) for the messages, removed before validation."""
    docs = []
    for path in sorted(Path(folder).glob("*.yaml")):
        if path.name in NOT_OBJECTS:
            continue
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                docs.append({**doc, "_file": path.name})
    return docs


def schema_problems(docs: Iterable[dict[str, Any]], version: str = KUBERNETES_VERSION) -> list[str]:
    """One problem per document that fails strict validation against ``version``."""
    import kubernetes_validate

    problems = []
    for doc in docs:
        body = {k: v for k, v in doc.items() if k != "_file"}
        try:
            kubernetes_validate.validate(body, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = "/".join(str(p) for p in exc.path) or "(top)"
            problems.append(f"{doc.get('_file')}: {name_of(doc)} at {where}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError:
            problems.append(
                f"{doc.get('_file')}: {name_of(doc)}: Kubernetes {version} has no kind "
                f"{doc.get('kind')!r} in apiVersion {doc.get('apiVersion')!r}"
            )
    return problems


def app_routes() -> set[str]:
    """The GET paths week05's app serves, read from the app itself (no model is loaded: the
    app is built, not started)."""
    from fastapi.routing import APIRoute

    from week05_ml_api.app import create_app
    from week05_ml_api.settings import Settings

    no_dotenv: dict[str, Any] = {"_env_file": None}  # the app's routes, not this shell's .env
    app = create_app(Settings(**no_dotenv))
    return {r.path for r in app.routes if isinstance(r, APIRoute) and "GET" in r.methods}


def hpa_problems(docs: Iterable[dict[str, Any]]) -> list[str]:
    """An HPA scaling on CPU utilisation needs CPU requests on every container of its target:
    utilisation is usage divided by the request."""
    docs = list(docs)
    by_name = {(d.get("kind"), d.get("metadata", {}).get("name")): d for d in docs}
    problems = []
    for hpa in (d for d in docs if d.get("kind") == "HorizontalPodAutoscaler"):
        spec = hpa.get("spec", {})
        on_cpu = any(m.get("resource", {}).get("name") == "cpu" for m in spec.get("metrics", []))
        ref = spec.get("scaleTargetRef", {})
        target = by_name.get((ref.get("kind"), ref.get("name")))
        if not on_cpu or target is None:
            continue
        for container in containers_of(target):
            if "cpu" not in container.get("resources", {}).get("requests", {}):
                problems.append(
                    f"{name_of(hpa)} scales on CPU but {name_of(target)} container "
                    f"{container.get('name')} has no CPU request"
                )
    return problems


def env_problems(docs: Iterable[dict[str, Any]], fields: Iterable[str]) -> list[str]:
    """Every ``WEEK05_`` variable (a container's ``env`` or a ConfigMap's ``data``) must name
    one of the API's settings ``fields``."""
    known = {f"{ENV_PREFIX}{f.upper()}" for f in fields}
    problems = []
    for doc in docs:
        names = list(doc.get("data", {})) if doc.get("kind") == "ConfigMap" else []
        names += [e.get("name", "") for c in containers_of(doc) for e in c.get("env", [])]
        for name in names:
            if name.startswith(ENV_PREFIX) and name not in known:
                problems.append(f"{name_of(doc)}: {name} is not a setting of the API")
    return problems


def check_manifests(folder: Path = MANIFEST_DIR, version: str = KUBERNETES_VERSION) -> list[str]:
    """Every problem of the manifests in ``folder``: schema first, then the cross-checks."""
    from week05_ml_api.settings import Settings as ApiSettings

    docs = load_documents(folder)
    if not docs:
        return [f"no manifests in {folder}"]
    problems = schema_problems(docs, version)
    problems += selector_problems(docs)
    problems += image_problems(docs)
    problems += probe_problems(docs, app_routes())
    problems += hpa_problems(docs)
    problems += env_problems(docs, ApiSettings.model_fields)
    log.info("%d manifests in %s: %d problem(s)", len(docs), folder, len(problems))
    return problems
