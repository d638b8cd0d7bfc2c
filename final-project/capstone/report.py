"""A run's three outputs: ``results.json`` (everything, for machines), ``results.md`` (the
tables the README embeds) and ``report.html`` (one self-contained page with the plots).

Every number in them comes from the run; nothing is typed in by hand.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

#: fields that differ between two runs of the same seed (the clock, the machine)
UNSTABLE = ("timings", "latency")


def _clean(value: Any) -> Any:
    """JSON-safe: NaN -> None, numpy numbers -> Python, dates -> ISO text."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA:
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [_clean(row) for row in frame.to_dict(orient="records")]


def write_json(results: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(_clean(results), indent=2) + "\n", encoding="utf-8")
    return path


def stable(results: dict[str, Any]) -> dict[str, Any]:
    """``results`` without what the clock decides: equal for two runs of one seed."""
    out = {k: v for k, v in results.items() if k not in UNSTABLE}
    out["service"] = {k: v for k, v in results["service"].items() if k not in UNSTABLE}
    return out


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "/")


def _percent(value: float | None) -> str:
    return "" if value is None or math.isnan(value) else f"{100 * value:.1f} %"


def _small(value: float | None) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.1e}"


def table(rows: list[dict[str, Any]], columns: dict[str, str]) -> str:
    """A Markdown table of ``rows`` with ``columns`` (key -> header)."""
    lines = [
        "| " + " | ".join(columns.values()) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row.get(k)) for k in columns) + " |")
    return "\n".join(lines)


MONTH_COLUMNS = {
    "month": "month",
    "flights": "flights",
    "observed": "delay rate",
    "policy_auc": "policy AUC",
    "static_auc": "static AUC",
    "auc_gain": "AUC gain",
    "policy_log_loss": "policy log loss",
    "static_log_loss": "static log loss",
    "log_loss_gain": "log loss gain",
    "champions": "champion",
}
DECISION_COLUMNS = {
    "day": "day",
    "kind": "step",
    "version": "version",
    "decision": "decision",
    "reason": "reason",
}


def markdown(results: dict[str, Any]) -> str:
    """``results.md``: the summary, the months, the decisions, the live service."""
    s, first, service = results["summary"], results["first_champion"], results["service"]
    lat = service["latency"]
    total = results["timings"].get("total_s")
    took = f", {total:.0f} s on this machine" if total else ""
    lines = [
        f"Run `{results['command']}`: {results['days']} days from {results['from']} to "
        f"{results['to']}, seed {results['seed']}, {results['flights_served']:,} flights "
        f"served{took}.",
        "",
        table(
            [
                {
                    "what": "ROC-AUC",
                    "valid": first["valid_auc"],
                    "static": s["static_auc"],
                    "policy": s["policy_auc"],
                    "recovered": _percent(s["recovered_auc"]),
                },
                {
                    "what": "log loss",
                    "valid": first["valid_log_loss"],
                    "static": s["static_log_loss"],
                    "policy": s["policy_log_loss"],
                    "recovered": _percent(s["recovered_log_loss"]),
                },
            ],
            {
                "what": "all served flights",
                "valid": "first champion on validation",
                "static": "never retrained",
                "policy": "retraining policy",
                "recovered": "share of the loss recovered",
            },
        ),
        "",
        table(results["months"], MONTH_COLUMNS),
        "",
        table(results["decisions"], DECISION_COLUMNS),
        "",
        table(
            [
                {
                    **{k: service[k] for k in ("requests", "ok", "same_arm", "same_version")},
                    "diff": _small(service["max_abs_probability_difference"]),
                    "p50": f"{lat['p50_ms']:.1f}",
                    "p99": f"{lat['p99_ms']:.1f}",
                }
            ],
            {
                "requests": "live requests",
                "ok": "answered",
                "same_arm": "same arm",
                "same_version": "same version",
                "diff": "largest difference, API vs record",
                "p50": "p50 ms",
                "p99": "p99 ms",
            },
        ),
    ]
    return "\n".join(lines) + "\n"


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    return buffer.getvalue()


def figures(results: dict[str, Any]) -> dict[str, bytes]:
    """Each plot of the report as PNG bytes, by title."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    months = pd.DataFrame(results["months"])
    names = [dt.date(2013, int(m), 1).strftime("%b") for m in months["month"]]
    out: dict[str, bytes] = {}

    def by_month(axis: Any) -> None:
        axis.set_xticks(months["month"], names)

    def by_date(axis: Any) -> None:
        axis.xaxis.set_major_locator(mdates.MonthLocator())
        axis.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))

    fig, (auc, loss) = plt.subplots(1, 2, figsize=(10, 3.6))
    for axis, metric, label in ((auc, "auc", "ROC-AUC"), (loss, "log_loss", "log loss")):
        axis.plot(months["month"], months[f"policy_{metric}"], "o-", label="retraining policy")
        axis.plot(months["month"], months[f"static_{metric}"], "s--", label="never retrained")
        axis.axhline(
            results["first_champion"][f"valid_{metric}"],
            color="grey",
            lw=0.8,
            ls=":",
            label="first champion, validation",
        )
        axis.set(title=f"{label} by month")
        by_month(axis)
    auc.legend(fontsize=8)
    out["Quality by month: the policy against never retraining"] = _png(fig)

    looks = pd.DataFrame(results["monitoring"])
    fig, axis = plt.subplots(figsize=(10, 3.2))
    if not looks.empty:
        days = pd.to_datetime(looks["day"]).to_numpy()
        axis.plot(days, looks["drift_share"], "o-", label="drift share (7 days vs training)")
        axis.plot(days, looks["auc_drop"], "^-", label="ROC-AUC drop (labels known)")
        rules = results["alert_rules"]
        axis.axhline(rules["drift_fire_at"], color="red", lw=0.8, ls="--", label="drift fires")
        axis.axhline(
            rules["drift_clear_below"], color="green", lw=0.8, ls=":", label="drift clears"
        )
        for day, trigger in zip(days, looks["trigger"], strict=True):
            if trigger:
                axis.axvline(day, color="orange", alpha=0.4)  # type: ignore[arg-type]
    axis.set(title="Monitoring looks (orange: a trigger retrained)", ylabel="share / drop")
    by_date(axis)
    axis.legend(fontsize=8)
    out["Drift and quality at each monitoring look"] = _png(fig)

    fig, axis = plt.subplots(figsize=(10, 3.2))
    for column, style, label in (
        ("observed", "ko-", "observed"), ("policy_predicted", "o--", "served (policy)"),
        ("static_predicted", "s:", "never retrained"),
        ("batch_predicted", "^-.", "nightly batch (weather unknown)"),
    ):  # fmt: skip
        if column in months:
            axis.plot(months["month"], months[column], style, label=label)
    axis.set(title="Delay rate: predicted against observed")
    by_month(axis)
    axis.legend(fontsize=8)
    out["Delay rate predicted and observed"] = _png(fig)

    tests = [t for t in results["ab_tests"] if t.get("n_champion")]
    fig, axis = plt.subplots(figsize=(10, 3.0))
    if tests:
        names = [f"v{t['version']} from {t['day']}" for t in tests]
        deltas = [t["delta_log_loss"] or 0.0 for t in tests]
        bars = axis.barh(names, deltas, color=["tab:green" if d < 0 else "tab:red" for d in deltas])
        for bar, t in zip(bars, tests, strict=True):
            axis.annotate(
                f"  {t['n_champion']:,} / {t['n_challenger']:,} flights, p = {t['p_value']:.3f},"
                f" {t['decision']}",
                (0, bar.get_y() + bar.get_height() / 2),
                va="center",
                fontsize=8,
            )
        axis.axvline(0, color="black", lw=0.8)
    axis.set(
        title="A/B tests: challenger minus champion, live log loss per flight",
        xlabel="log loss difference (negative: challenger better)",
    )
    out["A/B tests"] = _png(fig)

    timeline = pd.DataFrame(results["timeline"])
    fig, axis = plt.subplots(figsize=(10, 2.8))
    if not timeline.empty:
        when = pd.to_datetime(timeline["day"]).to_numpy()
        version = timeline["champion"].astype(int).to_numpy()
        axis.step(when, version, where="post", label="champion version")
        testing = (timeline["challenger"].astype(str).str.len() > 0).to_numpy()
        axis.fill_between(
            when,
            0,
            version.max() + 1,
            where=testing,
            step="post",
            alpha=0.15,
            label="A/B test running",
        )
        alerting = (timeline["alerts"].map(len) > 0).to_numpy()
        axis.plot(when[alerting], [0.5] * int(alerting.sum()), "r|", ms=12, label="alert firing")
    axis.set(title="Timeline: champion, tests and alerts", ylabel="version")
    by_date(axis)
    axis.legend(fontsize=8, loc="upper left")
    out["Timeline"] = _png(fig)
    return out


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }
td:last-child { text-align: left; }
img { max-width: 100%; }
"""


#: the file name of each plot in ``plots/`` (the README shows them), in figures() order
PLOT_FILES = ("quality", "monitoring", "delay-rate", "ab-tests", "timeline")


def page(results: dict[str, Any], plots: dict[str, bytes]) -> str:
    """``report.html``: one file, the plots inlined, the tables of ``results.md``."""
    from markdown_it import MarkdownIt

    tables = MarkdownIt("commonmark").enable("table").render(markdown(results))
    inlined = "\n".join(
        f'<h2>{html.escape(title)}</h2>\n<img alt="{html.escape(title)}" '
        f'src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}">'
        for title, data in plots.items()
    )
    title = f"Production, {results['from']} to {results['to']}"
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>\n"
        f"<h1>{html.escape(title)}</h1>\n{inlined}\n<h2>Tables</h2>\n{tables}</body></html>\n"
    )


def write_all(results: dict[str, Any], out: Path) -> dict[str, Path]:
    """The three outputs in ``out``, and each plot as ``plots/<name>.png``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": write_json(results, out / "results.json"),
        "md": out / "results.md",
        "html": out / "report.html",
    }
    clean = _clean(results)
    plots = figures(clean)
    paths["md"].write_text(markdown(clean), encoding="utf-8")
    paths["html"].write_text(page(clean, plots), encoding="utf-8")
    (out / "plots").mkdir(exist_ok=True)
    for name, data in zip(PLOT_FILES, plots.values(), strict=True):
        (out / "plots" / f"{name}.png").write_bytes(data)
    return paths
