"""Liveness and readiness: two different questions an orchestrator asks.

* **liveness** — is the process alive? If not, restart it. Always yes while it can answer.
* **readiness** — may it receive traffic? Only once a model is loaded. A replica that says
  "ready" before its model is loaded gets traffic it can only answer with errors; one whose
  model failed to load must stay out of rotation (and say why). A *failed hot reload* is
  different: the old model keeps serving, so the replica stays ready and reports the failure.
"""

from __future__ import annotations

from week05_ml_api.schemas import Status


def readiness(model_version: str | None, load_error: str | None = None) -> tuple[int, Status]:
    """``(http_status, body)`` of ``GET /health/ready``.

    * no model yet, no error: ``503`` and ``status="loading"``;
    * no model and a load error: ``503``, ``status="failed"``, ``detail=load_error``;
    * a model (version ``model_version``): ``200``, ``status="ready"``, ``model_version`` set,
      and ``detail=load_error`` when a later reload failed (the old model still serves).
    """
    if model_version is None:
        if load_error is not None:
            return 503, Status(status="failed", detail=load_error)
        return 503, Status(status="loading")
    return 200, Status(status="ready", model_version=model_version, detail=load_error)
