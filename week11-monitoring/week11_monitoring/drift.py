"""Data and prediction drift, column by column: the numbers Evidently's report computes, done
directly with SciPy so a loop over 26 weekly windows takes seconds instead of minutes.

The methods are pinned (Evidently would otherwise pick one by sample size, and a week of
flights and a month of flights would be judged by different tests):

* a number: the Wasserstein distance between reference and current, divided by the
  reference's standard deviation ("how many standard deviations the distribution moved");
* a category: the Jensen-Shannon distance between the two shares of each value;
* a column drifts when its distance is at least :data:`THRESHOLD` (0.1, Evidently's default
  for both). Missing and infinite values are left out first, as Evidently does.

:mod:`week11_monitoring.reports` gives Evidently the same methods and threshold, and the
suite checks that both agree column by column on real flights.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon

log = logging.getLogger(__name__)

NUM_METHOD = "wasserstein"
CAT_METHOD = "jensenshannon"
#: distance at or above which a column counts as drifted (Evidently's default for both)
THRESHOLD = 0.1
#: Evidently's floor for the reference's standard deviation (a constant column)
MIN_STD = 0.001


@dataclass(frozen=True)
class ColumnProfile:
    """One reference column, summarised once: a number's distinct values with their
    cumulative counts and its standard deviation, or a category's share of each value."""

    categorical: bool
    size: int
    values: np.ndarray  # numbers: sorted distinct values; categories: the values
    cumulative: np.ndarray  # numbers: rows <= each value; categories: each value's share
    std: float = 0.0


@dataclass(frozen=True)
class ReferenceProfile:
    """The reference side of every drift test, computed once and reused for every window (the
    reference is the champion's whole training window: 160,000 flights)."""

    columns: dict[str, ColumnProfile]

    @classmethod
    def of(
        cls, reference: pd.DataFrame, columns: Sequence[str], categorical: Sequence[str]
    ) -> ReferenceProfile:
        missing = [c for c in columns if c not in reference.columns]
        if missing:
            raise KeyError(f"column(s) {missing} missing from the reference data")
        return cls({c: _profile(reference[c], c, c in categorical) for c in columns})


def _numbers(values: pd.Series, column: str, side: str) -> np.ndarray:
    try:
        array = values.to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"column {column!r} must hold numbers in the {side} data") from exc
    kept = array[np.isfinite(array)]
    if kept.size == 0:
        raise ValueError(f"column {column!r} has no value in the {side} data: cannot measure drift")
    return kept


def _categories(values: pd.Series, column: str, side: str) -> pd.Series:
    kept = values.dropna()
    if kept.empty:
        raise ValueError(f"column {column!r} has no value in the {side} data: cannot measure drift")
    return kept


def _profile(values: pd.Series, column: str, categorical: bool) -> ColumnProfile:
    if categorical:
        kept = _categories(values, column, "reference")
        shares = kept.value_counts()
        return ColumnProfile(
            True, len(kept), shares.index.to_numpy(), shares.to_numpy() / len(kept)
        )
    numbers = _numbers(values, column, "reference")
    distinct, counts = np.unique(numbers, return_counts=True)
    std = max(float(np.std(numbers)), MIN_STD)
    return ColumnProfile(False, numbers.size, distinct, np.cumsum(counts), std)


def _distance(profile: ColumnProfile, current: pd.Series, column: str) -> float:
    if profile.categorical:
        values = _categories(current, column, "current")
        counts = values.value_counts()
        keys = pd.Index(profile.values).union(counts.index, sort=False)
        ref_share = pd.Series(profile.cumulative, index=profile.values).reindex(keys, fill_value=0)
        cur_share = (counts / len(values)).reindex(keys, fill_value=0)
        return float(jensenshannon(ref_share.to_numpy(), cur_share.to_numpy()))
    cur = np.sort(_numbers(current, column, "current"))
    # W1 = integral of |F_ref(x) - F_cur(x)| dx, both step functions evaluated on every
    # point where one of them jumps: what scipy.stats.wasserstein_distance computes, without
    # sorting the 160,000 reference values again for every window
    grid = np.union1d(profile.values, cur)
    at = np.searchsorted(profile.values, grid[:-1], side="right")
    f_ref = np.where(at > 0, profile.cumulative[np.maximum(at - 1, 0)], 0) / profile.size
    f_cur = np.searchsorted(cur, grid[:-1], side="right") / cur.size
    return float(np.sum(np.abs(f_ref - f_cur) * np.diff(grid)) / profile.std)


def column_drift(
    reference: pd.Series, current: pd.Series, *, categorical: bool, column: str = ""
) -> float:
    """The drift distance of one column (see the module docstring)."""
    name = column or str(reference.name)
    return _distance(_profile(reference, name, categorical), current, name)


def drift_by_column(
    reference: pd.DataFrame | ReferenceProfile,
    current: pd.DataFrame,
    columns: Sequence[str],
    categorical: Sequence[str],
    threshold: float = THRESHOLD,
) -> pd.DataFrame:
    """One row per column: ``column``, ``method``, ``distance``, ``drifted``, in ``columns``'
    order. ``reference`` is the reference frame or its :class:`ReferenceProfile` (faster when
    many windows share one reference). Raises ``KeyError`` naming a missing column."""
    if isinstance(reference, pd.DataFrame):
        reference = ReferenceProfile.of(reference, columns, categorical)
    missing = [c for c in columns if c not in reference.columns or c not in current.columns]
    if missing:
        raise KeyError(f"column(s) {missing} missing from the reference or the current data")
    rows = []
    for column in columns:
        profile = reference.columns[column]
        distance = _distance(profile, current[column], column)
        rows.append(
            {
                "column": column,
                "method": CAT_METHOD if profile.categorical else NUM_METHOD,
                "distance": distance,
                "drifted": distance >= threshold,
            }
        )
    return pd.DataFrame(rows, columns=["column", "method", "distance", "drifted"])


@dataclass(frozen=True)
class DriftSummary:
    """What a window's drift comes to: the share and count of drifted columns, and their
    names, most drifted first."""

    drift_share: float
    drifted: int
    drifted_columns: list[str]


def drift_summary(by_column: pd.DataFrame) -> DriftSummary:
    """The :class:`DriftSummary` of :func:`drift_by_column`'s table."""
    drifted = by_column[by_column["drifted"]].sort_values("distance", ascending=False)
    share = float(len(drifted) / len(by_column)) if len(by_column) else float("nan")
    return DriftSummary(share, len(drifted), [str(c) for c in drifted["column"]])
