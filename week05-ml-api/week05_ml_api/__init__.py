"""Week 5: serve the delay model — FastAPI and gRPC, validated, batched, hot-reloadable, fast.

Modules, in the order of the lessons: :mod:`~week05_ml_api.schemas` (what a request may say),
:mod:`~week05_ml_api.errors` (422s that name the field and the rule), :mod:`~week05_ml_api.batch`
(the cap and the 413), :mod:`~week05_ml_api.health` (liveness / readiness),
:mod:`~week05_ml_api.fastpath` (a request straight into NumPy), :mod:`~week05_ml_api.cache`,
:mod:`~week05_ml_api.predictor` (the shared core), :mod:`~week05_ml_api.app` (REST),
:mod:`~week05_ml_api.grpc_service` (gRPC), :mod:`~week05_ml_api.server` (uvicorn's workers).
"""
