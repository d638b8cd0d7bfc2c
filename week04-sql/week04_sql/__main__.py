"""``python -m week04_sql --help``: load the flights into the database, build the feature
table there, and read a query plan. The database is ``DATABASE_URL`` (a SQLite file by
default; see ``.env.example``)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table

from week04_sql.db import make_engine

app = typer.Typer(help="Weeks 4-5: features straight from the database.", no_args_is_help=True)
console = Console()

Url = Annotated[str | None, typer.Option(help="database URL (default: the DATABASE_URL setting)")]


def _logging() -> None:
    # through rich, so log lines do not break the progress bar
    logging.basicConfig(
        level=logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
        force=True,
    )


def _date(text: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{name} must be a date YYYY-MM-DD, got {text!r}") from exc
    if day.year != 2013:
        raise typer.BadParameter(f"{name} must be in 2013 (the data's year), got {text!r}")
    return day


@app.command()
def load(
    month: Annotated[list[int] | None, typer.Option(help="month(s) to load, 1-12")] = None,
    day: Annotated[list[int] | None, typer.Option(help="only these days of the month(s)")] = None,
    year: Annotated[bool, typer.Option("--year", help="load all of 2013")] = False,
    url: Url = None,
) -> None:
    """Load days of flights (and their weather, planes, airports, airlines) idempotently.

    Re-running a load changes nothing: the row counts and checksums printed at the end say so.
    """
    from week04_sql.load import days_of, load_days, snapshot

    _logging()
    months = list(range(1, 13)) if year else (month or [1])
    days = [d for m in months for d in days_of(m, day)]
    engine = make_engine(url)
    results = load_days(engine, days, progress=True)
    with engine.connect() as conn:
        state = snapshot(conn)
    table = Table(title=f"{engine.url.render_as_string(hide_password=True)}", title_justify="left")
    for column in ("table", "loaded now", "set aside now", "rows stored", "checksum"):
        table.add_column(column)
    for name, (count, checksum) in state.items():
        result = results.get(name)
        table.add_row(
            name,
            str(result.loaded) if result else "",
            str(len(result.rejected)) if result else "",
            f"{count:,}",
            checksum[:12],
        )
    console.print(table)


@app.command()
def features(
    start: Annotated[str, typer.Option(help="first flight date, YYYY-MM-DD")] = "2013-01-01",
    end: Annotated[str, typer.Option(help="last flight date, YYYY-MM-DD")] = "2013-01-31",
    out: Annotated[Path, typer.Option(help="where to write the feature table")] = Path(
        "artifacts/week04/features.parquet"
    ),
    url: Url = None,
) -> None:
    """Build the feature table in the database and write it as Parquet."""
    from week04_sql.features import build_features

    _logging()
    first, last = _date(start, "start"), _date(end, "end")
    with make_engine(url).connect() as conn, console.status("Querying..."):
        frame = build_features(conn, first, last)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(out, index=False)
    console.print(f"{len(frame):,} flights x {frame.shape[1]} columns -> {out}")


@app.command()
def parity(
    start: Annotated[str, typer.Option(help="first flight date, YYYY-MM-DD")] = "2013-01-01",
    end: Annotated[str, typer.Option(help="last flight date, YYYY-MM-DD")] = "2013-01-31",
    url: Url = None,
) -> None:
    """Compare the database's features with week03's (the model's), feature by feature.

    Exits 0 when every feature of every flight agrees; otherwise prints, for each feature that
    differs, the first flight and both values, and exits 1. The database must hold every flight
    since 1 January (``load --month 1 --month 2 ...``).
    """
    from week04_sql.parity import check_parity

    _logging()
    first, last = _date(start, "start"), _date(end, "end")
    with make_engine(url).connect() as conn, console.status("Building both feature tables..."):
        problems = check_parity(conn, first, last)
    for problem in problems:
        console.print(f"[red]✗[/] {problem}", markup=True, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]✓[/] every feature of every flight agrees ({first} to {last})")


def _month(text: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise typer.BadParameter(f"month must be YYYY-MM, got {text!r}") from exc
    if first.year != 2013:
        raise typer.BadParameter(f"month must be in 2013 (the data's year), got {text!r}")
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


@app.command()
def materialize(
    start: Annotated[str, typer.Option("--from", help="first flight date, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last flight date, YYYY-MM-DD")],
    url: Url = None,
) -> None:
    """Write the online store's features for each day (after the days before it are loaded).

    Idempotent: a day materialized twice leaves the store as once.
    """
    from week04_sql.online import materialize as materialize_day

    _logging()
    first, last = _date(start, "--from"), _date(end, "--to")
    engine = make_engine(url)
    day = first
    while day <= last:
        materialize_day(engine, day)
        day += dt.timedelta(days=1)


@app.command("skew-check")
def skew_check(
    month: Annotated[str, typer.Option(help="the month to check, YYYY-MM")] = "2013-09",
    url: Url = None,
) -> None:
    """Training = serving: every feature of every flight of a month, looked up in the online
    store from the schedule alone, against week03's build_features (what the model trained on).

    Loads the days up to the month's end that the database lacks, materializes the month, then
    compares. Exits 0 only when every feature of every flight agrees (NaN equal to NaN);
    otherwise names each differing feature, the first flight and both values, and exits 1.
    """
    from week04_sql.load import load_days
    from week04_sql.online import loaded_days
    from week04_sql.online import materialize as materialize_day
    from week04_sql.online import skew_check as check

    _logging()
    first, last = _month(month)
    engine = make_engine(url)
    wanted = [
        dt.date(2013, 1, 1) + dt.timedelta(days=i)
        for i in range((last.toordinal() - dt.date(2013, 1, 1).toordinal()) + 1)
    ]
    missing = sorted(set(wanted) - loaded_days(engine))
    if missing:
        console.print(f"loading {len(missing)} days up to {last} (once)")
        load_days(engine, missing, progress=True)
    day = first
    while day <= last:
        materialize_day(engine, day)
        day += dt.timedelta(days=1)
    with engine.connect() as conn, console.status("Looking up every flight, building week03's..."):
        problems = check(conn, first, last)
    for problem in problems:
        console.print(f"[red]✗[/] {problem}", markup=True, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    console.print(
        f"[green]✓[/] the online store serves exactly the model's features: every feature of "
        f"every flight from {first} to {last}",
        soft_wrap=True,
    )


@app.command("bench-lookup")
def bench_lookup(
    day: Annotated[str, typer.Option(help="a flight date the store has reached")] = "2013-09-14",
    repeats: Annotated[int, typer.Option(help="one-flight lookups to time")] = 200,
    url: Url = None,
) -> None:
    """Time the online store: one flight looked up from its schedule, and a whole day's batch.

    Run ``skew-check`` (or ``load`` + ``materialize``) for that month first.
    """
    import statistics
    import time

    from week04_sql.online import lookup, schedule_of

    when = _date(day, "day")
    engine = make_engine(url)
    with engine.connect() as conn:
        schedule = schedule_of(conn, when, when)
        if schedule.empty:
            raise typer.BadParameter(f"no flights of {when} in the database: load it first")
        one = schedule.drop(columns="distance")
        times = []
        for i in range(repeats):
            row = one.iloc[[i % len(one)]]
            start = time.perf_counter()
            lookup(conn, row)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        lookup(conn, schedule)
        batch = time.perf_counter() - start
    backend = engine.url.get_backend_name()
    console.print(
        f"{backend}: one flight {1000 * statistics.median(times):.1f} ms median, "
        f"{1000 * sorted(times)[int(0.99 * (len(times) - 1))]:.1f} ms p99 ({repeats} lookups); "
        f"the day's {len(schedule):,} flights in one batch {1000 * batch:.0f} ms",
        soft_wrap=True,
    )


@app.command()
def explain(
    tailnum: Annotated[str, typer.Option(help="the plane whose flights are looked up")] = "N14228",
    url: Url = None,
) -> None:
    """Show the plan of one plane's flights without, then with an index on tailnum."""
    from week04_sql.explain import PLANE_QUERY, compare_plans

    console.print(f"[bold]{PLANE_QUERY}[/]")
    for title, plan in compare_plans(make_engine(url), tailnum).items():
        console.print(f"\n[bold]{title}[/]")
        for line in plan:
            console.print(f"  {line}")


if __name__ == "__main__":
    app()
