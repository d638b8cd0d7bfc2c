"""``python -m week04_sql --help``: load the flights into the database, build the feature
table there, and read a query plan. The database is ``DATABASE_URL`` (a SQLite file under
``artifacts/week04/`` by default; see ``.env.example``).

An expected error (a date outside 2013, no flights loaded yet, a store not materialized, a
database that cannot be reached) is one line naming the cause and the command that fixes it,
exit code 2; a traceback means a bug.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from course.cli_support import CourseError, run_cli, setup_logging
from week04_sql.db import make_engine

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(help="Weeks 4-5: features straight from the database.", no_args_is_help=True)
console = Console()

Url = Annotated[str | None, typer.Option(help="database URL (default: the DATABASE_URL setting)")]


def _logging() -> None:
    setup_logging(console)  # through rich, so log lines do not break the progress bar


LOAD_JANUARY = "python -m week04_sql load --month 1"


def _date(text: str, option: str) -> dt.date:
    """``text`` as a date of 2013, or a :class:`CourseError` naming ``option``."""
    fix = f"pass a date of 2013, e.g. {option} 2013-01-08"
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CourseError(f"{option} must be a date YYYY-MM-DD, got {text!r}", fix=fix) from exc
    if day.year != 2013:
        raise CourseError(f"{option} must be in 2013 (the data's year), got {text!r}", fix=fix)
    return day


def _engine(url: str | None, *, read_only: bool = False) -> Engine:
    """The engine of ``url`` (default: the setting), connected once, so a wrong URL or a server
    that is down is one line, not a traceback."""
    try:
        engine = make_engine(url, read_only=read_only)
    except ValueError as exc:  # a backend the week does not support
        raise CourseError(
            str(exc), fix="set DATABASE_URL to a sqlite:/// or postgresql+psycopg:// URL"
        ) from exc
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        raise CourseError(
            f"cannot connect to {_name(engine)}: {str(exc.orig).strip().splitlines()[0]}",
            fix="docker compose -f week04-sql/docker-compose.yml up -d, or check DATABASE_URL",
        ) from exc
    return engine


def _name(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _months_command(last: dt.date) -> str:
    months = " ".join(f"--month {m}" for m in range(1, last.month + 1))
    return f"python -m week04_sql load {months}"


def _require_flights(
    engine: Engine, first: dt.date, last: dt.date, *, fix: str | None = None
) -> None:
    """A :class:`CourseError` unless the database holds flights from ``first`` to ``last``;
    ``fix`` replaces the load command it suggests."""
    from week04_sql.schema import flights

    if not sa.inspect(engine).has_table(flights.name):
        raise CourseError(f"no flights loaded in {_name(engine)} yet", fix=fix or LOAD_JANUARY)
    with engine.connect() as conn:
        count = conn.execute(
            sa.select(sa.func.count())
            .select_from(flights)
            .where(
                flights.c.flight_date.between(
                    sa.bindparam("first", first, type_=sa.Date),
                    sa.bindparam("last", last, type_=sa.Date),
                )
            )
        ).scalar_one()
    if not count:
        months = " ".join(f"--month {m}" for m in sorted({first.month, last.month}))
        raise CourseError(
            f"no flights from {first} to {last} in {_name(engine)}",
            fix=fix or f"python -m week04_sql load {months}",
        )


def _require_history(engine: Engine, last: dt.date) -> None:
    """A :class:`CourseError` unless every day from 1 January to ``last`` is loaded."""
    from week04_sql.online import loaded_days

    _require_flights(engine, dt.date(2013, 1, 1), last)
    have = loaded_days(engine)
    every = [dt.date(2013, 1, 1) + dt.timedelta(days=i) for i in range(last.timetuple().tm_yday)]
    missing = [day for day in every if day not in have]
    if missing:
        raise CourseError(
            f"{len(missing)} days from 2013-01-01 to {last} are not loaded (first: {missing[0]}); "
            "the rates of a day need every day before it",
            fix=_months_command(last),
        )


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
    bad = [m for m in months if not 1 <= m <= 12]
    if bad:
        raise CourseError(f"--month must be 1-12, got {bad[0]}", fix=LOAD_JANUARY)
    days = [d for m in months for d in days_of(m, day)]
    if not days:
        raise CourseError(
            f"no such day in month(s) {months}: {day}",
            fix=f"python -m week04_sql load --month {months[0]} --day 1",
        )
    engine = _engine(url)
    results = load_days(engine, days, progress=True)
    with engine.connect() as conn:
        state = snapshot(conn)
    table = Table(title=_name(engine), title_justify="left")
    for column in ("table", "loaded now", "set aside", "rows stored", "checksum"):
        table.add_column(column, overflow="fold", justify="left" if column == "table" else "right")
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
    first, last = _date(start, "--start"), _date(end, "--end")
    if last < first:
        raise CourseError(f"--end {last} is before --start {first}", fix="swap the two dates")
    engine = _engine(url)
    _require_flights(engine, first, last)
    with engine.connect() as conn, console.status("Querying..."):
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
    first, last = _date(start, "--start"), _date(end, "--end")
    if last < first:
        raise CourseError(f"--end {last} is before --start {first}", fix="swap the two dates")
    engine = _engine(url)
    _require_history(engine, last)
    with engine.connect() as conn, console.status("Building both feature tables..."):
        problems = check_parity(conn, first, last)
    for problem in problems:
        console.print(f"[red]✗[/] {problem}", markup=True, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]✓[/] every feature of every flight agrees ({first} to {last})")


def _month(text: str) -> tuple[dt.date, dt.date]:
    fix = "pass a month of 2013, e.g. --month 2013-09"
    try:
        first = dt.date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise CourseError(f"--month must be YYYY-MM, got {text!r}", fix=fix) from exc
    if first.year != 2013:
        raise CourseError(f"--month must be in 2013 (the data's year), got {text!r}", fix=fix)
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
    engine = _engine(url)
    _require_flights(engine, first, last)
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
    engine = _engine(url)
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


def _request_times(engine: Engine, requests: list[pd.DataFrame]) -> list[float]:
    """Seconds per request: each takes a connection from the pool and looks up its rows, as
    week05's service does for one call, in a frame of its own (a service parses each request
    into a new one: the same frame again would serve its columns from pandas' cache, and the
    frames kept here would keep what pandas cached for them)."""
    from week04_sql.online import lookup

    times = []
    for rows in requests:
        request = rows.copy()
        start = time.perf_counter()
        with engine.connect() as conn:
            lookup(conn, request)
        times.append(time.perf_counter() - start)
    return times


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.2f} ms"


@app.command("bench-lookup")
def bench_lookup(
    day: Annotated[str, typer.Option(help="a flight date the store has reached")] = "2013-09-14",
    repeats: Annotated[int, typer.Option(help="requests to time, warm and cold")] = 300,
    url: Url = None,
) -> None:
    """Time the online store, one flight per request from its schedule alone (the distance
    comes from the store), then the day's flights in one batch.

    Warm keys ask the same flight again; cold keys ask distinct flights of the day, each for
    the first time in this process (at most the day's flights). Run ``skew-check`` (or
    ``load`` + ``materialize``) for that month first.
    """
    import numpy as np

    from week04_sql.online import StoreNotReady, lookup, schedule_of

    when = _date(day, "--day")
    if repeats < 1:
        raise CourseError(f"--repeats must be at least 1, got {repeats}", fix="e.g. --repeats 300")
    engine = _engine(url, read_only=True)  # as week05's service reads the store
    skew_check_month = f"python -m week04_sql skew-check --month {when:%Y-%m}"
    _require_flights(engine, when, when, fix=skew_check_month)
    with engine.connect() as conn:
        schedule = schedule_of(conn, when, when)
    one = schedule.drop(columns="distance")
    flights = [one.iloc[[i]] for i in range(len(one))]
    try:
        (first,) = _request_times(engine, flights[:1])
    except StoreNotReady as exc:
        raise CourseError(str(exc), fix=skew_check_month) from exc
    timed = {
        "cold (distinct flights, first time)": _request_times(engine, flights[1 : repeats + 1]),
        "warm (the same flight again)": _request_times(engine, flights[:1] * repeats),
    }
    batches = []
    for _ in range(2):  # the first batch of a process also compiles the batch's statements
        start = time.perf_counter()
        with engine.connect() as conn:
            lookup(conn, schedule)
        batches.append(time.perf_counter() - start)
    table = Table(
        title=f"{_name(engine)}\none flight per request, {when} ({len(schedule):,} flights)",
        title_justify="left",
    )
    for column in ("keys", "requests", "p50", "p99"):
        table.add_column(column, justify="left" if column == "keys" else "right")
    for keys, times in timed.items():
        if times:  # no cold keys on a day of one flight
            p50, p99 = np.percentile(times, [50, 99])
            table.add_row(keys, str(len(times)), _ms(p50), _ms(p99))
    console.print(table)
    console.print(
        f"the first request of the process {_ms(first)}; "
        f"the day's {len(schedule):,} flights in one batch {_ms(batches[0])} "
        f"(again: {_ms(batches[1])})",
        soft_wrap=True,
    )
    if hasattr(os, "getloadavg"):  # not on Windows
        # the tail of a timing is the machine's as much as the code's: say how busy it was
        console.print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


@app.command()
def explain(
    tailnum: Annotated[str, typer.Option(help="the plane whose flights are looked up")] = "N14228",
    url: Url = None,
) -> None:
    """Show the plan of one plane's flights without, then with an index on tailnum."""
    from week04_sql.explain import PLANE_QUERY, compare_plans
    from week04_sql.schema import flights

    engine = _engine(url)
    if not sa.inspect(engine).has_table(flights.name):
        raise CourseError(f"no flights loaded in {_name(engine)} yet", fix=LOAD_JANUARY)
    console.print(f"[bold]{PLANE_QUERY}[/]")
    for title, plan in compare_plans(engine, tailnum).items():
        console.print(f"\n[bold]{title}[/]")
        for line in plan:
            console.print(f"  {line}")


if __name__ == "__main__":
    run_cli(app)
