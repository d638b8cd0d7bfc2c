"""``/health/live``, ``/health/ready`` (what an orchestrator probes) and ``/metrics`` (what
Prometheus scrapes)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from week05_ml_api import metrics
from week05_ml_api.dependencies import ServiceDep
from week05_ml_api.health import readiness
from week05_ml_api.schemas import JSONAnswer, Status

router = APIRouter(tags=["health"])


@router.get("/health/live", response_model=Status)
async def live() -> Status:
    """200 while the process answers (liveness: restart it if not)."""
    return Status(status="alive")


@router.get(
    "/health/ready",
    response_model=Status,
    responses={503: {"model": Status, "description": "no model loaded (yet), and why"}},
)
async def ready(service: ServiceDep) -> JSONAnswer:
    """200 once a model is loaded (readiness: send traffic), else 503 with the reason."""
    current = service.store.current
    code, body = readiness(current.version if current else None, service.store.error)
    return JSONAnswer(status_code=code, content=body.model_dump())


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def scrape() -> Response:
    """The metrics of every worker of this server, added up (:mod:`week05_ml_api.metrics`)."""
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
