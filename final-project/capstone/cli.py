"""``capstone --help``: run production for the rest of 2013, serve the composed service,
check the real stack's files.

An expected error (a day outside 2013, a missing results.json or compose file, no model to
serve) is one line naming its cause and the command that fixes it, exit code 2, through
``uv run capstone`` and ``python -m capstone`` alike; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from course.cli_support import CourseError, run_cli, setup_logging

app = typer.Typer(
    help="The capstone: the whole course as one running system.", no_args_is_help=True
)
# lines as they are (results.md's tables, paths): the terminal wraps them, rich does not fold them
console = Console(soft_wrap=True)

#: the last day of the data; the first day a run may start is the first champion's due
LAST_DAY = dt.date(2013, 12, 31)
SIMULATE = "uv run capstone simulate"


def _logging(verbose: bool) -> None:
    setup_logging(console, verbose=verbose, level=logging.WARNING)


def _check_days(first: dt.date, last: dt.date) -> None:
    """2013's days only, late enough for the first champion to train and validate first."""
    from capstone.production import first_window

    try:
        first_window(first)
    except ValueError as exc:
        raise CourseError(str(exc), fix=f"{SIMULATE} --from 2013-09-01") from None
    for option, day in (("--from", first), ("--to", last)):
        if day > LAST_DAY:
            raise CourseError(
                f"{option} {day} is after {LAST_DAY}: the data are 2013's flights",
                fix=f"{SIMULATE} --to {LAST_DAY}",
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
    _check_days(start.date(), end.date())
    _logging(verbose)
    from capstone.settings import Plan, Settings
    from capstone.simulate import simulate as run

    settings = Settings()
    if seed is not None:
        settings = settings.model_copy(update={"seed": seed})
    plan = Plan(start=start.date(), end=end.date())
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
    model: Annotated[
        str | None,
        typer.Option(help="model source [$WEEK05_MODEL_DIR], e.g. models:/flight-delay@champion"),
    ] = None,
) -> None:
    """Serve the composed service (week05's app, the online store, metrics and prediction log,
    week13's A/B split) on a multi-worker server."""
    from capstone.service import APP
    from week03_ml.artifact import MODEL_FILE
    from week05_ml_api.server import exec_server
    from week05_ml_api.settings import Settings as ServiceSettings
    from week06_mlflow.serving import PREFIX

    source = model or str(ServiceSettings().model_dir)
    if not source.startswith(PREFIX) and not (Path(source) / MODEL_FILE).is_file():
        raise CourseError(
            f"no model to serve: {source} holds no {MODEL_FILE}",
            fix="--model models:/flight-delay@champion with a run's MLFLOW_TRACKING_URI "
            "(the README's 'Serve it')",
        )
    exec_server(host=host, port=port, workers=workers, model_dir=model, app=APP)


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

    for what, path, option in (
        ("compose", compose, "--compose"),
        ("Docker", dockerfile, "--dockerfile"),
    ):
        if not path.is_file():
            raise CourseError(
                f"no {what} file at {path}",
                fix=f"run it from the repository's root, or {option} PATH",
            )
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

    if not results.is_file():
        raise CourseError(f"no results at {results}", fix=f"{SIMULATE} --out {results.parent}")
    try:
        loaded = json.loads(results.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CourseError(
            f"{results} is not JSON ({exc})", fix=f"{SIMULATE} --out {results.parent}"
        ) from None
    paths = write_all(loaded, results.parent)
    console.print(f"wrote {paths['md']} and {paths['html']}")


def main() -> None:
    """``uv run capstone`` (the project's script) and ``python -m capstone``: expected errors
    are one line and exit code 2."""
    run_cli(app)
