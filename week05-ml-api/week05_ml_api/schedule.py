"""Schedule-only requests: week 4's online store supplies the rest of the model's features, as
of the flight's date, so that the answer is computed exactly like a full one. What the store
cannot answer is said with the service's own errors, never guessed.
"""

from __future__ import annotations

import logging
import threading

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
        """The model's features for ``flight``, as of its date. Raises ``FeaturesNotFound``
        (a date the store has not reached), ``UnknownRoute`` (a route nobody has flown, and no
        distance in the request) or ``StoreUnavailable`` (a database that cannot be reached)."""
        import sqlalchemy.exc

        import week04_sql.online as online

        # a naive sched_dep is New York time (lookup's rule); without a distance, the route's
        schedule = flight.model_dump(exclude={"distance"} if flight.distance is None else None)
        try:
            with self.engine().connect() as conn:
                found = online.lookup(conn, pd.DataFrame([schedule])).iloc[0].to_dict()
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
        values = {k: None if pd.isna(v) else v for k, v in found.items()}
        # the schema's integers are strict: NumPy's are not Python ints
        values.update(day_of_week=int(found["day_of_week"]), dep_hour=int(found["dep_hour"]))
        return FlightFeatures.model_validate(values)
