"""``python -m week05_ml_api --help``: serve the model (REST or gRPC), benchmark it, make stubs.

An expected problem (no model in the folder, a registry alias that points nowhere) is one line
naming the command that fixes it, exit code 2; anything else keeps its traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table

from course.cli_support import CourseError

app = typer.Typer(help="Week 5: serve the delay model over REST and gRPC.", no_args_is_help=True)
console = Console()

#: The app ``serve`` runs unless told otherwise; it loads WEEK05_MODEL_DIR at start-up.
DEFAULT_APP = "week05_ml_api.app:create_app"

ModelDir = Annotated[
    Path | None,
    typer.Option(
        help="model folder (week 3's save_model); default: $WEEK05_MODEL_DIR or artifacts/week03"
    ),
]


def _logging(level: int = logging.INFO) -> None:
    logging.basicConfig(
        level=level,
        format="%(message)s",
        force=True,
        handlers=[RichHandler(console=console, show_path=False)],
    )


def require_model(source: str | Path) -> None:
    """A model folder must hold week 3's ``model.joblib`` (a registry URI is checked when it is
    loaded): otherwise an expected error naming the folder and the command that fills it."""
    from week05_ml_api.registry import is_registry_uri

    if is_registry_uri(source):
        return
    folder = Path(source)
    if not (folder / "model.joblib").exists():
        what = "does not exist" if not folder.exists() else "holds no model.joblib"
        raise CourseError(
            f"no model to serve: the folder {folder} {what}",
            fix=f"python -m week03_ml train --out {folder}",
        )


def _load_or_explain(load: Callable[[], object], source: str | Path) -> None:
    """Run ``load``; a registry model that is not there becomes an expected error."""
    from week05_ml_api.registry import is_registry_uri

    if not is_registry_uri(source):
        load()
        return
    from mlflow.exceptions import MlflowException

    try:
        load()
    except LookupError as exc:  # an alias that points nowhere, or no such model
        raise CourseError(
            f"cannot serve {source}: {exc}", fix="python -m week06_mlflow promote"
        ) from None
    except MlflowException as exc:  # RESOURCE_DOES_NOT_EXIST
        raise CourseError(
            f"cannot serve {source}: {exc.message}", fix="python -m week06_mlflow train"
        ) from None


def _bench_table(markdown: str) -> Table:
    """The benchmark's markdown table as a rich table that folds to the terminal's width."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    header, rows = lines[0], lines[2:]
    table = Table()
    for name in _cells(header):
        table.add_column(
            name, overflow="fold", justify="left" if name in {"scenario", "server"} else "right"
        )
    for row in rows:
        table.add_row(*(cell.replace("**", "") for cell in _cells(row)))
    return table


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


@app.command()
def serve(
    model_dir: ModelDir = None,
    host: Annotated[str | None, typer.Option(help="address to bind [$WEEK05_HOST]")] = None,
    port: Annotated[int | None, typer.Option(help="REST port [$WEEK05_PORT]")] = None,
    workers: Annotated[int | None, typer.Option(help="worker processes [$WEEK05_WORKERS]")] = None,
    server: Annotated[str, typer.Option(help="uvicorn, gunicorn or granian")] = "uvicorn",
    run_dir: Annotated[
        Path | None, typer.Option(help="the workers' shared folder, emptied at start")
    ] = None,
    access_log: Annotated[bool, typer.Option(help="log every request")] = False,
    app: Annotated[
        str, typer.Option(help="the app factory (module:function); a later week's composed app")
    ] = DEFAULT_APP,
) -> None:
    """Serve the REST API on a multi-worker server (other settings: WEEK05_* variables)."""
    from week05_ml_api.server import SERVERS, exec_server
    from week05_ml_api.settings import Settings

    if server not in SERVERS:
        raise typer.BadParameter(f"one of {', '.join(SERVERS)}", param_hint="--server")
    if app == DEFAULT_APP:  # another app (a later week's) may load its model elsewhere
        require_model(model_dir if model_dir is not None else Settings().model_dir)
    exec_server(
        server,
        host=host,
        port=port,
        workers=workers,
        run_dir=run_dir,
        model_dir=model_dir,
        access_log=access_log,
        app=app,
    )


@app.command("grpc")
def serve_grpc(
    model_dir: ModelDir = None,
    address: Annotated[
        str | None, typer.Option(help="host:port to bind [$WEEK05_HOST:$WEEK05_GRPC_PORT]")
    ] = None,
) -> None:
    """Serve the gRPC API (DelayModel + grpc.health.v1) until interrupted."""
    from week05_ml_api.grpc_service import start_server
    from week05_ml_api.predictor import PredictionService
    from week05_ml_api.settings import Settings

    _logging()
    settings = Settings() if model_dir is None else Settings(model_dir=model_dir)
    require_model(settings.model_dir)
    service = PredictionService(
        settings.cache_size, settings.unknown_categories, settings.fast_path
    )
    _load_or_explain(lambda: service.store.load(settings.model_dir), settings.model_dir)
    address = address or f"{settings.host}:{settings.grpc_port}"
    server, port = start_server(
        service, address, settings.max_batch, database_url=settings.database_url
    )
    console.print(f"gRPC serving model {service.store.require().version} on port {port}")
    server.wait_for_termination()


@app.command()
def proto() -> None:
    """Regenerate delay_pb2.py / delay_pb2.pyi / delay_pb2_grpc.py from delay.proto."""
    from week05_ml_api.proto import generate

    _logging()
    for path in generate():
        console.print(f"wrote {path}")


@app.command("demo-model")
def demo_model(
    out: Annotated[Path, typer.Option(help="folder to write")] = Path("artifacts/week05-demo"),
    trees: Annotated[int, typer.Option(help="XGBoost trees")] = 40,
) -> None:
    """Train the small real model the lessons use (1-21 January, a few seconds)."""
    from week05_ml_api.sample import train_demo_model

    _logging()
    console.print(f"saved to {train_demo_model(out, n_estimators=trees)}")


@app.command()
def bench(
    model_dir: ModelDir = None,
    duration: Annotated[float, typer.Option(help="seconds per run (scenario, server)")] = 5.0,
    repeats: Annotated[int, typer.Option(min=1, help="rounds; the table shows medians")] = 3,
    workers: Annotated[int, typer.Option(help="worker processes of each server")] = 2,
    markdown: Annotated[Path | None, typer.Option(help="also write the table here")] = None,
    servers: Annotated[
        str, typer.Option(help="this API's servers to compare, comma-separated")
    ] = "uvicorn",
    app: Annotated[
        str, typer.Option(help="the app factory to serve (a later week's composed app)")
    ] = DEFAULT_APP,
) -> None:
    """Load-test this API and `mlflow models serve` on the same model; print one table."""
    from week03_ml.artifact import load_model
    from week05_ml_api.bench import markdown_table, model_limit, run_benchmark
    from week05_ml_api.sample import demo_flights, demo_model, request_rows, scoring_flights
    from week05_ml_api.settings import Settings

    _logging()
    flights = demo_flights()
    folder = model_dir or Settings().model_dir
    if not (folder / "model.joblib").exists():
        console.print(f"no model in {folder}: using the demo model (40 trees, 1-21 January)")
        folder = demo_model()
    _, metadata = load_model(folder)
    rows = request_rows(scoring_flights(flights))
    began = time.perf_counter()
    names = tuple(name.strip() for name in servers.split(",") if name.strip())
    results = run_benchmark(
        folder,
        rows,
        list(metadata["features"]),
        duration,
        workers,
        repeats,
        servers=("mlflow", *names),
        app=app,
    )
    table = markdown_table(results)
    limit = model_limit(folder, rows)
    best = max(m.rows_per_s for (server, name), m in results.items() if name.startswith("1000"))
    table += (
        f"\n\nThe model's own limit here (the booster on prepared 1,000-row matrices, one thread"
        f" per core, no HTTP): {limit:,.0f} rows/s; the best served batch rate above is"
        f" {best / limit:.0%} of it."
    )
    console.print(_bench_table(table))
    console.print(table.split("\n\n", 1)[1])
    console.print(
        f"model {folder} ({metadata.get('model')}, "
        f"{metadata.get('params', {}).get('n_estimators', '?')} trees); "
        f"{workers} workers each; {repeats} x {duration:g} s per scenario and server; "
        f"total {time.perf_counter() - began:.0f} s"
    )
    if markdown is not None:
        markdown.write_text(table + "\n", encoding="utf-8")
