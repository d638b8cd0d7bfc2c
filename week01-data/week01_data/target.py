"""The label, defined once for the whole course.

A flight is *delayed* when it arrives more than 15 minutes after its scheduled arrival (the FAA's
definition). A flight that never arrived (cancelled or diverted) has no arrival delay, so its
label is *unknown*, not "on time": treating it as on time would teach the model that the worst
days are the best ones.
"""

from __future__ import annotations

import pandas as pd

#: Minutes late at arrival beyond which a flight counts as delayed (strictly more than).
DELAY_THRESHOLD_MINUTES = 15

TARGET = "is_delayed"


def is_delayed(arr_delay: pd.Series) -> pd.Series:
    """``arr_delay > 15`` as a nullable boolean Series: True, False, or <NA> when unknown.

    >>> is_delayed(pd.Series([16.0, 15.0, float("nan")])).tolist()
    [True, False, <NA>]
    """
    delayed = (arr_delay > DELAY_THRESHOLD_MINUTES).astype("boolean")
    # NaN > 15 is False: mask puts <NA> back where the delay is unknown.
    return delayed.mask(arr_delay.isna()).rename(TARGET)


def add_target(flights: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``flights`` with the ``is_delayed`` column."""
    out = flights.copy()
    out[TARGET] = is_delayed(out["arr_delay"])
    return out


def labelled(flights: pd.DataFrame) -> pd.DataFrame:
    """Only the flights whose label is known (what a model can learn from)."""
    if TARGET not in flights.columns:
        flights = add_target(flights)
    return flights[flights[TARGET].notna()].assign(**{TARGET: lambda f: f[TARGET].astype(bool)})
