"""Exercise 3 — readiness: may this replica receive traffic?

Liveness asks "is the process alive?"; readiness asks "can it answer?". Only once a model is
loaded. A replica whose model failed to load stays out of rotation and says why. A *failed hot
reload* is different: the old model keeps serving, so the replica stays ready.
"""

from __future__ import annotations

from week05_ml_api.schemas import Status


def readiness(model_version: str | None, load_error: str | None = None) -> tuple[int, Status]:
    """``(http_status, body)`` of ``GET /health/ready``.

    * no model yet, no error: ``503`` and ``status="loading"``;
    * no model and a load error: ``503``, ``status="failed"``, ``detail=load_error``;
    * a model (version ``model_version``): ``200``, ``status="ready"``, ``model_version`` set,
      and ``detail=load_error`` when a later reload failed (the old model still serves).

    ``Status(status=..., model_version=..., detail=...)`` builds the body.
    """
    # TODO: your code here
    raise NotImplementedError("readiness")
