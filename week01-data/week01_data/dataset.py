"""The whole of weeks 1-2 as one call: raw tables in, a validated, joined, labelled table out."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

import course.data as data
from week01_data.clean import clean_flights
from week01_data.join import join_planes, join_weather
from week01_data.target import add_target
from week01_data.validate import flights_schema, quarantine, weather_schema

log = logging.getLogger(__name__)


@dataclass
class Dataset:
    """The joined flights, plus every raw row that was set aside and why."""

    flights: pd.DataFrame
    rejected_flights: pd.DataFrame
    rejected_weather: pd.DataFrame


def build_dataset(flights: pd.DataFrame | None = None) -> Dataset:
    """Validate, clean, label and join. ``flights`` defaults to the whole year.

    Invalid flights and invalid weather readings are quarantined (kept with their reason);
    a flight whose weather reading was rejected keeps NaN weather rather than a wrong value.
    """
    raw_flights = data.load_table("flights") if flights is None else flights
    valid_flights, rejected_flights = quarantine(raw_flights, flights_schema())
    valid_weather, rejected_weather = quarantine(data.load_table("weather"), weather_schema())
    log.info(
        "quarantined %d flights and %d weather readings",
        len(rejected_flights),
        len(rejected_weather),
    )
    joined = add_target(clean_flights(valid_flights))
    joined = join_planes(joined, data.load_table("planes"))
    joined = join_weather(joined, valid_weather)
    return Dataset(joined, rejected_flights, rejected_weather)
