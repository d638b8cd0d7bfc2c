"""``python -m week03_ml --help``: train, evaluate and compare the week's models.

An expected problem (no saved model yet, a date outside 2013, months that are not 1-12, the data
package missing) raises :class:`~course.cli_support.CourseError`: one line naming the cause and
the command that fixes it, exit code 2. A traceback means a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, cast

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from course.cli_support import CourseError, setup_logging
from week01_data.target import TARGET, labelled
from week03_ml.artifact import METADATA_FILE, MODEL_FILE, build_metadata, load_model, save_model
from week03_ml.evaluate import metrics_by_month, ranking_scores, scores_at
from week03_ml.models import MODEL_NAMES, ModelName
from week03_ml.split import TEST_START, VALID_START
from week03_ml.train import (
    FEATURE_SETS,
    ModelResult,
    TrainConfig,
    comparison_table,
    load_flights,
    metadata_for,
    monthly_auc_table,
    split_labelled,
    train_and_evaluate,
)

app = typer.Typer(help="Weeks 3-4: which model, honestly measured?", no_args_is_help=True)
console = Console()

DEFAULT_OUT = Path("artifacts/week03")
#: Short headers for the score columns, so that a table fits in 80 columns.
HEADERS = {
    "valid_roc_auc": "valid AUC",
    "test_roc_auc": "test AUC",
    "test_pr_auc": "test PR-AUC",
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC",
}
#: The data covers 2013 only: both window boundaries must fall inside it.
FIRST_DAY, LAST_DAY = date(2013, 1, 1), date(2013, 12, 31)
ValidStart = Annotated[str, typer.Option(help="first day of the validation window")]
TestStart = Annotated[str, typer.Option(help="first day of the test window")]
Features = Annotated[str, typer.Option(help="feature set: 'full' or 'basic' (week 1's 17)")]


def _logging() -> None:
    setup_logging(console)  # through rich, so log lines do not break the progress bar


def _frame_table(frame: pd.DataFrame, title: str, index: str = "") -> Table:
    # fold, never crop: at 80 columns a header wraps at its spaces onto a second line
    table = Table(title=title, title_justify="left")
    table.add_column(index or str(frame.index.name or ""), no_wrap=True)
    for column in frame.columns:
        header = HEADERS.get(str(column), str(column).replace("_", " "))
        # from 80 columns on a one-word header is never cut mid-word (the others wrap at their
        # spaces); narrower, every header folds so that no column is pushed off the screen
        whole = " " not in header and console.width >= 80
        table.add_column(header, justify="right", overflow="fold", no_wrap=whole, min_width=5)
    for key, *row in frame.itertuples(name=None):  # one value per column, its own type kept
        table.add_row(str(key), *(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    return table


def _load_flights() -> pd.DataFrame:
    """The featured flights, or one line saying how to get the data."""
    try:
        return load_flights()
    except ModuleNotFoundError as exc:
        raise CourseError(f"no flight data: {exc}", fix="uv sync") from exc


def _check_windows(valid_start: str, test_start: str, command: str) -> None:
    """Refuse boundaries that are not ISO dates of 2013 in order, before any work is done."""
    fix = f"python -m week03_ml {command} --valid-start {VALID_START} --test-start {TEST_START}"
    days: list[date] = []
    for option, value in (("--valid-start", valid_start), ("--test-start", test_start)):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            message = f"{option} must be a date like 2013-07-01, got {value!r}"
            raise CourseError(message, fix=fix) from None
        if not FIRST_DAY < day <= LAST_DAY:
            raise CourseError(
                f"{option} {value} must be after {FIRST_DAY} and at most {LAST_DAY} (the data "
                "covers 2013, and the training window needs its first day)",
                fix=fix,
            )
        days.append(day)
    if days[0] >= days[1]:
        raise CourseError(
            f"--valid-start {valid_start} must be before --test-start {test_start}", fix=fix
        )


def _months(months: str) -> list[int]:
    """``"9,10"`` -> ``[9, 10]``; anything but months 1-12 is one line naming the option."""
    problem = CourseError(
        f"--months must be numbers 1-12 separated by commas, got {months!r}",
        fix="python -m week03_ml evaluate --months 9,10,11,12",
    )
    try:
        wanted = [int(m) for m in months.split(",") if m.strip()]
    except ValueError:
        raise problem from None
    if not wanted or not all(1 <= m <= 12 for m in wanted):
        raise problem
    return wanted


def _run(config: TrainConfig) -> tuple[list[ModelResult], pd.DataFrame]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Loading flights and building features", total=None)
        flights = _load_flights()
        names: Sequence[str] = config.models
        progress.update(task, description=f"Training {names[0]}")

        def done(name: str) -> None:
            following = list(names)[list(names).index(name) + 1 :]
            progress.update(task, description=f"Training {following[0]}" if following else "Done")
            console.log(f"{name} trained")

        results = train_and_evaluate(flights, config, on_model=done)
    return results, flights


def _config(
    valid_start: str, test_start: str, features: str, models: tuple[ModelName, ...]
) -> TrainConfig:
    if features not in FEATURE_SETS:
        raise typer.BadParameter(
            f"features must be one of {sorted(FEATURE_SETS)}, got {features!r}"
        )
    return TrainConfig(
        valid_start=valid_start,
        test_start=test_start,
        features=tuple(FEATURE_SETS[features]),
        models=models,
    )


@app.command()
def train(
    model: Annotated[str, typer.Option(help=f"one of {', '.join(MODEL_NAMES)}")] = "xgboost",
    out: Annotated[Path, typer.Option(help="folder for model.skops + metadata.json")] = (
        DEFAULT_OUT
    ),
    valid_start: ValidStart = VALID_START,
    test_start: TestStart = TEST_START,
    features: Features = "full",
) -> None:
    """Train one model on the training window, pick its threshold on validation, save it."""
    _logging()
    if model not in MODEL_NAMES:
        raise typer.BadParameter(f"model must be one of {MODEL_NAMES}, got {model!r}")
    _check_windows(valid_start, test_start, "train")
    config = _config(valid_start, test_start, features, (cast(ModelName, model),))
    results, flights = _run(config)
    result = results[0]
    split = split_labelled(flights, config)
    save_model(result.pipeline, build_metadata(**metadata_for(result, split, config)), out)
    console.print(_frame_table(comparison_table(results), "Scores (test window)", "model"))
    console.print(f"saved to {out}")


@app.command()
def evaluate(
    model_dir: Annotated[Path, typer.Option(help="folder written by `train`")] = DEFAULT_OUT,
    months: Annotated[str, typer.Option(help="months to score, e.g. 9,10,11,12")] = "9,10,11,12",
    plots: Annotated[bool, typer.Option(help="save ROC/PR/calibration/monthly plots")] = True,
) -> None:
    """Score a saved model on some months, at its saved threshold; print and plot."""
    _logging()
    wanted = _months(months)
    missing = [name for name in (MODEL_FILE, METADATA_FILE) if not (model_dir / name).is_file()]
    if missing:
        raise CourseError(
            f"no saved model in {model_dir} ({' and '.join(missing)} not found)",
            fix=f"python -m week03_ml train --out {model_dir}",
        )
    try:
        pipeline, metadata = load_model(model_dir)
    except ValueError as exc:  # a folder written by another version of this code
        raise CourseError(
            f"the model in {model_dir} cannot be read: {exc}",
            fix=f"python -m week03_ml train --out {model_dir}",
        ) from exc
    with console.status("Loading flights and building features"):
        flights = labelled(_load_flights())
    flights = flights[flights["month"].isin(wanted)]
    X, y = flights[metadata["features"]], flights[TARGET].astype(int)
    scores = np.asarray(pipeline.predict_proba(X)[:, 1], dtype="float64")
    overall = {**ranking_scores(y, scores), **scores_at(y, scores, metadata["threshold"])}
    console.print(
        _frame_table(
            pd.DataFrame([overall], index=[metadata["model"]]),
            f"Months {wanted} at threshold {metadata['threshold']:.3f}",
            "model",
        )
    )
    by_month = metrics_by_month(flights["month"], y, scores)
    console.print(_frame_table(by_month.set_index("month"), "Per month", "month"))
    if plots:
        _save_plots(model_dir / "plots", metadata["model"], y, scores, by_month)
        console.print(f"plots in {model_dir / 'plots'}")


def _save_plots(
    folder: Path, name: str, y: pd.Series, scores: np.ndarray, by_month: pd.DataFrame
) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no window
    import matplotlib.pyplot as plt

    from week03_ml.plots import plot_calibration, plot_monthly_auc, plot_pr, plot_roc

    folder.mkdir(parents=True, exist_ok=True)
    curves = {name: (y.to_numpy(), scores)}
    for plot, file in ((plot_roc, "roc"), (plot_pr, "pr"), (plot_calibration, "calibration")):
        fig, ax = plt.subplots(figsize=(4.5, 4))
        plot(curves, ax)
        fig.savefig(folder / f"{file}.png", dpi=100, bbox_inches="tight")
        plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    plot_monthly_auc({name: by_month}, ax)
    fig.savefig(folder / "monthly_auc.png", dpi=100, bbox_inches="tight")
    plt.close(fig)


@app.command()
def results(
    valid_start: ValidStart = VALID_START,
    test_start: TestStart = TEST_START,
    features: Features = "full",
) -> None:
    """Train baseline, logreg and xgboost on the full year; print the comparison tables."""
    _logging()
    _check_windows(valid_start, test_start, "results")
    config = _config(valid_start, test_start, features, MODEL_NAMES)
    found, _ = _run(config)
    console.print(_frame_table(comparison_table(found), f"Models ({features} features)", "model"))
    console.print(_frame_table(monthly_auc_table(found), "Test ROC-AUC per month", "month"))
