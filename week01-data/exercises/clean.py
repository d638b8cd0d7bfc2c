"""Exercises 1 and 2 — clock times, and what happened to each flight.

The raw flights store clock times as integers ``HHMM`` (``517`` is 05:17, ``2400`` the midnight
that ends the day), and no column says whether a flight was cancelled or diverted: both have to
be read from which values are missing. Every later week relies on these two readings.

Check your work with ``uv run course grade week01``; stuck? ``uv run course hint week01
hhmm_to_minutes`` (or ``flight_status``) gives one hint step at a time. The reference solution
lives in ``week01_data/clean.py``: look only once you are done.
"""

from __future__ import annotations

import pandas as pd


def hhmm_to_minutes(values: pd.Series) -> pd.Series:
    """Clock times stored as ``HHMM`` numbers -> minutes after midnight.

    A model cannot subtract 05:17 from 06:02 when both are stored as 517 and 602 (their
    difference, 85, is not 45 minutes), so every time becomes minutes after midnight first.

    Args:
        values: clock times as ``HHMM`` numbers (int or float dtype); NaN means "no time" (a
            flight that never left).

    Returns:
        A ``float64`` Series of minutes after midnight, with the input's index and name:
        ``517`` -> ``317.0``, ``0`` -> ``0.0``, ``2359`` -> ``1439.0``, and ``2400`` (the
        midnight that ends the day) -> ``1440.0``; NaN stays NaN. The input is left as it was.

    Raises:
        ValueError: when any time is impossible: below 0, above 2400, with minutes of 60 or
            more (``1260``, ``1275``), or not a whole number. The message names the FIRST
            impossible value (in the order of the Series) as a number, e.g. ``"dep_time must
            be a clock time HHMM between 0 and 2400, got 1275 (row 1)"``; the checks look for
            ``1275`` (or ``-5``, ``2401``...) in the message, so ``1275.0`` also passes.

    Invariants (checked):
        - ``minutes // 60`` and ``minutes % 60`` equal the raw ``hour`` and ``minute`` columns
          of the flights table for ``sched_dep_time``.
    """
    # TODO: your code here
    raise NotImplementedError("hhmm_to_minutes")


def flight_status(flights: pd.DataFrame) -> pd.Series:
    """What happened to each flight: ``"cancelled"``, ``"diverted"`` or ``"arrived"``.

    The label of week 1 (delayed or not) exists only for flights that arrived, so the three
    fates have to be told apart first, from the missing values alone.

    Args:
        flights: a frame with at least the columns ``dep_time`` and ``arr_delay`` (NaN where
            missing); any index.

    Returns:
        A categorical Series named ``status``, one value per row of ``flights``, with the same
        index labels in the same order:

        - ``"cancelled"``: no ``dep_time`` (the flight never left), whatever ``arr_delay`` says;
        - ``"diverted"``: a ``dep_time`` but no ``arr_delay`` (it left, never arrived);
        - ``"arrived"``: both present.

        Its categories are always exactly the three statuses, even when one does not occur
        (so ``value_counts`` shows a 0 rather than leaving it out). ``flights`` is left as it
        was.

    Raises:
        KeyError: when ``flights`` lacks ``dep_time`` or ``arr_delay`` (pandas' own error).

    Invariants (checked):
        - On the whole of 2013: 8,255 cancelled and 1,175 diverted flights.
    """
    # TODO: your code here
    raise NotImplementedError("flight_status")
