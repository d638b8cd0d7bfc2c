"""Suite-level checks over every week that has exercises: the grading contract holds.

- the learner's stubs have the reference's names and signatures;
- untouched stubs score 0, every check TODO (a check that passes on a stub checks nothing);
- the reference scores 100 %;
- the committed mutation report covers exactly the week's exercise functions, at >= 90 % killed;
- every notebook's .ipynb matches its jupytext .py source and carries no outputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course.grading import compare_stubs, grade_week
from course.grading.hints import MIN_STEPS, graded_exercises, load_hints
from course.grading.leaks import week_leaks
from course.mutants import (
    REQUIRED_KILL_RATE,
    committed_report,
    exercise_functions,
    load_equivalents,
)
from course.paths import week_dirs

WEEKS = [p for p in week_dirs() if (p / "exercises").is_dir()]
NOTEBOOKS = sorted(nb for week in week_dirs() for nb in (week / "notebooks").glob("*.ipynb"))


def test_check_files_have_names_unique_across_weeks() -> None:
    """The whole suite runs in one pytest process, which imports test modules by file name
    (no packages): two weeks with a ``tests/test_06_cli.py`` stop the collection."""
    seen: dict[str, Path] = {}
    for week in WEEKS:
        for path in sorted((week / "tests").glob("test_*.py")):
            assert path.name not in seen, (
                f"{path} and {seen[path.name]} share a file name: rename one (e.g. with the "
                "week's subject in it)"
            )
            seen[path.name] = path


def test_there_are_weeks_to_check() -> None:
    assert WEEKS, "no week folder with exercises/ was found"


@pytest.mark.parametrize("week", WEEKS, ids=lambda p: p.name)
def test_stubs_match_reference_signatures(week: Path) -> None:
    problems = compare_stubs(week)
    assert not problems, "stubs drifted from the reference:\n" + "\n".join(problems)


@pytest.mark.parametrize("week", WEEKS, ids=lambda p: p.name)
def test_stubs_state_contracts_not_recipes(week: Path) -> None:
    """No stub docstring or hint step holds a line of the reference's body (names and spacing
    normalised), and no stub keeps a numbered Steps: recipe: the grade measures thinking."""
    problems = week_leaks(week)
    assert not problems, (
        "these give the answer away; state the contract (inputs, output, errors, invariants) "
        "and move the recipe into hints that name the idea, not the line:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("week", WEEKS, ids=lambda p: p.name)
def test_every_exercise_has_hints_in_steps(week: Path) -> None:
    hints = load_hints(week)
    exercises = graded_exercises(week)
    few = [
        f"{name} ({len(hints.get(name, []))})"
        for name in exercises
        if len(hints.get(name, [])) < MIN_STEPS
    ]
    assert not few, (
        f"{week.name}/exercises/hints.toml: every graded exercise needs at least {MIN_STEPS} hint "
        f"steps (the idea, then the approach): {', '.join(few)}"
    )
    unknown = sorted(set(hints) - set(exercises))
    assert not unknown, f"{week.name}/exercises/hints.toml names no graded exercise: {unknown}"


@pytest.mark.slow
@pytest.mark.parametrize("week", WEEKS, ids=lambda p: p.name)
def test_fresh_stubs_score_zero(week: Path) -> None:
    report = grade_week(week, target="exercises")
    assert report.error is None, report.error
    assert report.possible > 0
    passing = [c.nodeid for c in report.checks if c.status == "pass"]
    assert not passing, f"these checks pass on an untouched stub, so they check nothing: {passing}"
    not_todo = [f"{c.nodeid}: {c.message}" for c in report.checks if c.status != "todo"]
    assert not not_todo, "untouched stubs should be TODO, not FAIL:\n" + "\n".join(not_todo)


@pytest.mark.slow
@pytest.mark.parametrize("week", WEEKS, ids=lambda p: p.name)
def test_reference_scores_full_marks(week: Path) -> None:
    report = grade_week(week, target="reference")
    assert report.error is None, report.error
    failing = [f"{c.nodeid}: {c.message}" for c in report.checks if c.status != "pass"]
    assert not failing, "the reference fails graded checks:\n" + "\n".join(failing)
    assert report.earned == report.possible > 0


@pytest.mark.parametrize("week", WEEKS, ids=lambda p: p.name)
def test_committed_mutation_report_is_current_and_strong(week: Path) -> None:
    report = committed_report(week)
    key = week.name.split("-")[0]
    assert report is not None, f"no tests/mutants.json: run `uv run course mutants {key} --save`"
    reported = {(e["module"], e["function"]) for e in report["exercises"]}
    exercises = {(m, f) for m, names in exercise_functions(week).items() for f in names}
    assert reported == exercises, (
        f"the report covers {sorted(reported ^ exercises)} differently from exercises/: "
        f"run `uv run course mutants {key} --save` again"
    )
    load_equivalents(week)  # every listed equivalent has its line and a reason
    assert report["kill_rate"] >= REQUIRED_KILL_RATE, (
        f"{week.name}: the graded checks kill {100 * report['kill_rate']:.1f} % of the mutants; "
        f"run `uv run course mutants {key}` and write checks for the survivors"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_notebook_is_paired_and_clean(notebook: Path) -> None:
    import jupytext

    source = notebook.with_suffix(".py")
    assert source.exists(), f"{notebook.name} has no jupytext source {source.name}"
    ipynb = jupytext.read(notebook)
    py = jupytext.read(source)
    code = lambda nb: [c.source.strip() for c in nb.cells if c.cell_type == "code"]  # noqa: E731
    assert code(ipynb) == code(py), (
        f"{notebook.name} is out of date: run `uv run jupytext --sync {source}`"
    )
    outputs = [c for c in ipynb.cells if c.cell_type == "code" and c.get("outputs")]
    assert not outputs, f"{notebook.name} has saved outputs: clear them before committing"
