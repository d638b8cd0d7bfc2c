"""``python -m week11_monitoring --help``: monitor the champion window by window; read what
the service logged and what Prometheus scraped; write a Prometheus config for this machine;
open Evidently's UI.

An expected problem (no champion yet, months or a day outside 2013, a window inside the
champion's training window, no prediction log, no Prometheus answering, no workspace yet)
raises :class:`~course.cli_support.CourseError`: one line naming the cause and the command
that fixes it, exit code 2. A traceback means a bug.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import httpx
import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from course.cli_support import CourseError, setup_logging
from week11_monitoring.monitor import (
    COLUMNS,
    Champion,
    WindowResult,
    load_champion,
    monitor_windows,
    score,
)
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
console = Console()
log = logging.getLogger(__name__)

#: the table's columns as the README shows them (the rest is in report.csv)
SHOWN = ("window", "flights", "drift_share", "drifted", "top_drifted", "prediction_drift",
         "mean_predicted", "observed_rate", "labelled", "roc_auc", "brier", "precision",
         "recall")  # fmt: skip
#: the terminal shows them as two tables (drift, then quality), readable at 80 columns
DRIFT_SHOWN = SHOWN[:7]
QUALITY_SHOWN = ("window", *SHOWN[7:])
#: short headers for the terminal (report.csv and report.md keep the full names)
HEADERS = {
    "drift_share": "drift\nshare",
    "top_drifted": "top drifted",
    "prediction_drift": "pred.\ndrift",
    "mean_predicted": "mean\npred.",
    "observed_rate": "observed\nrate",
    "roc_auc": "roc\nauc",
}
LOG_HEADERS = {
    "model_version": "model version",
    "predictions": "flights",
    "mean_probability": "mean\nprobability",
    "delayed_share": "delayed\nshare",
    "first": "first (UTC)",
    "last": "last (UTC)",
}
#: Evidently's UI defaults to port 8000, which is week 5's API's: the week opens it here
UI_PORT = 8001
#: what the data covers: months and report days must fall in it
FIRST_DAY, LAST_DAY = dt.date(2013, 1, 1), dt.date(2013, 12, 31)
REPORT_EXAMPLE = "uv run python -m week11_monitoring report --from 2013-07 --to 2013-12"
TRAIN_CHAMPION = "uv run python -m week03_ml train"


def _logging() -> None:
    # through rich, so log lines do not break the progress bar; httpx logs a line per query
    setup_logging(console, quiet=("httpx",))


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value)


def markdown_table(table: pd.DataFrame, columns: tuple[str, ...] = SHOWN) -> str:
    """The report table in Markdown (what the README shows)."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in table.iterrows():
        lines.append("| " + " | ".join(_text(row[c]) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _rich_table(table: pd.DataFrame, title: str, columns: Sequence[str] = SHOWN) -> Table:
    """The table for a terminal, readable at 80 columns: short headers on two lines, numbers
    kept whole, the list of drifted columns wrapped; no column is ever dropped."""
    shown = Table(title=title, title_justify="left")
    for column in columns:
        wraps = column == "top_drifted"
        shown.add_column(
            HEADERS.get(column, column),
            justify="left" if column in ("window", "top_drifted") else "right",
            overflow="fold",
            no_wrap=not wraps,
        )
    for _, row in table.iterrows():
        shown.add_row(*(_text(row[c]) for c in columns))
    return shown


def _check_months(windows: Sequence[Window], start: str, end: str) -> None:
    if not all(FIRST_DAY <= w.start <= LAST_DAY for w in windows):
        raise CourseError(
            f"--from {start} --to {end} reaches outside 2013: the flight data covers 2013 only",
            fix=REPORT_EXAMPLE,
        )


def _check_as_of(day: dt.date | None, windows: Sequence[Window]) -> None:
    if day is None:
        return
    if not FIRST_DAY < day <= LAST_DAY + dt.timedelta(days=1):
        raise CourseError(
            f"--as-of {day} is outside 2013 (a report day runs from 2013-01-02 to 2014-01-01)",
            fix=f"{REPORT_EXAMPLE} --as-of 2013-10-08",
        )
    if day <= windows[0].start:
        raise CourseError(
            f"--as-of {day} is not after the first window's start {windows[0].start}: "
            "none of its flights had happened",
            fix=f"--as-of a day after {windows[0].start}, or an earlier --from",
        )


def _registry_exists() -> None:
    """Refuse a ``models:/`` champion when MLflow's local store does not exist, before MLflow
    creates an empty one in the current folder."""
    import mlflow

    uri = mlflow.get_tracking_uri()
    if uri.startswith("sqlite:///") and not Path(uri.removeprefix("sqlite:///")).exists():
        raise CourseError(
            f"no model registry at {uri} (set MLFLOW_TRACKING_URI to week 6's store)",
            fix="uv run python -m week06_mlflow train, or --model artifacts/week03",
        )


def _champion(source: str) -> Champion:
    """The champion, or one line saying how to get one."""
    if source.startswith("models:/"):
        from mlflow.exceptions import MlflowException

        _registry_exists()
        try:
            return load_champion(source)
        except (LookupError, MlflowException) as exc:
            raise CourseError(
                f"no model {source} in the registry: {str(exc).splitlines()[0]}",
                fix="uv run python -m week06_mlflow promote, or --model artifacts/week03",
            ) from exc
    if not Path(source).is_dir():
        raise CourseError(f"no champion model folder at {source}", fix=TRAIN_CHAMPION)
    try:
        return load_champion(source)
    except FileNotFoundError as exc:
        raise CourseError(f"{source} holds no saved model: {exc}", fix=TRAIN_CHAMPION) from exc


def _check_training_window(windows: Sequence[Window], champion: Champion) -> None:
    last = dt.date.fromisoformat(champion.metadata["training_window"][1])
    if windows[0].start <= last:
        after = last + dt.timedelta(days=1)
        month = after if after.day == 1 else (after.replace(day=28) + dt.timedelta(days=4))
        raise CourseError(
            f"window {windows[0].name} starts inside the champion's training window (up to "
            f"{last}): monitor only later days",
            fix=f"--from {month:%Y-%m}",
        )


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
    _check_months(windows, start, end)
    _check_as_of(day, windows)
    out = out or settings.out_dir
    source = model or settings.model
    with console.status(f"Loading the champion ({source}) and the flights"):
        champion = _champion(source)
        _check_training_window(windows, champion)
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
    title = f"Champion {champion.version}, windows {start} to {end}"
    console.print(_rich_table(table, f"{title}: drift", DRIFT_SHOWN))
    console.print(_rich_table(table, f"{title}: quality on the known outcomes", QUALITY_SHOWN))
    states = load_states(state) if state else {}
    alerts, states = evaluate_alerts(table, rules_from(settings), states, champion.version)
    if state:
        save_states(state, states)
    delivered = deliver(alerts, settings) if send else 0
    console.print(f"{len(alerts)} alert event(s), {delivered} delivered; reports in {out}")
    if snapshots:
        console.print(
            f"Evidently's UI on port {UI_PORT} (8000 is week 5's API): "
            f"uv run python -m week11_monitoring ui --workspace {out / 'workspace'}",
            soft_wrap=True,
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
        str | None,
        typer.Option(help="Prometheus URL to ask too, e.g. http://127.0.0.1:9090 (default: none)"),
    ] = None,
) -> None:
    """What the service predicted (its prediction log), and what Prometheus recorded."""
    _logging()
    from week11_monitoring.service import prediction_summary, scalar

    if not log_dir.is_dir():
        raise CourseError(
            f"no prediction log folder at {log_dir}",
            fix=f"start the API with WEEK05_PREDICTION_LOG={log_dir} "
            "uv run python -m week05_ml_api serve",
        )
    summary = prediction_summary(log_dir)
    shown = Table(title=f"Prediction log {log_dir}", title_justify="left")
    for column in ("model_version", *summary.columns):
        numbers = column in ("predictions", "mean_probability", "delayed_share")
        shown.add_column(
            LOG_HEADERS.get(column, column),
            justify="right" if numbers else "left",
            overflow="fold",
            no_wrap=numbers,
            min_width=12 if column == "model_version" else None,
        )
    for version, row in summary.iterrows():
        shown.add_row(str(version), *(_text(v) for v in row))
    console.print(shown)
    if summary.empty:
        console.print(f"no prediction logged in {log_dir} yet: send the API some requests")
    if prometheus:
        for name, promql in {
            "flights predicted": "sum(week05_predictions_total)",
            "mean prediction (30 min)": "week05:prediction_mean:ratio_rate30m",
            "5xx share (5 min)": "week05:request_errors:ratio_rate5m",
            "p99 latency of /predict* (5 min)": "week05:predict_latency_seconds:p99_5m",
            "model ready": "min(week05_model_ready)",
        }.items():
            try:
                value = scalar(prometheus, promql)
            except httpx.TransportError as exc:
                raise CourseError(
                    f"no Prometheus answers at {prometheus} ({type(exc).__name__})",
                    fix="uv run python -m week11_monitoring prometheus-config, then start "
                    "prometheus with the command it prints",
                ) from exc
            console.print(f"{name}: {value}")


@app.command("prometheus-config")
def prometheus_config_command(
    target: Annotated[
        list[str] | None,
        typer.Option(help="host:port of week 5's API to scrape (repeat for more)"),
    ] = None,
    out: Annotated[Path, typer.Option(help="the file to write")] = Path(
        "artifacts/week11/prometheus.yml"
    ),
    scrape_interval: Annotated[str, typer.Option(help="how often to scrape")] = "15s",
) -> None:
    """Write a prometheus.yml for Debian's prometheus on this machine (no Docker): it scrapes
    week 5's API on 127.0.0.1:8000 and loads the week's alerting rules, monitoring/alerts.yml.
    """
    from week11_monitoring.service import prometheus_config

    if out.is_dir():
        raise CourseError(
            f"--out {out} is a folder, not a file to write",
            fix=f"--out {out / 'prometheus.yml'}",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    targets = target or ["127.0.0.1:8000"]
    out.write_text(prometheus_config(targets, scrape_interval=scrape_interval), encoding="utf-8")
    console.print(f"wrote {out} (scrapes {', '.join(targets)}); start Prometheus with:")
    console.print(
        f"  prometheus --config.file={out} --storage.tsdb.path={out.parent / 'prometheus-data'} "
        "--web.listen-address=127.0.0.1:9090",
        soft_wrap=True,
    )


@app.command()
def ui(
    workspace: Annotated[
        Path | None,
        typer.Option(help="the report's Evidently workspace [$WEEK11_OUT_DIR/workspace]"),
    ] = None,
    port: Annotated[
        int, typer.Option(help="port of the UI (not 8000: week 5's API uses it)")
    ] = UI_PORT,
    host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
) -> None:
    """Evidently's UI on the report's workspace, on http://127.0.0.1:8001 (Ctrl-C stops it)."""
    folder = workspace or Settings().out_dir / "workspace"
    if not folder.is_dir():
        raise CourseError(f"no Evidently workspace at {folder}", fix=REPORT_EXAMPLE)
    command = [sys.executable, "-m", "evidently.cli", "ui", "--workspace", str(folder)]
    console.print(f"Evidently's UI on http://{host}:{port} (Ctrl-C stops it)")
    done = subprocess.run([*command, "--host", host, "--port", str(port)], check=False)
    if done.returncode:
        raise typer.Exit(done.returncode)
