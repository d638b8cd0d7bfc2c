"""The live traffic of a simulated day: which flights ask the service, and what they send.

A passenger's app knows the schedule, not the features: :func:`schedule_request` turns one
flight into the body of week05's ``POST /predict/schedule`` (the service looks the rest up in
the online store) and the id week13's A/B split hashes. :func:`sample_flights` picks the day's
requests, the same ones for the same seed on every run. :func:`latency_summary` is what the
report says about the answers' speed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from week13_retrain.assign import flight_id

#: what a schedule-only request carries (week05's ``ScheduledFlight``): nothing measured
#: at or after departure, no feature the store computes
SCHEDULE_FIELDS = ("carrier", "flight", "origin", "dest", "sched_dep", "tailnum")


@dataclass(frozen=True)
class ScheduleCall:
    """One request: the JSON body and the flight's id (the ``X-Flight-ID`` header)."""

    body: dict[str, Any]
    flight_id: str


def sample_flights(today: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` of ``today``'s flights (all of them when there are fewer), in their original
    order (exercise 1).

    * the same ``today`` and ``seed`` give the same rows on every call and every run; another
      day (the ``year``/``month``/``day`` columns of the first row) or another seed gives
      another sample: seed a ``numpy.random.default_rng`` with ``[seed, day.toordinal()]``;
    * no flight twice; the rows keep ``today``'s index and order;
    * an empty ``today`` gives an empty frame; ``ValueError`` naming ``n`` when it is negative.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if today.empty or n == 0:
        return today.iloc[0:0]
    first = today.iloc[0]
    day = dt.date(int(first["year"]), int(first["month"]), int(first["day"]))
    rng = np.random.default_rng([seed, day.toordinal()])
    chosen = rng.choice(len(today), size=min(n, len(today)), replace=False)
    return today.iloc[np.sort(chosen)]


def schedule_request(flight: pd.Series) -> ScheduleCall:
    """The ``/predict/schedule`` call of one flight of week03's table (exercise 2).

    * the body has exactly :data:`SCHEDULE_FIELDS`: ``carrier``, ``flight`` (an int),
      ``origin``, ``dest``, ``sched_dep`` (the *scheduled* departure, New York time, as ISO
      8601 with its offset: ``"2013-09-14T07:30:00-04:00"``) and ``tailnum`` (``None`` when
      the table has none: never the string ``"nan"``);
    * the id is week13's :func:`~week13_retrain.assign.flight_id` of the flight's date (the
      scheduled departure's New York date), carrier, number and origin.
    """
    sched_dep = pd.Timestamp(flight["sched_dep"])
    if sched_dep.tzinfo is None:
        raise ValueError(f"sched_dep must carry its time zone, got the naive {sched_dep}")
    carrier, number, origin = str(flight["carrier"]), int(flight["flight"]), str(flight["origin"])
    tailnum = flight["tailnum"]
    body: dict[str, Any] = {
        "carrier": carrier,
        "flight": number,
        "origin": origin,
        "dest": str(flight["dest"]),
        "sched_dep": sched_dep.isoformat(),
        "tailnum": None if pd.isna(tailnum) else str(tailnum),
    }
    return ScheduleCall(body, flight_id(sched_dep.date(), carrier, number, origin))


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """Count, and the 50th, 95th and 99th percentiles and the maximum in milliseconds
    (NaN when nothing was measured)."""
    values = np.asarray(seconds, dtype="float64") * 1000.0
    if values.size == 0:
        nan = float("nan")
        return {"count": 0, "p50_ms": nan, "p95_ms": nan, "p99_ms": nan, "max_ms": nan}
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {
        "count": int(values.size),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "max_ms": float(values.max()),
    }
