"""``python -m week09_data_pipeline --help``: the pipeline in process (a backfill), its state, and
the settings a real Airflow needs. Paths and URLs come from ``WEEK09_*`` (see ``.env.example``)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table

app = typer.Typer(
    help="Weeks 9-10: the daily ETL, weekly training and nightly scoring.", no_args_is_help=True
)
console = Console()


def _logging(verbose: bool) -> None:
    # through rich, so log lines do not break the progress bar
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
        force=True,
    )
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{name} must be a date YYYY-MM-DD, got {text!r}") from exc


@app.command()
def run(
    start: Annotated[str, typer.Option("--from", help="first flight date, e.g. 2013-09-01")],
    end: Annotated[str, typer.Option("--to", help="last flight date (included)")],
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log every step")] = False,
) -> None:
    """Run every day from --from to --to through the three DAGs' task functions, in process.

    Prints per day the flights landed, quarantined (week01's rules), set aside (keys), loaded
    and scored (the next day's flights), then whether any table changed: a second run of the
    same range changes none.
    """
    from week09_data_pipeline.context import backfill_days
    from week09_data_pipeline.pipeline import DaySummary, run_range, snapshot
    from week09_data_pipeline.settings import get_settings

    _logging(verbose)
    first, last = _date(start, "--from"), _date(end, "--to")
    try:
        backfill_days(first, last)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    settings = get_settings()
    before = snapshot(settings)
    table = Table(title=f"{first} .. {last}", title_justify="left")
    for column in ("day", "landed", "quarantined", "set aside", "loaded", "scored D+1", "model"):
        table.add_column(column, justify="left" if column == "day" else "right", no_wrap=True)
    table.add_column("trained")

    def add(s: DaySummary) -> None:
        table.add_row(
            str(s.day),
            f"{s.landed:,}",
            f"{s.quarantined:,}",
            f"{s.rejected:,}",
            f"{s.loaded:,}",
            f"{s.scored:,}",
            f"v{s.model_version}",
            s.trained,
        )

    run_range(first, last, settings, progress=True, on_day=add)
    console.print(table)
    after = snapshot(settings)
    changed = [name for name in after if before.get(name) != after[name]]
    if changed:
        console.print(f"tables changed by this run: {', '.join(changed)}")
    else:
        console.print(
            f"no table changed: all {len(after)} tables have the row counts and checksums "
            "they had before this run (the pipeline is idempotent)"
        )


@app.command()
def status() -> None:
    """Row count and checksum of every table the pipeline writes."""
    from week09_data_pipeline.pipeline import snapshot
    from week09_data_pipeline.settings import get_settings

    _logging(False)
    settings = get_settings()
    table = Table(title=settings.database_url, title_justify="left")
    for column in ("table", "rows", "checksum"):
        table.add_column(column)
    for name, (count, checksum) in snapshot(settings).items():
        table.add_row(name, f"{count:,}", checksum[:12])
    console.print(table)


@app.command("airflow-env")
def airflow_env_command(
    home: Annotated[Path, typer.Option(help="AIRFLOW_HOME: its metadata DB and logs")] = Path(
        "artifacts/week09/airflow"
    ),
) -> None:
    """Print the ``export`` lines for a local Airflow running this week's DAGs
    (``eval "$(uv run python -m week09_data_pipeline airflow-env)"``)."""
    from week09_data_pipeline.airflow_home import airflow_env

    for name, value in airflow_env(home).items():
        console.print(f"export {name}={shlex.quote(value)}", soft_wrap=True, highlight=False)


if __name__ == "__main__":
    app()
