"""``python -m week06_mlflow --help``: track, search, register and promote week 3's model.

    python -m week06_mlflow train                    # one tracked run, registered as challenger
    python -m week06_mlflow search --max-depth 3,5   # a grid as child runs; best -> challenger
    python -m week06_mlflow promote --months 9       # challenger vs champion on September
    python -m week06_mlflow show                     # versions, aliases, decisions; best runs

The store is ``MLFLOW_TRACKING_URI``, or ``--tracking-uri`` for one command; when neither is
set, the commands keep it in ``artifacts/week06/`` (``mlflow.db`` and ``mlartifacts/``), never
in the current folder. An expected problem (no store or no challenger yet, a server that does
not answer, a date outside 2013) is one line naming the command that fixes it, exit code 2.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from course.cli_support import CourseError, setup_logging
from week03_ml.models import XGBParams
from week03_ml.split import TEST_START, VALID_START, Split
from week03_ml.train import FEATURE_SETS, TrainConfig, split_labelled
from week06_mlflow.settings import Settings, get_settings, new_local_store, use_store

app = typer.Typer(
    help="Weeks 6-7: which run made this model? Track, search, register, promote.",
    no_args_is_help=True,
)
console = Console()

#: Where the commands keep the store when no MLFLOW_TRACKING_URI is set.
DEFAULT_STORE = Path("artifacts/week06")
STORE_FILE = "mlflow.db"
#: The commands that fix an expected problem, named in its one-line message.
TRAIN = "python -m week06_mlflow train"
SERVER = (
    "uv run mlflow server --host 127.0.0.1 --port 5000 --backend-store-uri "
    "sqlite:///artifacts/week06/server/mlflow.db --artifacts-destination "
    "artifacts/week06/server/artifacts"
)

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
    # through rich, so log lines do not break the progress bar
    setup_logging(console, quiet=("mlflow", "alembic", "urllib3"))


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
    tracking_uri: str | None,
    experiment: str | None = None,
    name: str | None = None,
    *,
    create: bool = True,
) -> tuple[Settings, str]:
    """The settings of one command, its store made current. ``create=False`` (promote, show):
    a local store that does not exist yet is an expected error, not a new empty store."""
    settings = get_settings(
        mlflow_tracking_uri=tracking_uri, mlflow_experiment_name=experiment, mlflow_model_name=name
    )
    given = "mlflow_tracking_uri" in settings.model_fields_set
    if not given:
        settings = _default_store(settings, create)
    if settings.is_remote:
        _require_server(settings.mlflow_tracking_uri)
    else:
        fix = TRAIN + (f" --tracking-uri {settings.mlflow_tracking_uri}" if given else "")
        _require_local_store(settings.mlflow_tracking_uri, create, fix)
    with console.status(f"Connecting to {settings.mlflow_tracking_uri}"):
        experiment_id = use_store(settings)
    return settings, experiment_id


def _default_store(settings: Settings, create: bool) -> Settings:
    """``settings`` on ``artifacts/week06/mlflow.db``, made (a migrated copy, milliseconds) the
    first time a command that writes needs it."""
    db = DEFAULT_STORE / STORE_FILE
    uri = f"sqlite:///{db.resolve()}"
    if create and not db.exists():
        uri = new_local_store(DEFAULT_STORE, STORE_FILE)
    updates: dict[str, object] = {"mlflow_tracking_uri": uri}
    if "mlflow_artifact_root" not in settings.model_fields_set:
        updates["mlflow_artifact_root"] = DEFAULT_STORE / "mlartifacts"
    return settings.model_copy(update=updates)


def _require_local_store(uri: str, create: bool, fix: str) -> None:
    """A ``sqlite:///`` store's file must exist to be read (``fix`` makes it), and its folder
    to be written."""
    if not uri.startswith("sqlite:///") or uri.endswith(":memory:"):
        return
    db = Path(uri.removeprefix("sqlite:///"))
    if not create and not db.exists():
        raise CourseError(f"no MLflow store at {db} yet: nothing has been tracked", fix=fix)
    if not db.parent.exists():
        raise CourseError(
            f"the folder of the store {uri} does not exist", fix=f"mkdir -p {db.parent}"
        )


def _require_server(uri: str) -> None:
    """A tracking server must answer ``/health`` before MLflow's client retries for minutes."""
    try:
        with urllib.request.urlopen(f"{uri.rstrip('/')}/health", timeout=5) as answer:
            if answer.status == 200:
                return
    except (urllib.error.URLError, OSError, ValueError):
        pass
    raise CourseError(f"no MLflow tracking server answers at {uri}", fix=SERVER)


def _require_challenger(settings: Settings) -> None:
    """``promote`` needs a registered model with a ``challenger``: checked before loading data."""
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    from week06_mlflow.registry import CHALLENGER

    name, uri = settings.mlflow_model_name, settings.mlflow_tracking_uri
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    try:
        aliases = client.get_registered_model(name).aliases
    except MlflowException:  # RESOURCE_DOES_NOT_EXIST
        raise CourseError(
            f"nothing to promote: no registered model {name!r} in {uri}", fix=TRAIN
        ) from None
    if CHALLENGER not in aliases:
        raise CourseError(
            f"nothing to promote: model {name!r} has no {CHALLENGER!r} alias in {uri}", fix=TRAIN
        )


def _window(
    months: str, days: str, command: str = "train"
) -> tuple[list[int] | None, list[int] | None]:
    window = parse_ints(months, "months"), parse_ints(days, "days")
    for values, what, low, high in ((window[0], "months", 1, 12), (window[1], "days", 1, 31)):
        wrong = [v for v in values or () if not low <= v <= high]
        if wrong:
            raise CourseError(
                f"--{what} must lie in {low}-{high} (the data is 2013), got {wrong}",
                fix=f"python -m week06_mlflow {command} --{what} {low}-{high}",
            )
    return window


def _dates(valid_start: str, test_start: str, command: str) -> None:
    """Both window starts are dates of 2013, the validation window first."""
    again = f"python -m week06_mlflow {command}"
    starts = [_date_of_2013(valid_start, "--valid-start", f"{again} --valid-start {VALID_START}")]
    starts.append(_date_of_2013(test_start, "--test-start", f"{again} --test-start {TEST_START}"))
    if starts[0] >= starts[1]:
        raise CourseError(
            f"--valid-start {valid_start} must come before --test-start {test_start}",
            fix=f"{again} --valid-start {VALID_START} --test-start {TEST_START}",
        )


def _date_of_2013(text: str, option: str, fix: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or day.year != 2013:
        raise CourseError(f"{option} must be a date of 2013 (YYYY-MM-DD), got {text!r}", fix=fix)
    return day


def _split(flights: pd.DataFrame, config: TrainConfig, months: str) -> Split:
    """The time split; a window without flights (months that end before a window starts) is an
    expected error that names the window."""
    split = split_labelled(flights, config)
    empty = [window for window, rows in split.sizes().items() if rows == 0]
    if empty:
        raise CourseError(
            f"the {' and '.join(empty)} window(s) hold no flight: --months {months or 'all'} "
            f"with --valid-start {config.valid_start} and --test-start {config.test_start}",
            fix="load months on both sides of each start (--months), or move the starts",
        )
    return split


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


#: Shorter headers, so the tables fit in 80 columns.
HEADERS = {
    "tags.mlflow.runName": "run name",
    "metrics.valid_roc_auc": "valid AUC",
    "metrics.test_roc_auc": "test AUC",
}


def _table(frame: pd.DataFrame, title: str) -> Table:
    # long values (run ids, reasons) fold onto more lines: every column stays visible
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(HEADERS.get(str(column), str(column)), overflow="fold")
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
    _dates(valid_start, test_start, "train")
    settings, experiment_id = _settings(tracking_uri, experiment, name)
    config = _config(valid_start, test_start, n_estimators)
    split = _split(_flights(window), config, months)
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
    window = _window(months, days, "search")
    _dates(valid_start, test_start, "search")
    config = _config(valid_start, test_start, n_estimators)
    grid = param_grid(
        config.xgboost,
        max_depth=parse_ints(max_depth, "max-depth") or [5],
        learning_rate=parse_floats(learning_rate, "learning-rate"),
    )
    settings, experiment_id = _settings(tracking_uri, experiment, name)
    split = _split(_flights(window), config, months)
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
    window = _window(months, days, "promote")
    settings, _ = _settings(tracking_uri, experiment, name, create=False)
    _require_challenger(settings)
    flights = _flights(window)
    try:
        with console.status("Scoring challenger and champion"):
            decision = promote_model(settings.mlflow_model_name, flights, margin=margin, who=who)
    except LookupError as error:  # the aliases moved meanwhile
        raise CourseError(f"nothing to promote: {error}", fix=TRAIN) from None
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
    settings, experiment_id = _settings(tracking_uri, experiment, name, create=False)
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
