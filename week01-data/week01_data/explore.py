"""Numbers and plots for exploring the data: delay rates by group, and what is missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from week01_data.target import TARGET

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def delay_rate_by(flights: pd.DataFrame, by: str | list[str], min_flights: int = 1) -> pd.DataFrame:
    """Share of delayed flights per group, among the flights whose label is known.

    Returns one row per group (the group columns, then ``flights`` and ``delayed`` as integer
    counts, and ``delay_rate``), sorted by the group keys and numbered 0, 1, ...; groups with
    fewer than ``min_flights`` labelled flights are left out (their rate would be noise), and a
    group without any labelled flight never has a row, whatever ``min_flights`` (nor does an
    unused category of a categorical key). Raises ``ValueError`` naming ``is_delayed`` when
    ``flights`` has no such column.
    """
    if TARGET not in flights.columns:
        raise ValueError(f"flights needs a {TARGET!r} column: call week01_data.target.add_target")
    keys = [by] if isinstance(by, str) else list(by)
    known = flights[flights[TARGET].notna()]
    grouped = known.groupby(keys, observed=True)[TARGET]
    out = pd.DataFrame(
        {"flights": grouped.size(), "delayed": grouped.sum().astype("int64")}
    ).reset_index()
    out["delay_rate"] = out["delayed"] / out["flights"]
    return out[out["flights"] >= min_flights].sort_values(keys, ignore_index=True)


def missing_report(table: pd.DataFrame) -> pd.DataFrame:
    """Missing values per column (``missing``, ``share``), most-missing first, complete ones out."""
    missing = table.isna().sum()
    report = pd.DataFrame({"missing": missing, "share": missing / max(len(table), 1)})
    report = report[report["missing"] > 0].sort_values("missing", ascending=False)
    return report.rename_axis("column").reset_index()


def plot_delay_rate(rates: pd.DataFrame, x: str, ax: Axes | None = None, title: str = "") -> Axes:
    """A bar chart of ``delay_rate`` by ``x`` from :func:`delay_rate_by`, with the overall rate."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3))
    ax.bar(rates[x].astype(str), rates["delay_rate"], color="tab:blue")
    overall = rates["delayed"].sum() / rates["flights"].sum()
    ax.axhline(overall, color="tab:red", linestyle="--", label=f"all flights: {overall:.0%}")
    ax.set_ylabel("share delayed > 15 min")
    ax.set_xlabel(x)
    ax.set_title(title or f"Delay rate by {x}")
    ax.legend(loc="best")
    return ax
