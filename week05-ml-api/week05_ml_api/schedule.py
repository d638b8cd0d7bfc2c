"""Schedule-only requests: the online store (week04) supplies the rest of the model's features.

A client knows a flight's schedule — carrier, number, airports, scheduled departure, maybe the
plane — not ``past_rate_origin_1d`` or ``precip_3h``. :class:`FeatureStore` looks those up in
week04's online store as of the flight's date (:func:`week04_sql.online.lookup`: the same
features the model was trained on, proven by week04's skew check) and hands the service a
:class:`~week05_ml_api.schemas.FlightFeatures`, so a schedule-only answer is computed exactly
like a full one.

What the store cannot answer is said, never guessed: a date it has not reached is
:class:`~week04_sql.online.StoreNotReady` (HTTP 404), a route nobody has flown without a
distance :class:`~week04_sql.online.UnknownRoute` (HTTP 422); an unknown plane or a missing
weather reading become ``null`` features, which the model saw in training too.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from week05_ml_api.schemas import FlightFeatures, ScheduledFlight


class FeatureStore:
    """The online store behind ``POST /predict/schedule``; connects on first use."""

    def __init__(self, database_url: str | None = None) -> None:
        self.database_url = database_url
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                from week04_sql.db import make_engine

                self._engine = make_engine(self.database_url)
            return self._engine

    def features(self, flight: ScheduledFlight) -> FlightFeatures:
        """The model's features for ``flight``, as of its date (raises the store's errors)."""
        from week04_sql.online import lookup

        row: dict[str, Any] = {
            "carrier": flight.carrier,
            "flight": flight.flight,
            "origin": flight.origin,
            "dest": flight.dest,
            "sched_dep": pd.Timestamp(flight.sched_dep),  # naive: New York time (lookup's rule)
            "tailnum": flight.tailnum,
        }
        if flight.distance is not None:
            row["distance"] = flight.distance
        with self.engine().connect() as conn:
            found = lookup(conn, pd.DataFrame([row])).iloc[0].to_dict()
        values = {k: None if _missing(v) else v for k, v in found.items()}
        values["day_of_week"], values["dep_hour"] = (
            int(found["day_of_week"]),
            int(found["dep_hour"]),
        )
        return FlightFeatures.model_validate(values)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
