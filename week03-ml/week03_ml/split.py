"""Splitting the flights by time: train on the past, validate on what came next, test on later.

A random split would let the model train on 14 July and be tested on 13 July: it would see the
future and the score would be a lie. Production only ever predicts *forward*, so the split does
too. Days are the flights' local (New York) dates from the raw ``year``, ``month``, ``day``
columns; the boundaries are the *first* day of each later part, so nothing depends on how many
days a month has.

Default windows (2013): train 1 Jan-30 Jun, validate 1 Jul-31 Aug, test 1 Sep-31 Dec.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

log = logging.getLogger(__name__)

#: First day of the validation window (inclusive); the training window ends the day before.
VALID_START = "2013-07-01"
#: First day of the test window (inclusive); the validation window ends the day before.
TEST_START = "2013-09-01"


@dataclass(frozen=True)
class Split:
    """The three windows of a time split; each keeps the input's index and columns."""

    train: pd.DataFrame
    valid: pd.DataFrame
    test: pd.DataFrame

    def sizes(self) -> dict[str, int]:
        """Rows per window, e.g. ``{"train": 160000, "valid": 55000, "test": 110000}``."""
        return {"train": len(self.train), "valid": len(self.valid), "test": len(self.test)}


def flight_date(flights: pd.DataFrame) -> pd.Series:
    """The local date of each flight (midnight timestamps) from ``year``, ``month``, ``day``."""
    return pd.to_datetime(flights[["year", "month", "day"]]).rename("date")


def split_by_time(
    flights: pd.DataFrame, valid_start: str = VALID_START, test_start: str = TEST_START
) -> Split:
    """Split ``flights`` into train (before ``valid_start``), validation (from ``valid_start``
    up to the day before ``test_start``) and test (from ``test_start`` on).

    Both boundaries are ISO dates (``"2013-07-01"``) and belong to the *later* window: the
    flights of 30 June are training data, those of 1 July are validation data. Every flight
    lands in exactly one window. Raises ``ValueError`` when ``valid_start`` is not before
    ``test_start``.
    """
    valid_from, test_from = pd.Timestamp(valid_start), pd.Timestamp(test_start)
    if valid_from >= test_from:
        raise ValueError(
            f"valid_start must be before test_start, got {valid_start} and {test_start}"
        )
    date = flight_date(flights)
    train = date < valid_from
    valid = (date >= valid_from) & (date < test_from)
    test = date >= test_from
    split = Split(flights[train], flights[valid], flights[test])
    log.info("time split at %s / %s: %s", valid_start, test_start, split.sizes())
    return split
