"""``python -m week05_ml_api --help``: serve the model (REST or gRPC), benchmark it, make stubs."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler

app = typer.Typer(help="Week 5: serve the delay model over REST and gRPC.", no_args_is_help=True)
console = Console(width=110)

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
    ] = "week05_ml_api.app:create_app",
) -> None:
    """Serve the REST API on a multi-worker server (other settings: WEEK05_* variables)."""
    from week05_ml_api.server import SERVERS, exec_server

    if server not in SERVERS:
        raise typer.BadParameter(f"one of {', '.join(SERVERS)}", param_hint="--server")
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
    service = PredictionService(
        settings.cache_size, settings.unknown_categories, settings.fast_path
    )
    service.store.load(settings.model_dir)
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
    ] = "week05_ml_api.app:create_app",
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
    console.print(table)
    console.print(
        f"model {folder} ({metadata.get('model')}, "
        f"{metadata.get('params', {}).get('n_estimators', '?')} trees); "
        f"{workers} workers each; {repeats} x {duration:g} s per scenario and server; "
        f"total {time.perf_counter() - began:.0f} s"
    )
    if markdown is not None:
        markdown.write_text(table + "\n", encoding="utf-8")
