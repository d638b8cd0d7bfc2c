"""``python -m week13_retrain --help``: plan a test, run the A/A simulation, simulate the
retraining policy over real days, roll the champion back."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from course.cli_support import CourseError, setup_logging
from week13_retrain.challenger import WindowKind
from week13_retrain.planning import plan_test, proportion_effect
from week13_retrain.settings import Policy, Settings

app = typer.Typer(help="Weeks 13-14: when and how to replace a model.", no_args_is_help=True)
# the terminal's width (80 when it cannot tell): every table below folds to fit it
console = Console()
log = logging.getLogger(__name__)

#: the days the data cover, and the first day a simulation may start: the first champion is
#: trained on January-June and validated from 1 July to the day before the start
FIRST_START, LAST_DAY = dt.date(2013, 7, 2), dt.date(2013, 12, 31)
SIMULATE = "python -m week13_retrain simulate"

#: the retrain table in two parts, each narrow enough for 80 columns: why and on what a
#: challenger was trained, then its A/B test (column -> header)
RETRAIN_COLUMNS = {
    "day": "day",
    "reason": "reason",
    "window": "window",
    "valid_auc": "AUC",
    "champion_valid_auc": "champion\nAUC",
    "decision": "decision",
}
TEST_COLUMNS = {
    "day": "day",
    "version": "version",
    "n_champion": "champion\nflights",
    "n_challenger": "challenger\nflights",
    "delta_log_loss": "log loss\ndelta",
    "p_value": "p",
    "srm_p": "SRM p",
    "ab_days": "days",
    "ended": "ended",
}
MONTH_COLUMNS = {
    "month": "month",
    "flights": "flights",
    "policy_auc": "policy\nAUC",
    "static_auc": "static\nAUC",
    "auc_gain": "AUC\ngain",
    "policy_log_loss": "policy\nlog loss",
    "static_log_loss": "static\nlog loss",
    "log_loss_gain": "log loss\ngain",
}


def _logging() -> None:
    # logs go through rich so they do not break the progress bar
    quiet = ("mlflow", "alembic", "urllib3", "week03_ml", "week06_mlflow")
    setup_logging(console, quiet=quiet)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    )


#: a cell that reads as a number once formatted ("23,665", "-0.0069"): right-justified
_NUMBER = re.compile(r"[-+]?[\d,.]+")


def _show(
    frame: pd.DataFrame,
    title: str,
    headers: Mapping[str, str],
    *,
    padding: int = 1,
    flexible: Mapping[str, int] | None = None,
) -> None:
    """The ``headers`` columns of ``frame`` (those it has) as a table that fits the terminal:
    long cells wrap at spaces (``flexible`` columns share the width left, in those ratios), no
    column is dropped, and no number or date is cut while they all fit whole."""
    columns = [c for c in headers if c in frame.columns]
    if frame.empty or not columns:
        console.print(f"{title}: none")
        return
    cells = [
        [_cell(v).replace("..", " ..\n") for v in record]
        for record in frame[columns].itertuples(index=False)
    ]
    longest = [
        max(len(word) for row in cells for word in row[i].split() or [""])
        for i in range(len(columns))
    ]
    fits = sum(longest) + (len(columns) - 1) * (2 * padding + 1) <= console.width
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
        pad_edge=False, padding=(0, padding), expand=bool(flexible),
    )  # fmt: skip
    for i, column in enumerate(columns):
        numeric = column != "version" and (
            pd.api.types.is_numeric_dtype(frame[column])
            or all(_NUMBER.fullmatch(row[i]) for row in cells)
        )
        table.add_column(
            headers[column], overflow="fold", justify="right" if numeric else "left",
            min_width=longest[i] if fits else None, ratio=(flexible or {}).get(column),
        )  # fmt: skip
    for row in cells:
        table.add_row(*row)
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
    rows = []
    for share in (0.5, 0.2):
        for metric, effect in (
            (f"error rate {baseline:.0%} -> {target:.0%}", proportion_effect(baseline, target)),
            (f"log loss -{log_loss_delta}", log_loss_delta / log_loss_sd),
        ):
            try:
                planned = plan_test(metric, effect, share=share)
            except ValueError as exc:  # e.g. --target equal to --baseline: an effect of 0
                raise CourseError(str(exc), fix="python -m week13_retrain plan --help") from exc
            rows.append(
                {"split": f"{100 * (1 - share):.0f}/{100 * share:.0f}", "metric": metric,
                 "effect (sd)": f"{effect:.4f}", "champion": f"{planned.champion:,}",
                 "challenger": f"{planned.challenger:,}", "days": f"{planned.days:.0f}"}
            )  # fmt: skip
    frame = pd.DataFrame(rows)
    title = "flights per arm (two-sided alpha 0.05, power 0.8), days of traffic"
    _show(frame, title, {c: c for c in frame.columns})


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


def _check_days(first: dt.date, last: dt.date) -> None:
    """The simulated days must be 2013's, after the first champion's validation began."""
    for option, day in (("--from", first), ("--to", last)):
        if not FIRST_START <= day <= LAST_DAY:
            raise CourseError(
                f"{option} {day} is outside {FIRST_START}..{LAST_DAY}: the data are 2013's "
                "flights, and the first champion trains on January-June and validates from 1 July",
                fix=f"{SIMULATE} --from {FIRST_START} --to {LAST_DAY}",
            )
    if last < first:
        raise CourseError(f"--to {last} is before --from {first}", fix="swap the two dates")


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
    the months against the never-retrained champion. Writes under WEEK13_OUT_DIR
    (artifacts/week13): the run's registry (simulation-<window>/) and the tables as CSV."""
    first, last = start.date(), end.date()
    _check_days(first, last)
    if window not in ("rolling", "expanding"):
        raise typer.BadParameter(f"window must be rolling or expanding, got {window!r}")
    _logging()
    from week01_data.target import labelled
    from week03_ml.train import load_flights
    from week13_retrain.simulate import simulate as run

    kind: WindowKind = "rolling" if window == "rolling" else "expanding"
    settings = Settings()
    policy = replace(Policy(), window=kind, train_weeks=train_weeks)
    store = settings.out_dir / f"simulation-{window}"
    shutil.rmtree(store, ignore_errors=True)  # a fresh registry: the run is reproducible
    flights = labelled(load_flights())
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
    show_results(retrains, months, window)
    if markdown_out:
        console.print(markdown(retrains), soft_wrap=True)
        console.print(markdown(months), soft_wrap=True)


def show_results(retrains: pd.DataFrame, months: pd.DataFrame, window: str) -> None:
    """The simulation's tables on the console, each readable at 80 columns."""
    title = f"retrains ({window} window): why, on what, admitted?"
    _show(retrains, title, RETRAIN_COLUMNS, flexible={"reason": 2, "decision": 1})
    tested = retrains[retrains["version"].astype(str) != ""] if "version" in retrains else retrains
    _show(tested, f"A/B tests ({window} window)", TEST_COLUMNS, padding=0)
    _show(months, "policy against the never-retrained champion, per month", MONTH_COLUMNS)


def registry_uri(tracking_uri: str | None, settings: Settings) -> str:
    """The registry a command works on: the option, ``WEEK13_TRACKING_URI``,
    ``MLFLOW_TRACKING_URI``, else the one ``simulate`` wrote (rolling window). A local store
    that does not exist is an expected error: MLflow would create an empty one (in the current
    folder, for its own default) and then find no model in it."""
    uri = tracking_uri or settings.tracking_uri or os.environ.get("MLFLOW_TRACKING_URI")
    if uri is None:
        uri = f"sqlite:///{(settings.out_dir / 'simulation-rolling' / 'mlflow.db').resolve()}"
    if uri.startswith("sqlite:///"):
        local: Path | None = Path(uri.removeprefix("sqlite:///"))
    elif "://" not in uri or uri.startswith("file:"):
        local = Path(uri.removeprefix("file://").removeprefix("file:"))
    else:
        local = None  # a tracking server: it answers for itself
    if local is not None and not local.exists():
        raise CourseError(f"no registry at {_shown(local)}", fix=SIMULATE)
    return uri


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@app.command()
def rollback(
    name: Annotated[str | None, typer.Option(help="registered model (default: settings)")] = None,
    tracking_uri: Annotated[
        str | None,
        typer.Option(
            help="the registry [$WEEK13_TRACKING_URI, $MLFLOW_TRACKING_URI; default: the one "
            "simulate wrote, artifacts/week13/simulation-rolling/mlflow.db]"
        ),
    ] = None,
) -> None:
    """Make ``previous`` the champion again (the current one becomes ``previous``); then
    ``POST /admin/reload`` makes the running service follow."""
    settings = Settings()
    model = name or settings.model_name
    uri = registry_uri(tracking_uri, settings)
    _logging()
    from mlflow.exceptions import MlflowException

    from week13_retrain.aliases import mlflow_client
    from week13_retrain.aliases import rollback as roll

    try:
        old, new = roll(mlflow_client(uri), model)
    except LookupError as exc:
        fix = "roll back after a promotion: only a promotion leaves a 'previous' version"
        raise CourseError(str(exc), fix=fix) from exc
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_DOES_NOT_EXIST":
            raise
        raise CourseError(f"no model {model!r} in the registry at {uri}", fix=SIMULATE) from exc
    log.info("rolled %s back: champion %s -> %s", model, old, new)
    console.print(f"{model}: champion {old} -> {new} (version {old} is now 'previous')")
