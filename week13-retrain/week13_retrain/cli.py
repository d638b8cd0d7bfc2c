"""``python -m week13_retrain --help``: plan a test, run the A/A simulation, simulate the
retraining policy over real days, roll the champion back."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import replace
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from week13_retrain.challenger import WindowKind
from week13_retrain.planning import plan_test, proportion_effect
from week13_retrain.settings import Policy, Settings

app = typer.Typer(help="Weeks 13-14: when and how to replace a model.", no_args_is_help=True)
console = Console(width=140)
log = logging.getLogger(__name__)


def _logging() -> None:
    # logs go through rich so they do not break the progress bar
    logging.basicConfig(
        level=logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
        force=True,
    )
    for noisy in ("mlflow", "alembic", "urllib3", "week03_ml", "week06_mlflow", "week03_ml.split"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    )


def _show(frame: pd.DataFrame, title: str) -> None:
    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column))
    for record in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in record))
    console.print(table)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.4f}" if abs(value) >= 1e-3 else f"{value:.2g}"
    return str(value)


def markdown(frame: pd.DataFrame) -> str:
    """``frame`` as a GitHub Markdown table (what the README holds), numbers as :func:`_cell`."""
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |"]
    lines.append("|" + "---|" * len(frame.columns))
    for record in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in record) + " |")
    return "\n".join(lines)


@app.command()
def plan(
    baseline: Annotated[float, typer.Option(help="champion's error rate")] = 0.19,
    target: Annotated[float, typer.Option(help="error rate worth detecting")] = 0.18,
    log_loss_delta: Annotated[float, typer.Option(help="log-loss gain worth detecting")] = 0.01,
    log_loss_sd: Annotated[float, typer.Option(help="sd of the per-flight log loss")] = 0.5,
) -> None:
    """Flights and days a test needs, at 50/50 and 80/20, for both metrics."""
    for share in (0.5, 0.2):
        for metric, effect in (
            (f"error rate {baseline:.0%} -> {target:.0%}", proportion_effect(baseline, target)),
            (f"log loss -{log_loss_delta}", log_loss_delta / log_loss_sd),
        ):
            console.print(f"share {share:.0%}: " + plan_test(metric, effect, share=share).line)


@app.command()
def aa(
    experiments: Annotated[int, typer.Option(min=10)] = 400,
    days: Annotated[int, typer.Option(min=2)] = 42,
    tau: Annotated[float, typer.Option(min=1e-6)] = 0.02,
    seed: int = 0,
) -> None:
    """The A/A simulation on real per-flight log losses (a champion on September 2013):
    false-positive rates of the daily-peeked z-test and of the mSPRT."""
    _logging()
    from week13_retrain.aa import simulate_aa

    values = _real_log_losses()
    with _progress() as progress:
        task = progress.add_task("A/A experiments", total=experiments)
        result = simulate_aa(
            values, experiments=experiments, days=days, tau=tau, seed=seed,
            on_experiment=lambda _: progress.advance(task),
        )  # fmt: skip
    for name, rate in (
        ("z-test, looked at daily", result.z_peeked),
        ("z-test, once at the end", result.z_once),
        ("mSPRT, looked at daily", result.msprt),
    ):
        se = result.standard_error(rate)
        console.print(f"{name:26} false positives {rate:.3f} ± {1.96 * se:.3f} (nominal 0.05)")


def _real_log_losses() -> np.ndarray:
    from week01_data.target import TARGET, labelled
    from week03_ml.train import load_flights
    from week05_ml_api.sample import demo_model
    from week11_monitoring.monitor import load_champion, score
    from week13_retrain.sequential import log_loss_per_flight

    champion = load_champion(demo_model())
    september = score(labelled(load_flights([9])), champion)
    return log_loss_per_flight(september[TARGET], september["prediction"])


@app.command()
def simulate(
    start: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"])] = dt.datetime(
        2013, 9, 1
    ),
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"])] = dt.datetime(
        2013, 12, 31
    ),
    window: Annotated[str, typer.Option(help="rolling or expanding")] = "rolling",
    train_weeks: Annotated[int, typer.Option(min=1)] = 8,
    markdown_out: Annotated[bool, typer.Option("--markdown", help="print README tables")] = False,
) -> None:
    """Run the retraining policy over real days (offline route) and print its decisions and
    the months against the never-retrained champion."""
    _logging()
    from week01_data.target import labelled
    from week03_ml.train import load_flights
    from week13_retrain.simulate import simulate as run

    if window not in ("rolling", "expanding"):
        raise typer.BadParameter(f"window must be rolling or expanding, got {window!r}")
    kind: WindowKind = "rolling" if window == "rolling" else "expanding"
    settings = Settings()
    policy = replace(Policy(), window=kind, train_weeks=train_weeks)
    store = settings.out_dir / f"simulation-{window}"
    shutil.rmtree(store, ignore_errors=True)  # a fresh registry: the run is reproducible
    flights = labelled(load_flights())
    first, last = start.date(), end.date()
    with _progress() as progress:
        task = progress.add_task("days", total=(last - first).days + 1)
        result = run(
            flights, first, last, policy, store=store, model_name=settings.model_name,
            on_day=lambda _: progress.advance(task),
        )  # fmt: skip
    retrains = result.retrains
    months = result.months
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    retrains.to_csv(settings.out_dir / f"retrains-{window}.csv", index=False)
    months.to_csv(settings.out_dir / f"months-{window}.csv", index=False)
    _show(retrains, f"retrains ({window} window)")
    _show(months, "policy against the never-retrained champion, per month")
    if markdown_out:
        console.print(markdown(retrains), soft_wrap=True)
        console.print(markdown(months), soft_wrap=True)


@app.command()
def rollback(
    name: Annotated[str | None, typer.Option(help="registered model (default: settings)")] = None,
) -> None:
    """Make ``previous`` the champion again (the current one becomes ``previous``); then
    ``POST /admin/reload`` makes the running service follow."""
    _logging()
    from week13_retrain.aliases import mlflow_client
    from week13_retrain.aliases import rollback as roll

    settings = Settings()
    model = name or settings.model_name
    old, new = roll(mlflow_client(settings.tracking_uri), model)
    log.info("rolled %s back: champion %s -> %s", model, old, new)
    console.print(f"{model}: champion {old} -> {new} (version {old} is now 'previous')")
