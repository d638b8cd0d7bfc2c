"""Exercises 2 and 3 — the leakage guard, and a delay rate computed only from the past.

A model predicts at *scheduled* departure, so it may only see what is known then: never a column
measured after the plane left, and never a statistic that includes the same day's or later
days' outcomes.

Check your work with ``uv run course grade week03``; stuck? Run
``uv run course hint week03 EXERCISE`` (``check_no_leakage``, ``past_delay_rate``) for one hint
step at a time. The reference solution lives in ``week03_ml/features.py``: look only once you
are done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from week03_ml.features import LEAKY_COLUMNS, LeakageError


def check_no_leakage(columns: Iterable[str]) -> None:
    """Refuse any column that is only known after departure (or is the label itself).

    The guard runs before every fit: one leaked column (``dep_delay``) makes a model look
    brilliant on paper and useless in service. When it fires, the user must see *every*
    offending column at once, not fix them one run at a time.

    Args:
        columns: column names, as any iterable: a list, a ``DataFrame.columns`` index or a
            generator (which can be read only once).

    Returns:
        ``None`` when no name is in :data:`LEAKY_COLUMNS`.

    Raises:
        LeakageError: (the class imported above, a ``ValueError``) when one or more names are
            in :data:`LEAKY_COLUMNS`. The message names every leaked column, each as a separate
            word (e.g. ``"dep_time, arr_delay is only known after departure ..."``); the
            wording around the names is yours.

    Invariants (checked):
        - Allowed columns (the week's ``FEATURES``, ``carrier``, ``precip``...) pass silently.
        - Each leaked name appears in the message, not glued to other text, whatever its
          position among the allowed ones.
        - A generator of names works as well as a list.
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

    At 08:00 the 18:00 flights have not landed, so a feature computed for a flight may use the
    outcomes of the days before its date, never its own day's and never later ones. A group
    seen twice would get 0 % or 100 %, so the rate is shrunk towards the overall rate.

    Args:
        flights: one row per flight with ``year``, ``month``, ``day`` (the local date),
            ``is_delayed`` (a nullable boolean: ``True``, ``False`` or ``<NA>`` for a flight
            with no outcome, e.g. cancelled) and the ``by`` columns. Rows may come in any order
            and carry any index.
        by: the columns that define a group (``["carrier"]``, ``["origin", "dest"]``); an empty
            list means one group holding every flight.
        window_days: ``None`` to use every earlier day; else only the ``window_days`` calendar
            days just before the flight's date (``1`` is "yesterday", ``2`` the two days before).
        smoothing: how many flights' worth of weight the overall rate gets.

    Returns:
        A ``float64`` Series with the input's index (same labels, same order), one value per
        flight::

            (delayed_before + smoothing * overall_rate_before) / (flights_before + smoothing)

        where ``flights_before`` and ``delayed_before`` count the group's *labelled* flights
        (``is_delayed`` not missing) and the delayed ones among them, on the earlier days the
        window allows, and ``overall_rate_before`` is delayed / labelled over *all* flights of
        those same days (the same window). Any other columns (and the Series name) do not
        matter.

    Raises:
        Nothing of its own (a missing column raises pandas' ``KeyError``).

    Invariants (checked):
        - Same-day flights never count: both flights of 2 January see 1 January only.
        - Later days never count: changing a label of 4 January changes no earlier day's value.
        - Groups are separate; flights with an unknown label count neither as late nor as on
          time (they still get a value themselves).
        - A flight with no earlier labelled flight in its window at all gets ``NaN`` (the first
          day, for example); with ``smoothing=0`` the value is the group's own rate, ``NaN``
          when the group has no earlier labelled flight; with ``smoothing > 0`` a group with no
          history gets the overall rate.
        - With ``window_days``, the overall rate uses the same window as the group's counts.
        - ``by=[]`` gives the overall rate of earlier days (for any smoothing).
        - ``flights`` itself is not modified (not sorted, no column added).
        - It scales: the course runs it on the whole year (336,776 flights), and a check gives
          it a real fortnight (about 12,000 flights) within the grader's 20 s per check, so
          work per group and per day, not flight by flight against every other flight.
    """
    # TODO: your code here
    raise NotImplementedError("past_delay_rate")
