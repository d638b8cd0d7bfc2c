"""``python -m week09_data_pipeline --help``: the pipeline in process (a backfill), its state, and
the settings a real Airflow needs. Paths and URLs come from ``WEEK09_*`` (see ``.env.example``).

An error the user can fix (a date outside 2013, a warehouse that is not there or not running, a
first model with no history to learn from) is one line naming the command that fixes it, exit
code 2 (:class:`course.cli_support.CourseError`); a traceback means a bug.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from course.cli_support import CourseError, run_cli, setup_logging

if TYPE_CHECKING:
    from week09_data_pipeline.settings import Settings

#: What to run when there is nothing to show yet: a week of September (trains on the 1st).
FIRST_RUN = "python -m week09_data_pipeline run --from 2013-09-01 --to 2013-09-07"

app = typer.Typer(
    help="Weeks 9-10: the daily ETL, weekly training and nightly scoring.", no_args_is_help=True
)
console = Console()


def _logging(verbose: bool) -> None:
    # through rich, so log lines do not break the progress bar
    setup_logging(console, level=logging.INFO if verbose else logging.WARNING)
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CourseError(f"{name} must be a date YYYY-MM-DD, got {text!r}", fix=FIRST_RUN) from exc


def _warehouse(settings: Settings, *, must_exist: bool) -> str:
    """The warehouse's URL with its password hidden, once the warehouse answers. A URL that is
    not SQLite or PostgreSQL, a SQLite file not made yet (``must_exist``) or a server that does
    not answer is a :class:`CourseError`; the password never reaches the output."""
    import sqlalchemy as sa

    from week04_sql.db import make_engine

    try:
        url = sa.engine.make_url(settings.database_url)
    except sa.exc.ArgumentError as exc:
        raise CourseError(
            "WEEK09_DATABASE_URL is not a database URL", fix="see week09-data-pipeline/.env.example"
        ) from exc
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise CourseError(
            f"the warehouse must be SQLite or PostgreSQL, got {shown}",
            fix="unset WEEK09_DATABASE_URL to use a SQLite file under artifacts/week09",
        )
    sqlite_file = url.database if url.get_backend_name() == "sqlite" else None
    if must_exist and sqlite_file and not Path(sqlite_file).exists():
        raise CourseError(f"no warehouse at {url.database} yet: nothing loaded", fix=FIRST_RUN)
    engine = make_engine(settings.database_url)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        cause = str(exc.orig or exc).strip().splitlines()[0]
        raise CourseError(
            f"cannot reach the warehouse at {shown}: {cause}",
            fix="docker compose -f week09-data-pipeline/docker-compose.yml up -d, "
            "or unset WEEK09_DATABASE_URL to use SQLite",
        ) from exc
    finally:
        engine.dispose()
    return shown


def _check_training_days(days: list[dt.date], settings: Settings) -> None:
    """Refuse a range whose weekly training (every Sunday, and the first day when there is no
    champion yet) has no history: the model learns from the days before its date, in 2013."""
    from week09_data_pipeline.context import FIRST_DAY
    from week09_data_pipeline.pipeline import TRAINING_WEEKDAY
    from week09_data_pipeline.training import has_champion, windows

    training = [day for day in days if day.weekday() == TRAINING_WEEKDAY]
    if not has_champion(settings):
        training.insert(0, days[0])
    early = [day for day in training if windows(day, settings)[0] < FIRST_DAY]
    if early:
        needed = settings.train_days + settings.valid_days
        first = FIRST_DAY + dt.timedelta(days=needed)
        raise CourseError(
            f"{early[0]} is a training day (a Sunday, or the first day without a champion) and "
            f"the model learns from the {needed} days before it: start on {first} or later",
            fix=FIRST_RUN,
        )


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
    from week09_data_pipeline.settings import get_settings

    _logging(verbose)
    first, last = _date(start, "--from"), _date(end, "--to")
    try:
        days = backfill_days(first, last)
    except ValueError as error:
        raise CourseError(str(error), fix=FIRST_RUN) from error
    settings = get_settings()
    _warehouse(settings, must_exist=False)
    _check_training_days(days, settings)

    from week09_data_pipeline.pipeline import DaySummary, run_range, snapshot

    before = snapshot(settings)
    # readable at 80 columns: short headers (explained in the caption), only "trained" wraps
    table = Table(
        title=f"{first} .. {last}",
        title_justify="left",
        caption="invalid: quarantined by week01's rules; set aside: refused by the warehouse's "
        "keys; scored D+1: the next day's flights",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("day", no_wrap=True)
    for column in ("landed", "invalid", "set\naside", "loaded", "scored\nD+1", "model"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("trained", overflow="fold", ratio=1)

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
    from week09_data_pipeline.settings import get_settings

    _logging(False)
    settings = get_settings()
    shown = _warehouse(settings, must_exist=True)

    from week09_data_pipeline.pipeline import snapshot

    table = Table()
    for column in ("table", "rows", "checksum"):
        table.add_column(column, overflow="fold")
    state = snapshot(settings)
    for name, (count, checksum) in state.items():
        table.add_row(name, f"{count:,}", checksum[:12])
    console.print(f"warehouse: {shown}", markup=False, highlight=False)
    console.print(table)
    if not any(count for count, _ in state.values()):
        console.print(f"nothing loaded yet: {FIRST_RUN}", highlight=False)


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
    # soft_wrap: an expected error stays one line whatever the terminal's width
    run_cli(app, console=Console(stderr=True, soft_wrap=True))
