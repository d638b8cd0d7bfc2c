"""The windows monitoring compares: the reference (what the champion learnt from) and each
later window (a week, a month), as they were known on the day of the report.

A window is half-open, ``[start, end)``: the September window is 1 September up to, not
including, 1 October, so consecutive windows never share a day. The reference is the
champion's *training window*, read from its metadata (``metadata["training_window"]``, first
and last day, both included): the data the model's idea of "normal" comes from.

A report made on day ``as_of`` (at midnight, before that day's first flight) sees only the
flights of days before ``as_of``: a window that is not over yet is compared on its first days.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from week03_ml.split import flight_date

log = logging.getLogger(__name__)

Frequency = Literal["month", "week"]
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Window:
    """Days ``[start, end)`` named ``name`` (``2013-09`` for a month, ``2013-09-02`` for the
    week starting that Monday)."""

    name: str
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"window {self.name}: end {self.end} must be after start {self.start}")

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


def parse_month(text: str) -> dt.date:
    """``"2013-07"`` -> 1 July 2013. Raises ``ValueError`` naming the value and the format."""
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError(f"month must be YYYY-MM with MM 01-12, got {text!r}")
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def monthly_windows(first: str, last: str) -> list[Window]:
    """One window per month from ``first`` to ``last`` (``"2013-07"``, ``"2013-12"``), both
    included."""
    start, stop = parse_month(first), parse_month(last)
    if stop < start:
        raise ValueError(f"--to {last} is before --from {first}")
    windows = []
    while start <= stop:
        end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        windows.append(Window(start.strftime("%Y-%m"), start, end))
        start = end
    return windows


def weekly_windows(first: str, last: str) -> list[Window]:
    """Monday-to-Sunday weeks that start inside the months ``first`` .. ``last``."""
    months = monthly_windows(first, last)
    day = months[0].start + dt.timedelta(days=-months[0].start.weekday() % 7)
    windows = []
    while day < months[-1].end:
        windows.append(Window(day.isoformat(), day, day + dt.timedelta(days=7)))
        day += dt.timedelta(days=7)
    return windows


def make_windows(first: str, last: str, every: Frequency = "month") -> list[Window]:
    """:func:`monthly_windows` or :func:`weekly_windows`."""
    if every == "month":
        return monthly_windows(first, last)
    if every == "week":
        return weekly_windows(first, last)
    raise ValueError(f"every must be 'month' or 'week', got {every!r}")


def reference_and_current(
    flights: pd.DataFrame, metadata: Mapping[str, Any], window: Window, as_of: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(reference, current)``: the flights the champion was trained on, and the flights of
    ``window`` that had happened by the report's day ``as_of`` (exercise 1).

    * reference: flights dated within ``metadata["training_window"]`` (first and last day,
      both included), never the validation or test window;
    * current: flights dated from ``window.start`` up to the day before the earlier of
      ``window.end`` and ``as_of``: a report never sees a flight of its own day or later;
    * ``ValueError`` when the window starts on or before the last training day (the model
      has seen those days: comparing them with themselves measures nothing), or when
      ``as_of`` is not after ``window.start`` (no flight of the window has happened yet;
      the message says ``as_of``, its value and the window's start, in that order).

    Both keep the input's rows and columns. Dates come from ``year``/``month``/``day``
    (:func:`week03_ml.split.flight_date`).
    """
    first, last = (pd.Timestamp(day) for day in metadata["training_window"])
    start, end, seen = pd.Timestamp(window.start), pd.Timestamp(window.end), pd.Timestamp(as_of)
    if start <= last:
        raise ValueError(
            f"window {window.name} starts {window.start}, inside the champion's training window "
            f"(up to {last.date()}): monitor only days after the training data"
        )
    if seen <= start:
        raise ValueError(
            f"as_of {as_of} is not after window {window.name}'s start {window.start}: "
            "none of its flights has happened yet"
        )
    date = flight_date(flights)
    reference = flights[(date >= first) & (date <= last)]
    current = flights[(date >= start) & (date < min(end, seen))]
    return reference, current
