"""``python -m week11_monitoring --help``: monitor the champion window by window; read what
the service logged and what Prometheus scraped."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from week11_monitoring.monitor import COLUMNS, WindowResult, load_champion, monitor_windows, score
from week11_monitoring.notify import (
    deliver,
    evaluate_alerts,
    load_states,
    rules_from,
    save_states,
)
from week11_monitoring.settings import Settings
from week11_monitoring.windows import Window, make_windows

app = typer.Typer(help="Weeks 11-12: is the model still right?", no_args_is_help=True)
console = Console(width=140)
log = logging.getLogger(__name__)

#: the table's columns as the README shows them (the rest is in report.csv)
SHOWN = ("window", "flights", "drift_share", "drifted", "top_drifted", "prediction_drift",
         "mean_predicted", "observed_rate", "labelled", "roc_auc", "brier", "precision",
         "recall")  # fmt: skip


def _logging() -> None:
    # logs go through rich so they do not break the progress bar
    logging.basicConfig(
        level=logging.INFO,
        format="%(message)s",
        force=True,
        handlers=[RichHandler(console=console, show_path=False)],
    )


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def markdown_table(table: pd.DataFrame, columns: tuple[str, ...] = SHOWN) -> str:
    """The report table in Markdown (what the README shows)."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in table.iterrows():
        lines.append("| " + " | ".join(_text(row[c]) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _rich_table(table: pd.DataFrame, title: str) -> Table:
    shown = Table(title=title, title_justify="left")
    for column in SHOWN:
        shown.add_column(column, justify="left" if column in ("window", "top_drifted") else "right")
    for _, row in table.iterrows():
        shown.add_row(*(_text(row[c]) for c in SHOWN))
    return shown


@app.command()
def report(
    start: Annotated[str, typer.Option("--from", help="first month, YYYY-MM")] = "2013-07",
    end: Annotated[str, typer.Option("--to", help="last month, YYYY-MM")] = "2013-12",
    every: Annotated[str, typer.Option(help="window length: month or week")] = "month",
    model: Annotated[
        str | None, typer.Option(help="model folder or models:/ URI [$WEEK11_MODEL]")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="output folder [$WEEK11_OUT_DIR]")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="report every window as of this day (YYYY-MM-DD); default: each "
            "window when it closes"
        ),
    ] = None,
    engine: Annotated[
        str, typer.Option(help="evidently (HTML reports, UI workspace) or fast (numbers only)")
    ] = "evidently",
    send: Annotated[bool, typer.Option(help="send the alerts the rules fire")] = True,
    state: Annotated[
        Path | None,
        typer.Option(help="alert state file kept between runs (default: a fresh state)"),
    ] = None,
) -> None:
    """Drift, prediction drift and quality of the champion for every window; HTML reports, a
    plot, the table (report.md, report.csv), and the alerts the rules fire."""
    _logging()
    settings = Settings()
    if every not in ("month", "week"):
        raise typer.BadParameter(f"--every must be month or week, got {every!r}")
    if engine not in ("evidently", "fast"):
        raise typer.BadParameter(f"--engine must be evidently or fast, got {engine!r}")
    try:
        windows = make_windows(start, end, every)  # type: ignore[arg-type]
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    out = out or settings.out_dir
    source = model or settings.model
    with console.status(f"Loading the champion ({source}) and the flights"):
        champion = load_champion(source)
        from week03_ml.train import load_flights

        flights = score(load_flights(), champion)
    log.info(
        "champion %s, trained on %s, expected AUC %.3f",
        champion.version,
        " to ".join(champion.metadata["training_window"]),
        champion.expected_auc,
    )
    snapshots: list[tuple[str, Any]] = []
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("Windows", total=len(windows))

        def done(window: Window, result: WindowResult) -> None:
            for kind, snapshot in result.snapshots.items():
                from week11_monitoring.reports import save_html

                save_html(snapshot, out / "reports" / f"{kind}-{window.name}.html")
                snapshots.append((f"{kind} {window.name}", snapshot))
            progress.update(task, advance=1, description=f"Window {window.name} done")

        table = monitor_windows(
            flights,
            champion,
            windows,
            as_of=day,
            label_delay_days=settings.label_delay_days,
            engine=engine,  # type: ignore[arg-type]
            on_window=done,
        )
    _write_outputs(table, out, champion.expected_auc)
    if snapshots:
        from week11_monitoring.reports import add_to_workspace

        add_to_workspace(out / "workspace", snapshots)
    console.print(_rich_table(table, f"Champion {champion.version}, windows {start} to {end}"))
    states = load_states(state) if state else {}
    alerts, states = evaluate_alerts(table, rules_from(settings), states, champion.version)
    if state:
        save_states(state, states)
    delivered = deliver(alerts, settings) if send else 0
    console.print(
        f"{len(alerts)} alert event(s), {delivered} delivered; reports in {out} "
        f"(evidently ui --workspace {out / 'workspace'})"
    )


def _write_outputs(table: pd.DataFrame, out: Path, expected_auc: float) -> None:
    from week11_monitoring.plots import save_plot

    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "report.csv", index=False, columns=list(COLUMNS))
    (out / "report.md").write_text(markdown_table(table), encoding="utf-8")
    save_plot(table, out / "windows.png", expected_auc)


@app.command()
def service(
    log_dir: Annotated[
        Path, typer.Option("--log", help="the service's WEEK05_PREDICTION_LOG folder")
    ],
    prometheus: Annotated[
        str | None, typer.Option(help="Prometheus URL to ask too [$WEEK11_PROMETHEUS_URL]")
    ] = None,
) -> None:
    """What the service predicted (its prediction log), and what Prometheus recorded."""
    _logging()
    from week11_monitoring.service import prediction_summary, scalar

    summary = prediction_summary(log_dir)
    shown = Table(title=f"Prediction log {log_dir}", title_justify="left")
    for column in ("model_version", *summary.columns):
        shown.add_column(str(column))
    for version, row in summary.iterrows():
        shown.add_row(str(version), *(_text(v) for v in row))
    console.print(shown)
    if prometheus:
        for name, promql in {
            "flights predicted": "sum(week05_predictions_total)",
            "mean prediction (30 min)": "week05:prediction_mean:ratio_rate30m",
            "5xx share (5 min)": "week05:request_errors:ratio_rate5m",
            "p99 latency of /predict* (5 min)": "week05:predict_latency_seconds:p99_5m",
            "model ready": "min(week05_model_ready)",
        }.items():
            console.print(f"{name}: {scalar(prometheus, promql)}")
