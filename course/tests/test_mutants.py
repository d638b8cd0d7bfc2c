"""``course mutants``: mutmut over a week's exercise functions, read back per exercise."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from course.mutants import (
    changed_line,
    exercise_functions,
    load_equivalents,
    mutant_diff,
    mutate_week,
)

MUTMUT_CONFIG = """
[tool.mutmut]
source_paths = ["week99_fake/"]
pytest_add_cli_args = ["-p", "course.grading.plugin", "--course-graded-only", "-o", "addopts=",
                       "-p", "no:nbval", "-p", "no:cacheprovider"]
pytest_add_cli_args_test_selection = ["tests/"]
"""


def test_exercise_functions_are_the_stubs_public_functions(fake_week: Path) -> None:
    assert exercise_functions(fake_week) == {"arith": ["add", "double"]}


def test_diff_names_the_function_and_shows_the_change() -> None:
    original = 'def x_add__mutmut_orig(a, b):\n    """Sum."""\n    return a + b'
    mutated = 'def x_add__mutmut_3(a, b):\n    """Sum."""\n    return a - b'
    diff = mutant_diff(original, mutated, "add", "pkg/arith.py")
    assert "-    return a + b" in diff and "+    return a - b" in diff
    assert "mutmut" not in diff, "the diff shows the learner's function name, not mutmut's"
    assert changed_line(diff) == "return a - b"


def test_an_equivalent_needs_a_reason(fake_week: Path) -> None:
    path = fake_week / "tests" / "equivalent-mutants.toml"
    path.write_text('[[equivalent]]\nmutant = "m"\nline = "x"\nreason = " "\n', encoding="utf-8")
    with pytest.raises(ValueError, match="needs a reason"):
        load_equivalents(fake_week)
    path.write_text('[[equivalent]]\nmutant = "m"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="lacks"):
        load_equivalents(fake_week)


@pytest.mark.slow
def test_a_weak_check_lets_mutants_survive_and_equivalents_are_listed(
    fake_week: Path, reference_source: str
) -> None:
    # graded checks for add only: every mutant of double survives
    with (fake_week / "pyproject.toml").open("a", encoding="utf-8") as stream:
        stream.write(MUTMUT_CONFIG)
    checks = fake_week / "tests" / "test_arith.py"
    text = checks.read_text(encoding="utf-8")
    checks.write_text(text[: text.index('@pytest.mark.exercise("double")')], encoding="utf-8")
    first = mutate_week(fake_week, workers=1)
    by_function = {e.function: e for e in first.exercises}
    add, double = by_function["add"], by_function["double"]
    assert add.mutants and add.killed == len(add.mutants), [m.diff for m in add.mutants]
    assert double.mutants and double.survived == len(double.mutants)
    survivor = double.mutants[0]
    assert "-    return [2 * v for v in values]" in survivor.diff
    assert 0 < first.kill_rate < 1

    # listing a survivor as equivalent takes it out of the rate; a wrong line is reported stale
    (fake_week / "tests" / "equivalent-mutants.toml").write_text(
        textwrap.dedent(
            f"""
            [[equivalent]]
            mutant = "{survivor.name}"
            line = "{changed_line(survivor.diff)}"
            reason = "for the test only"

            [[equivalent]]
            mutant = "{double.mutants[1].name}"
            line = "return 'something else'"
            reason = "for the test only"
            """
        ),
        encoding="utf-8",
    )
    second = mutate_week(fake_week, workers=1)
    double = {e.function: e for e in second.exercises}["double"]
    assert double.equivalent == 1
    assert second.counted == first.counted - 1
    assert len(second.stale_equivalents) == 1
    assert double.mutants[1].name in second.stale_equivalents[0]
