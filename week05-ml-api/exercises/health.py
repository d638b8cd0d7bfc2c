"""Exercise 3 — readiness: may this replica receive traffic?

Liveness asks "is the process alive?"; readiness asks "can it answer?". Only once a model is
loaded. A replica whose model failed to load stays out of rotation and says why. A *failed hot
reload* is different: the old model keeps serving, so the replica stays ready.

Check your work with ``uv run course grade week05``; stuck? ``uv run course hint week05
readiness`` gives one hint step at a time. The reference solution lives in
``week05_ml_api/health.py``: look only once you are done.
"""

from __future__ import annotations

from week05_ml_api.schemas import Status


def readiness(model_version: str | None, load_error: str | None = None) -> tuple[int, Status]:
    """The HTTP status and the body of ``GET /health/ready``, from what the replica knows.

    A load balancer or Kubernetes sends traffic only to replicas that answer 200 here. Saying
    "ready" before a model is loaded sends requests that can only fail; taking a replica out of
    rotation because a *reload* failed throws away a model that still works.

    Args:
        model_version: the version of the model being served, or ``None`` while no model has
            been loaded.
        load_error: why the last load failed (``"FileNotFoundError: model.joblib"``), or
            ``None`` when it did not fail.

    Returns:
        ``(http_status, body)`` where ``body`` is a :class:`~week05_ml_api.schemas.Status`
        (fields ``status``, ``model_version``, ``detail``):

        - no model, no error: ``503``, status ``"loading"``;
        - no model and a load error: ``503``, status ``"failed"``, ``detail`` the error text;
        - a model: ``200``, status ``"ready"``, ``model_version`` the version being served,
          and ``detail`` the error text when a later reload failed (``None`` otherwise).

    Raises:
        Nothing.

    Invariants (checked):
        - Without a model the answer is 503, whatever ``load_error`` says.
        - With a model the answer is 200 and names its version, even after a failed reload.
        - A load error, first load or reload, always appears in ``detail`` (the text as given,
          or a text that contains it).
    """
    # TODO: your code here
    raise NotImplementedError("readiness")
