"""``python -m week01_data --help``: build the week's dataset, or report on the raw data."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from course import data
from week01_data.dataset import build_dataset
from week01_data.validate import flights_schema, violations, weather_schema

app = typer.Typer(help="Weeks 1-2: is the raw flight data fit to learn from?", no_args_is_help=True)
console = Console()


@app.command()
def build(
    out: Annotated[Path, typer.Option(help="where to write the joined table")] = Path(
        "artifacts/flights.parquet"
    ),
) -> None:
    """Validate, clean, label and join the whole year; write it and the quarantined rows."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    data.ensure_cache()
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
    data.ensure_cache()
    for name, schema in (("flights", flights_schema()), ("weather", weather_schema())):
        found = violations(data.load_table(name), schema)
        table = Table(title=f"{name}: {len(found)} broken rule(s)", title_justify="left")
        for column in ("column", "rule", "rows", "example"):
            table.add_column(column)
        for row in found.itertuples(index=False):
            table.add_row(str(row.column), str(row.rule), str(row.rows), str(row.example))
        console.print(table)


if __name__ == "__main__":
    app()
