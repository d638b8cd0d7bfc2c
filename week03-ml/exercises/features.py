"""Exercises 2 and 3 — the leakage guard, and a delay rate computed only from the past.

Fill in the two functions below, then check them with ``uv run course grade week03``.
The reference solution lives in ``week03_ml/features.py``: look only once you are done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from week03_ml.features import LEAKY_COLUMNS, LeakageError


def check_no_leakage(columns: Iterable[str]) -> None:
    """Raise :class:`LeakageError` naming every column of ``columns`` found in
    :data:`LEAKY_COLUMNS`; return ``None`` when they are all known at scheduled departure.

    Steps:
      1. Go through ``columns`` once (it may be a list, a ``DataFrame.columns`` or a generator)
         and collect the names that are in ``LEAKY_COLUMNS``.
      2. If any: ``raise LeakageError(f"{', '.join(leaked)} is only known after departure ...")``
         — the message must name *every* leaked column.
      3. Otherwise return ``None``.
    """
    # TODO: your code here
    raise NotImplementedError("check_no_leakage")


def past_delay_rate(
    flights: pd.DataFrame,
    by: Sequence[str],
    window_days: int | None = None,
    smoothing: float = 20.0,
) -> pd.Series:
    """For every flight, the delay rate of its group (``by``) on strictly *earlier* days.

    Only labelled flights (``is_delayed`` not missing) of days before the flight's own date
    count: all earlier days when ``window_days`` is None, else only the ``window_days`` days
    just before it (``window_days=1`` is "yesterday"). The rate is shrunk towards the overall
    rate of the same days so that a group with 2 flights does not get 0 % or 100 %::

        (delayed_before + smoothing * overall_rate_before) / (flights_before + smoothing)

    ``by=[]`` gives the overall rate. Flights with no earlier labelled flight at all get NaN.
    Returns a float Series aligned with ``flights.index``. Needs ``year``, ``month``, ``day``,
    ``is_delayed`` and the ``by`` columns; the input is not modified.

    Steps:
      1. Work on a new frame: the date (``pd.to_datetime(flights[["year", "month", "day"]])``),
         ``known = is_delayed.notna()``, ``late = is_delayed.fillna(False)`` and the keys.
      2. Count per (keys, date): ``flights = known.sum()``, ``delayed = late.sum()``.
      3. Per group, in date order, the counts of *earlier* days only:
         all history: ``cumsum()`` minus the day's own counts;
         a window: ``.rolling(f"{window_days}D", closed="left").sum()`` on a date index
         (``closed="left"`` leaves the day itself out).
      4. Do steps 2-3 again with no key (one group) for the overall rate ``delayed / flights``.
      5. Merge the counts back onto every flight by (keys, date), apply the formula above, and
         return ``pd.Series(values, index=flights.index)``.
    """
    # TODO: your code here
    raise NotImplementedError("past_delay_rate")
