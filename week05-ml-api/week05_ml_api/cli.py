"""``python -m week05_ml_api --help``: serve the model over REST or gRPC, train the demo model.
An expected problem is one line naming the command that fixes it, exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from course.cli_support import CourseError, setup_logging

app = typer.Typer(help="Week 5: serve the delay model over REST and gRPC.", no_args_is_help=True)
console = Console()

DEFAULT_APP = "week05_ml_api.app:create_app"  # server.APP, without importing the server
REGISTRY_APP = "week06_mlflow.serving:create_app"  # the same app serving models:/... URIs

ModelDir = Annotated[
    Path | None,
    typer.Option(
        help="model folder (week 3's save_model); default: $WEEK05_MODEL_DIR or artifacts/week03"
    ),
]


def require_model(source: str | Path) -> None:
    """A :class:`CourseError` naming the fix unless ``source`` is a folder holding week 3's
    model file."""
    from week03_ml.artifact import MODEL_FILE

    if ":/" in str(source):
        raise CourseError(
            f"{source} is not a model folder: this app serves week 3's folders",
            fix=f"python -m week05_ml_api serve --app {REGISTRY_APP}",
        )
    folder = Path(source)
    if not (folder / MODEL_FILE).exists():
        what = "does not exist" if not folder.exists() else f"holds no {MODEL_FILE}"
        raise CourseError(
            f"no model to serve: the folder {folder} {what}",
            fix=f"python -m week03_ml train --out {folder}",
        )


@app.command()
def serve(
    model_dir: ModelDir = None,
    host: Annotated[str | None, typer.Option(help="address to bind [$WEEK05_HOST]")] = None,
    port: Annotated[int | None, typer.Option(help="REST port [$WEEK05_PORT]")] = None,
    workers: Annotated[int | None, typer.Option(help="worker processes [$WEEK05_WORKERS]")] = None,
    run_dir: Annotated[
        Path | None, typer.Option(help="the workers' shared folder, emptied at start")
    ] = None,
    access_log: Annotated[bool, typer.Option(help="log every request")] = False,
    app: Annotated[
        str, typer.Option(help="the app factory (module:function); a later week's composed app")
    ] = DEFAULT_APP,
) -> None:
    """Serve the REST API on uvicorn's workers (other settings: WEEK05_* variables)."""
    from week05_ml_api.server import exec_server
    from week05_ml_api.settings import Settings

    if app == DEFAULT_APP:  # another app (a later week's) may load its model elsewhere
        require_model(model_dir if model_dir is not None else Settings().model_dir)
    exec_server(
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

    setup_logging(console)
    settings = Settings() if model_dir is None else Settings(model_dir=model_dir)
    require_model(settings.model_dir)
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


@app.command("demo-model")
def demo_model(
    out: Annotated[Path, typer.Option(help="folder to write")] = Path("artifacts/week05-demo"),
    trees: Annotated[int, typer.Option(help="XGBoost trees")] = 40,
) -> None:
    """Train the small real model the lessons use (1-21 January, a few seconds)."""
    from week05_ml_api.sample import train_demo_model

    setup_logging(console)
    console.print(f"saved to {train_demo_model(out, n_estimators=trees)}")
