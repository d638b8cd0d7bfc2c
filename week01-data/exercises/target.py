"""Exercise 3 — the label, defined once.

A flight is *delayed* when it arrives more than 15 minutes late (the FAA's definition). A flight
that never arrived (cancelled or diverted) has no arrival delay: its label is *unknown*, not
"on time"; calling it on time would teach a model that the worst days are the best ones.

Check your work with ``uv run course grade week01``; stuck? ``uv run course hint week01
is_delayed`` gives one hint step at a time. The reference solution lives in
``week01_data/target.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd

DELAY_THRESHOLD_MINUTES = 15


def is_delayed(arr_delay: pd.Series) -> pd.Series:
    """The label: was each flight more than ``DELAY_THRESHOLD_MINUTES`` (15) minutes late?

    >>> is_delayed(pd.Series([16.0, 15.0, float("nan")])).tolist()
    [True, False, <NA>]

    Args:
        arr_delay: minutes late at arrival (negative when early), NaN when the flight never
            arrived.

    Returns:
        A Series of pandas' nullable ``"boolean"`` dtype named ``"is_delayed"``, on the input's
        index: ``True`` when the delay is strictly more than 15 minutes (``15.5`` is delayed,
        ``15.0`` is not), ``False`` otherwise, and ``<NA>`` where ``arr_delay`` is missing.

    Raises:
        Nothing of its own.

    Invariants (checked):
        - A missing delay is never ``False``: unknown stays unknown.
        - On the whole of 2013: 327,346 flights have a label and 77,630 of them are delayed.
    """
    # TODO: your code here
    raise NotImplementedError("is_delayed")
