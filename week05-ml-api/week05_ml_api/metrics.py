"""Prometheus metrics of the service, one set across worker processes (README, "Metrics"): in
multiprocess mode every worker writes its values to files, and a scrape adds them all up.
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter("week05_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "week05_request_duration_seconds",
    "time from the request's arrival to the end of its answer",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
PREDICTIONS = Counter("week05_predictions", "flights predicted", ["model_version"])
PROBABILITY_SUM = Counter(
    "week05_predicted_probability", "sum of the predicted delay probabilities", ["model_version"]
)
CACHE_LOOKUPS = Counter("week05_cache_lookups", "prediction cache lookups", ["result"])
IN_PROGRESS = Gauge(
    "week05_requests_in_progress", "requests being answered", multiprocess_mode="livesum"
)
# livemin / livemax: only the processes alive now count; a worker that died is forgotten
MODEL_READY = Gauge(
    "week05_model_ready", "1 when every live worker serves a model", multiprocess_mode="livemin"
)
MODEL_INFO = Gauge(
    "week05_model_info",
    "1 for each model version a live worker serves",
    ["model_version"],
    multiprocess_mode="livemax",
)


def exposition() -> bytes:
    """A scrape's body: every worker's values added up in multiprocess mode (a fresh registry
    each time, as ``prometheus_client``'s docs require), else this process's."""
    registry = REGISTRY
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)


def sample_value(text: str, name: str, **labels: str) -> float:
    """The value of sample ``name`` whose labels include ``labels`` in a scrape's ``text``
    (0 when absent: a counter that never moved is not exported yet)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


def model_swapped(previous: str | None, version: str) -> None:
    """The worker now serves ``version`` (instead of ``previous``)."""
    if previous is not None and previous != version:
        MODEL_INFO.labels(previous).set(0)
    MODEL_INFO.labels(version).set(1)
    MODEL_READY.set(1)


def worker_started() -> None:
    """No model yet in this worker (until :func:`model_swapped`)."""
    MODEL_READY.set(0)


def worker_stopped() -> None:
    """Forget this process's live gauges (called when a worker shuts down)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(os.getpid())


class MetricsMiddleware:
    """Counts every HTTP request and times it, labelled by its route's template (``/predict``),
    never the raw path: made-up URLs cannot create new series (they count as ``<unmatched>``).

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` would cost more per request
    than the model does on a single flight.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering
        IN_PROGRESS.inc()

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            IN_PROGRESS.dec()
            route = scope.get("route")  # set by the router once a route matched
            path = getattr(route, "path", "<unmatched>")
            REQUESTS.labels(scope["method"], path, str(status)).inc()
            LATENCY.labels(scope["method"], path).observe(time.perf_counter() - began)
