"""Exercise 6 — the schedule-only prediction route, ``POST /predict/schedule``.

A passenger knows a flight's schedule (carrier, number, airports, scheduled departure, maybe the
plane), not ``past_rate_origin_1d`` or ``precip_3h``. This route takes the schedule, gets the
other features from week 4's **online store** (a database table of each route's and airport's
recent history, as of a date) and answers like ``POST /predict``, with the features it used.

You write the router, and FastAPI and the app do the rest: the app includes your router beside
``/predict`` and ``/predict/batch`` (``predict_router`` calls ``schedule_router``), and its
exception handlers already turn the service's own errors into status codes with the API's usual
bodies: ``FeaturesNotFound`` and ``UnknownRoute`` into a 404, ``ModelNotReady`` and
``StoreUnavailable`` into a 503, FastAPI's validation of a typed body into a 422 that names each
field.

Check your work with ``uv run course grade week05``; stuck? ``uv run course hint week05
schedule_router`` gives one hint step at a time. The reference solution lives in
``week05_ml_api/schedule_route.py``: look only once you are done.
"""

# no `from __future__ import annotations`: FastAPI reads a route's Annotated parameters at run
# time, and with that import they would be strings it cannot resolve inside a function
import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from week05_ml_api.dependencies import Extensions, FeatureStoreDep, RequestLog
from week05_ml_api.predictor import PredictionService
from week05_ml_api.schemas import (
    FieldProblem,
    Problem,
    ScheduledFlight,
    SchedulePrediction,
    Status,
)


def schedule_router(extensions: Extensions) -> APIRouter:
    """A router with one route, ``POST /predict/schedule`` (the full path: the app includes
    the router as it is), that predicts a flight from its schedule alone.

    Args:
        extensions: where the route gets its prediction service and its part of the
            prediction log: ``extensions.service`` and ``extensions.request_log`` are FastAPI
            dependencies (functions FastAPI calls for each request) giving a
            ``PredictionService`` and a ``RequestLog``. Week 13 passes its own, to split traffic
            between two models, so the route must use these, not week 5's own getters.

    Returns:
        A ``fastapi.APIRouter`` whose route

        - takes the body as a ``ScheduledFlight`` (FastAPI validates it: a bad field is a 422
          naming it, before your code runs);
        - gets the store from the ``FeatureStoreDep`` dependency (one store per app, made by
          ``create_app``), and asks it for the flight's features with
          ``store.features(flight)``, which reads the database: run it off the event loop
          (in a worker thread) so that other requests are answered meanwhile;
        - scores those features with the service's ``predict_one``, which gives a
          ``Prediction`` (``model_version``, ``probability``, ``delayed``, ``threshold``,
          ``unknown_categories``);
        - writes the flight to the prediction log (what week 11's monitoring reads):
          ``log.record(model_version, threshold, rows, probabilities)``, with one row, the
          features as a dict of name to value, and its one probability;
        - answers 200 with a ``SchedulePrediction``: the prediction's fields and ``features``,
          the ``FlightFeatures`` the store supplied.

    Raises (when the router is built):
        Nothing. At request time the route raises nothing of its own: the store's
        ``FeaturesNotFound`` (404, the field ``sched_dep``), ``UnknownRoute`` (404, the field
        ``dest``) and ``StoreUnavailable`` (503), and the service's ``ModelNotReady`` (503),
        reach the app's handlers as they are. Catching them (into an ``HTTPException``, a
        500, a 400) loses the status and the body that name the field.

    Invariants (checked):
        - A flight the store knows: 200, a probability in [0, 1], the served model's version,
          and ``features`` with what the store supplied (hour, weekday, distance, plane);
          its probability equals ``POST /predict``'s for those same features.
        - A date the store has not reached: 404 naming ``sched_dep`` (rule ``store_reached``);
          a route it never saw and no ``distance``: 404 naming ``dest`` (rule
          ``known_route``); a ``distance`` in the request is used.
        - A bad field (``dest: "iah"``, ``flight: 0``, a ``sched_dep`` that is no date, an
          unknown field): 422 naming that field, in the API's ``{"field", "rule", ...}``
          shape.
        - No model loaded: 503; the store unreachable: 503.
        - The store and the service come from the dependencies (``FeatureStoreDep`` and
          ``extensions.service``), the store is read off the event loop, and every answered
          flight is in the prediction log with the route's path.
        - The OpenAPI document (``/openapi.json``) describes the route: its request body is the
          ``ScheduledFlight`` schema, its 200 answer ``SchedulePrediction``, and its 404, 422
          and 503 answers are declared with their bodies (``FieldProblem``, ``FieldProblem``,
          ``Status``), each with a description: a route's ``responses=`` argument, a dict from
          status code to ``{"model": ..., "description": ...}``.
    """
    # TODO: your code here
    raise NotImplementedError("schedule_router")
