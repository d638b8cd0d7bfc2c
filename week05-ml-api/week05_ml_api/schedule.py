"""Schedule-only requests: the online store (week04) supplies the rest of the model's features.

A client knows a flight's schedule — carrier, number, airports, scheduled departure, maybe the
plane — not ``past_rate_origin_1d`` or ``precip_3h``. :class:`FeatureStore` looks those up in
week04's online store as of the flight's date (:func:`week04_sql.online.lookup`: the same
features the model was trained on, proven by week04's skew check) and hands the service a
:class:`~week05_ml_api.schemas.FlightFeatures`, so a schedule-only answer is computed exactly
like a full one.

What the store cannot answer is said, never guessed, with the service's own errors
(:mod:`week05_ml_api.exceptions`): a date it has not reached is ``FeaturesNotFound``, a route
nobody has flown (and no distance in the request) ``UnknownRoute`` — both 404, the resource the
caller asks about does not exist —, a database that cannot be reached ``StoreUnavailable``
(503). An unknown plane or a missing weather reading become ``null`` features, which the model
saw in training too.
"""

from __future__ import annotations

import logging
import math
import threading
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from week05_ml_api.exceptions import FeaturesNotFound, StoreUnavailable, UnknownRoute
from week05_ml_api.schemas import FlightFeatures, ScheduledFlight

log = logging.getLogger(__name__)


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

                self._engine = make_engine(self.database_url, read_only=True)  # a reader
            return self._engine

    def features(self, flight: ScheduledFlight) -> FlightFeatures:
        """The model's features for ``flight``, as of its date; raises ``FeaturesNotFound``,
        ``UnknownRoute`` or ``StoreUnavailable``."""
        import sqlalchemy.exc

        from week04_sql import online

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
        try:
            with self.engine().connect() as conn:
                found = online.lookup(conn, pd.DataFrame([row])).iloc[0].to_dict()
        except online.StoreNotReady as exc:
            raise FeaturesNotFound.about(
                "sched_dep", "store_reached", str(exc), flight.sched_dep.isoformat()
            ) from exc
        except online.UnknownRoute as exc:
            route = f"{flight.origin}-{flight.dest}"
            raise UnknownRoute.about("dest", "known_route", str(exc), route) from exc
        except sqlalchemy.exc.OperationalError as exc:
            log.error("feature store unavailable: %s", exc)
            raise StoreUnavailable("the feature store is unavailable") from exc
        values = {k: None if _missing(v) else v for k, v in found.items()}
        values["day_of_week"], values["dep_hour"] = (
            int(found["day_of_week"]),
            int(found["dep_hour"]),
        )
        return FlightFeatures.model_validate(values)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
