"""Exercise 3 — the label, defined once.

A flight is *delayed* when it arrives more than 15 minutes late. A flight that never arrived
(cancelled or diverted) has no arrival delay: its label is *unknown*, not "on time".
"""

from __future__ import annotations

import pandas as pd

DELAY_THRESHOLD_MINUTES = 15


def is_delayed(arr_delay: pd.Series) -> pd.Series:
    """``arr_delay > 15`` as a nullable boolean Series: True, False, or <NA> when unknown.

    >>> is_delayed(pd.Series([16.0, 15.0, float("nan")])).tolist()
    [True, False, <NA>]

    Steps:
      1. Compare with ``DELAY_THRESHOLD_MINUTES`` (strictly more than).
      2. Convert to pandas' nullable ``"boolean"`` dtype.
      3. Careful: ``NaN > 15`` is ``False``. Put ``pd.NA`` back where ``arr_delay`` is missing.
      4. Name the result ``"is_delayed"``.
    """
    # TODO: your code here
    raise NotImplementedError("is_delayed")
