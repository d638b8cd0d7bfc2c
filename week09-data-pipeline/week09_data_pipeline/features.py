"""Materialise the online store after a day's load: week04's ``materialize``, for two dates.

After day D is loaded the store gets

* D itself again: its rates are unchanged (they come from the days *before* D), and its weather
  is now loaded, so the readings of D's hours join the store (the API answers with them);
* D+1: the past rates as of tomorrow, from every flight up to D, which tonight's scoring and
  tomorrow's API requests read. D+1's weather is not known yet: those hours get their readings
  when D+1 is loaded and this runs for D+1.

Both are week04's :func:`~week04_sql.online.materialize`, which replaces a date's rows in one
transaction: running this twice leaves the same store.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from week04_sql.online import materialize
from week09_data_pipeline.etl import warehouse
from week09_data_pipeline.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Materialized:
    """Rows written for ``day`` (its weather) and for the next day (its rates)."""

    day: dt.date
    rates: int
    weather: int
    routes: int


def materialize_day(day: dt.date, settings: Settings) -> Materialized:
    """Write the store's features for ``day`` (now with its weather) and for ``day + 1``."""
    engine = warehouse(settings)
    try:
        today = materialize(engine, day)
        tomorrow = materialize(engine, day + dt.timedelta(days=1))
    finally:
        engine.dispose()
    return Materialized(day, tomorrow["rates"], today["weather"], today["routes"])
