"""``capstone --help``: run production for the rest of 2013, serve the composed service,
check the real stack's files."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler

app = typer.Typer(
    help="The capstone: the whole course as one running system.", no_args_is_help=True
)
console = Console(width=120)

Day = Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"])]


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        force=True,
        handlers=[RichHandler(console=console, show_path=False)],
    )


@app.command()
def simulate(
    start: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"])] = dt.datetime(
        2013, 9, 1
    ),
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"])] = dt.datetime(
        2013, 12, 31
    ),
    seed: Annotated[
        int | None, typer.Option(help="the live sample's seed [$CAPSTONE_SEED]")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="output folder (default artifacts/capstone/<date>)")
    ] = None,
    fast: Annotated[
        bool, typer.Option(help="smaller models and fewer live requests (checks, demos)")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run production day by day (pipeline, live service, monitoring, retraining, A/B,
    promotion, rollback) and write results.json, results.md and report.html."""
    _logging(verbose)
    from capstone.settings import Plan, Settings
    from capstone.simulate import simulate as run

    settings = Settings()
    if seed is not None:
        settings = settings.model_copy(update={"seed": seed})
    plan = Plan(start=start.date(), end=end.date())
    if end.date() < start.date():
        raise typer.BadParameter(f"--to {end.date()} is before --from {start.date()}")
    if fast:
        plan = replace(plan, policy=replace(plan.policy, n_estimators=40))
        settings = settings.model_copy(update={"requests_per_day": 10})
    folder = out or settings.run_dir()
    command = (
        "capstone simulate " + " ".join(sys.argv[2:])
        if sys.argv[1:2] == ["simulate"]
        else ("capstone simulate")
    )
    results = run(settings, plan, folder, command=command.strip())
    console.print((folder / "results.md").read_text(encoding="utf-8"), markup=False)
    s = results["summary"]
    console.print(
        f"policy ROC-AUC {s['policy_auc']:.4f} against {s['static_auc']:.4f} never retrained; "
        f"{results['timings']['total_s']:.0f} s in all. Report: {folder / 'report.html'}"
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to bind [$WEEK05_HOST]")] = None,
    port: Annotated[int | None, typer.Option(help="port [$WEEK05_PORT]")] = None,
    workers: Annotated[int | None, typer.Option(help="worker processes [$WEEK05_WORKERS]")] = None,
    server: Annotated[str, typer.Option(help="uvicorn, gunicorn or granian")] = "uvicorn",
    model: Annotated[
        str | None,
        typer.Option(help="model source [$WEEK05_MODEL_DIR], e.g. models:/flight-delay@champion"),
    ] = None,
) -> None:
    """Serve the composed service (week05's app, the online store, metrics and prediction log,
    week13's A/B split) on a multi-worker server."""
    from capstone.service import APP
    from week05_ml_api.server import SERVERS, exec_server

    if server not in SERVERS:
        raise typer.BadParameter(f"one of {', '.join(SERVERS)}", param_hint="--server")
    exec_server(server, host=host, port=port, workers=workers, model_dir=model, app=APP)


@app.command("check-stack")
def check_stack(
    compose: Annotated[Path, typer.Option(help="the compose file")] = Path(
        "final-project/deploy/compose.yaml"
    ),
    dockerfile: Annotated[Path, typer.Option(help="the API's image")] = Path(
        "final-project/Dockerfile"
    ),
) -> None:
    """Check the real stack's files without Docker: compose schema and cross-references,
    Prometheus and Grafana wiring, the Dockerfile (hadolint)."""
    from capstone.stack import dockerfile_problems, stack_problems

    problems = stack_problems(compose) + dockerfile_problems(dockerfile)
    for problem in problems:
        console.print(f"[red]✗[/red] {problem}")
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]✓[/green] {compose} and {dockerfile}: no problems found")


@app.command()
def report(
    results: Annotated[Path, typer.Argument(help="a run's results.json")],
) -> None:
    """Write results.md and report.html again from a run's results.json."""
    import json

    from capstone.report import write_all

    loaded = json.loads(results.read_text(encoding="utf-8"))
    paths = write_all(loaded, results.parent)
    console.print(f"wrote {paths['md']} and {paths['html']}")
