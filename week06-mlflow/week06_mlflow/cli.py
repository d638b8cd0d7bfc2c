"""``python -m week06_mlflow --help``: track, search, register and promote week 3's model.

    python -m week06_mlflow train                    # one tracked run, registered as challenger
    python -m week06_mlflow search --max-depth 3,5   # a grid as child runs; best -> challenger
    python -m week06_mlflow promote --months 9       # challenger vs champion on September
    python -m week06_mlflow show                     # versions, aliases, decisions; best runs

The store is ``MLFLOW_TRACKING_URI`` (default ``sqlite:///mlruns.db`` in the current folder);
``--tracking-uri`` overrides it for one command.
"""

from __future__ import annotations

import logging
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from week03_ml.models import XGBParams
from week03_ml.split import TEST_START, VALID_START
from week03_ml.train import FEATURE_SETS, TrainConfig, split_labelled
from week06_mlflow.settings import Settings, get_settings, use_store

app = typer.Typer(
    help="Weeks 6-7: which run made this model? Track, search, register, promote.",
    no_args_is_help=True,
)
console = Console(width=120)

TrackingUri = Annotated[
    str | None,
    typer.Option(
        help="store to use instead of $MLFLOW_TRACKING_URI (sqlite:///file.db or http://host:port)"
    ),
]
Experiment = Annotated[str | None, typer.Option(help="experiment instead of the default")]
ModelName = Annotated[str | None, typer.Option("--name", help="registered model name")]
Months = Annotated[str, typer.Option(help="months to load, e.g. 1,2,3 (default: whole year)")]
Days = Annotated[str, typer.Option(help="days of each month to keep, e.g. 1-7 (default: all)")]
ValidStart = Annotated[str, typer.Option(help="first day of the validation window")]
TestStart = Annotated[str, typer.Option(help="first day of the test window")]
NEstimators = Annotated[int, typer.Option(min=1, help="trees per XGBoost model")]
Register = Annotated[bool, typer.Option(help="register the model as the challenger")]


def _logging() -> None:
    # logs go through rich so they do not break the progress bar
    logging.basicConfig(
        level=logging.INFO,
        format="%(message)s",
        force=True,
        handlers=[RichHandler(console=console, show_path=False)],
    )
    for noisy in ("mlflow", "alembic", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def parse_ints(text: str, what: str) -> list[int] | None:
    """``"1,2,5-7"`` -> ``[1, 2, 5, 6, 7]``; ``""`` -> ``None`` (everything)."""
    values: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            low, _, high = part.partition("-")
            values.extend(range(int(low), int(high or low) + 1))
        except ValueError:
            raise typer.BadParameter(
                f"{what} must be numbers or ranges like 1-7, got {part!r}"
            ) from None
    return values or None


def parse_floats(text: str, what: str) -> list[float]:
    """``"0.05,0.1"`` -> ``[0.05, 0.1]``."""
    try:
        return [float(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise typer.BadParameter(f"{what} must be comma-separated numbers, got {text!r}") from None


def _settings(
    tracking_uri: str | None, experiment: str | None = None, name: str | None = None
) -> tuple[Settings, str]:
    settings = get_settings(
        mlflow_tracking_uri=tracking_uri, mlflow_experiment_name=experiment, mlflow_model_name=name
    )
    with console.status(f"Connecting to {settings.mlflow_tracking_uri}"):
        experiment_id = use_store(settings)
    return settings, experiment_id


def _window(months: str, days: str) -> tuple[list[int] | None, list[int] | None]:
    return parse_ints(months, "months"), parse_ints(days, "days")


def _flights(window: tuple[list[int] | None, list[int] | None]) -> pd.DataFrame:
    from week06_mlflow.data import load_flights

    with console.status("Loading flights and building features"):
        return load_flights(*window)


def _config(valid_start: str, test_start: str, n_estimators: int) -> TrainConfig:
    return TrainConfig(
        valid_start=valid_start,
        test_start=test_start,
        features=tuple(FEATURE_SETS["full"]),
        models=("xgboost",),
        xgboost=XGBParams(n_estimators=n_estimators),
    )


def _table(frame: pd.DataFrame, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*(f"{v:.4f}" if isinstance(v, float) else str(v) for v in row))
    return table


@app.command()
def train(
    months: Months = "",
    days: Days = "",
    valid_start: ValidStart = VALID_START,
    test_start: TestStart = TEST_START,
    n_estimators: NEstimators = 300,
    register: Register = True,
    tracking_uri: TrackingUri = None,
    experiment: Experiment = None,
    name: ModelName = None,
) -> None:
    """Train week 3's XGBoost once and track the run (params, metrics, plots, model)."""
    from week06_mlflow.registry import register as register_model
    from week06_mlflow.tracking import train_and_track

    _logging()
    window = _window(months, days)
    settings, experiment_id = _settings(tracking_uri, experiment, name)
    config = _config(valid_start, test_start, n_estimators)
    split = split_labelled(_flights(window), config)
    with console.status("Training and logging"):
        run = train_and_track(split, config, experiment_id=experiment_id, run_name="train")
    console.print(f"run [bold]{run.run_id}[/] logged to {settings.mlflow_tracking_uri}")
    if register and run.model_uri:
        mv = register_model(run.model_uri, settings.mlflow_model_name)
        console.print(
            f"registered as {settings.mlflow_model_name} version {mv.version} "
            "@challenger: next, `python -m week06_mlflow promote`"
        )


@app.command()
def search(
    max_depth: Annotated[str, typer.Option(help="values to try, e.g. 3,5")] = "3,5",
    learning_rate: Annotated[str, typer.Option(help="values to try, e.g. 0.05,0.1")] = "0.05,0.1",
    months: Months = "",
    days: Days = "",
    valid_start: ValidStart = VALID_START,
    test_start: TestStart = TEST_START,
    n_estimators: NEstimators = 300,
    register: Register = True,
    tracking_uri: TrackingUri = None,
    experiment: Experiment = None,
    name: ModelName = None,
) -> None:
    """A grid of XGBoost models as child runs of one parent; the best by validation ROC-AUC
    (never test) is registered as the challenger."""
    from week06_mlflow.registry import register as register_model
    from week06_mlflow.search import param_grid, run_search

    _logging()
    window = _window(months, days)
    config = _config(valid_start, test_start, n_estimators)
    grid = param_grid(
        config.xgboost,
        max_depth=parse_ints(max_depth, "max-depth") or [5],
        learning_rate=parse_floats(learning_rate, "learning-rate"),
    )
    settings, experiment_id = _settings(tracking_uri, experiment, name)
    split = split_labelled(_flights(window), config)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Searching", total=len(grid))
        result = run_search(
            split,
            config,
            grid,
            experiment_id=experiment_id,
            on_candidate=lambda i, run: progress.advance(task),
        )
    console.print(f"parent run [bold]{result.run_id}[/]: best child {result.best_run_id}")
    if register:
        mv = register_model(result.best_model_uri, settings.mlflow_model_name)
        console.print(
            f"registered as {settings.mlflow_model_name} version {mv.version} @challenger"
        )


@app.command()
def promote(
    months: Annotated[str, typer.Option(help="months to compare on (recent traffic)")] = "9",
    days: Days = "",
    margin: Annotated[float, typer.Option(min=0.0, help="ROC-AUC the challenger must gain")] = (
        0.005
    ),
    who: Annotated[str | None, typer.Option(help="recorded as promotion.by")] = None,
    tracking_uri: TrackingUri = None,
    experiment: Experiment = None,
    name: ModelName = None,
) -> None:
    """Compare challenger and champion on the same flights; promote only if better by margin."""
    from week06_mlflow.registry import promote as promote_model

    _logging()
    window = _window(months, days)
    settings, _ = _settings(tracking_uri, experiment, name)
    flights = _flights(window)
    try:
        with console.status("Scoring challenger and champion"):
            decision = promote_model(settings.mlflow_model_name, flights, margin=margin, who=who)
    except LookupError as error:
        console.print(f"[red]nothing to promote[/]: {error}")
        raise typer.Exit(code=1) from None
    verdict = "[green]promoted[/]" if decision.promote else "[yellow]refused[/]"
    console.print(f"{verdict}: {decision.reason}")


@app.command()
def show(
    tracking_uri: TrackingUri = None,
    experiment: Experiment = None,
    name: ModelName = None,
    runs: Annotated[int, typer.Option(min=0, help="best runs to list")] = 5,
) -> None:
    """The registered versions with their aliases and decisions, and the best runs."""
    import mlflow
    from mlflow.exceptions import MlflowException

    from week06_mlflow.registry import describe

    _logging()
    settings, experiment_id = _settings(tracking_uri, experiment, name)
    try:
        versions = describe(settings.mlflow_model_name)
    except MlflowException:  # RESOURCE_DOES_NOT_EXIST
        console.print(f"no registered model {settings.mlflow_model_name!r} yet: run `train`")
    else:
        console.print(_table(versions, f"{settings.mlflow_model_name}: versions"))
    if runs:
        found = mlflow.search_runs(
            [experiment_id],
            order_by=["metrics.valid_roc_auc DESC"],
            max_results=runs,
            output_format="pandas",
        )
        assert isinstance(found, pd.DataFrame)
        if "metrics.valid_roc_auc" in found.columns:  # parents of searches have no score
            found = found.dropna(subset=["metrics.valid_roc_auc"])
        columns = [
            c
            for c in (
                "run_id",
                "tags.mlflow.runName",
                "metrics.valid_roc_auc",
                "metrics.test_roc_auc",
            )
            if c in found.columns
        ]
        console.print(_table(found[columns], f"best {runs} runs by validation ROC-AUC"))
