"""``python -m week03_ml --help``: train, evaluate and compare the week's models."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, cast

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from week01_data.target import TARGET, labelled
from week03_ml.artifact import build_metadata, load_model, save_model
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
console = Console(width=110)

DEFAULT_OUT = Path("artifacts/week03")
ValidStart = Annotated[str, typer.Option(help="first day of the validation window")]
TestStart = Annotated[str, typer.Option(help="first day of the test window")]
Features = Annotated[str, typer.Option(help="feature set: 'full' or 'basic' (week 1's 17)")]


def _logging() -> None:
    # logs go through rich so they do not break the progress bar
    logging.basicConfig(
        level=logging.INFO,
        format="%(message)s",
        force=True,
        handlers=[RichHandler(console=console, show_path=False)],
    )


def _frame_table(frame: pd.DataFrame, title: str, index: str = "") -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(index or str(frame.index.name or ""))
    for column in frame.columns:
        table.add_column(str(column), justify="right")
    for key, row in frame.iterrows():
        table.add_row(str(key), *(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    return table


def _run(config: TrainConfig) -> tuple[list[ModelResult], pd.DataFrame]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Loading flights and building features", total=None)
        flights = load_flights()
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
    out: Annotated[Path, typer.Option(help="folder for model.joblib + metadata.json")] = (
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
    pipeline, metadata = load_model(model_dir)
    wanted = [int(m) for m in months.split(",") if m.strip()]
    with console.status("Loading flights and building features"):
        flights = labelled(load_flights())
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
    config = _config(valid_start, test_start, features, MODEL_NAMES)
    found, _ = _run(config)
    console.print(_frame_table(comparison_table(found), f"Models ({features} features)", "model"))
    console.print(_frame_table(monthly_auc_table(found), "Test ROC-AUC per month", "month"))
