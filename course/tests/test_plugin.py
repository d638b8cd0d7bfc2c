"""The grading plugin itself, run in-process with pytester (the grader runs it in a subprocess,
where coverage does not follow): what it records for each kind of outcome."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CHECKS = """
import pytest


@pytest.mark.exercise("ex")
@pytest.mark.points(2)
@pytest.mark.hint("a hint")
def test_passes():
    assert True


@pytest.mark.exercise("ex")
@pytest.mark.points(1)
def test_todo():
    raise NotImplementedError("stub")


@pytest.mark.exercise("ex")
@pytest.mark.points(1)
def test_todo_behind_another_error():
    try:
        raise NotImplementedError("stub")
    except NotImplementedError as exc:
        raise KeyError("wrapped") from exc


@pytest.mark.points(1)
def test_wrong():
    assert 1 == 2, "one is not two"


@pytest.mark.points(1)
def test_plain_assert():
    assert 1 == 2


@pytest.mark.points(1)
def test_error():
    {}["missing"]


@pytest.mark.points(1)
def test_skipped():
    pytest.skip("not on this machine")


@pytest.mark.points(1)
def test_flood():
    print("x" * 1_500_000)


@pytest.mark.points(1)
def test_flood_and_wrong():
    print("x" * 1_500_000)
    assert False, "wrong too"


@pytest.fixture
def broken():
    raise RuntimeError("fixture broke")


@pytest.mark.points(1)
def test_setup_error(broken):
    pass


@pytest.mark.exercise("ex")
@pytest.mark.points(1)
@pytest.mark.parametrize(
    "n", [pytest.param(1, id="one"), pytest.param(2, id="two", marks=pytest.mark.points(3))]
)
def test_cases(n):
    assert n


def test_ungraded():
    assert True
"""


def _run(pytester: pytest.Pytester, *args: str) -> dict[str, dict[str, object]]:
    pytester.makepyfile(test_checks=CHECKS)
    results = pytester.path / "results.jsonl"
    pytester.runpytest_inprocess(
        "-p",
        "course.grading.plugin",
        "--course-results",
        str(results),
        "--course-graded-only",
        *args,
    )
    records = [json.loads(line) for line in results.read_text().splitlines()]
    return {r["nodeid"].split("::")[-1]: r for r in records if r["event"] == "result"} | {
        "_collected": {r["nodeid"].split("::")[-1]: r for r in records if r["event"] == "collected"}
    }


@pytest.fixture
def outcomes(pytester: pytest.Pytester) -> dict[str, dict[str, object]]:
    return _run(pytester)


def test_collected_checks_carry_their_grading(outcomes: dict[str, dict[str, object]]) -> None:
    collected = outcomes["_collected"]
    assert "test_ungraded" not in collected
    assert collected["test_passes"] == {
        "event": "collected",
        "nodeid": "test_checks.py::test_passes",
        "exercise": "ex",
        "points": 2,
        "hint": "a hint",
        "title": "",  # no docstring: the grader spells out the test's name instead
    }
    assert collected["test_wrong"]["exercise"] == "checks", "default: the module's name"
    # a case's own points win over the function's
    assert collected["test_cases[one]"]["points"] == 1
    assert collected["test_cases[two]"]["points"] == 3


@pytest.mark.parametrize(
    ("test", "status", "message"),
    [
        pytest.param("test_passes", "pass", "", id="pass"),
        pytest.param("test_todo", "todo", "not started", id="todo"),
        pytest.param("test_todo_behind_another_error", "todo", "not started", id="todo-chained"),
        pytest.param("test_wrong", "fail", "one is not two", id="assert-message"),
        pytest.param("test_plain_assert", "fail", "assert 1 == 2", id="plain-assert"),
        pytest.param("test_error", "fail", "KeyError: 'missing'", id="error"),
        pytest.param("test_skipped", "fail", "skipped: not on this machine", id="skip-is-fail"),
        pytest.param("test_flood", "fail", "printed 1.5 MB of output", id="flood"),
        pytest.param("test_flood_and_wrong", "fail", "wrong too; and printed 1.5 MB", id="both"),
        pytest.param("test_setup_error", "fail", "RuntimeError: fixture broke", id="setup"),
    ],
)
def test_each_outcome_is_recorded(
    outcomes: dict[str, dict[str, object]], test: str, status: str, message: str
) -> None:
    record = outcomes[test]
    assert record["status"] == status
    assert str(record["message"]).startswith(message)


def test_solution_fixture_loads_reference_and_exercises(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    week = pytester.path / "week98-mini"
    for folder in ("week98_mini", "exercises", "tests"):
        (week / folder).mkdir(parents=True)
    (week / "pyproject.toml").write_text("[project]\nname = 'week98-mini'\n")
    (week / "week98_mini" / "__init__.py").write_text("")
    (week / "week98_mini" / "mod.py").write_text("WHO = 'reference'\n")
    (week / "exercises" / "mod.py").write_text("WHO = 'exercises'\n")
    (week / "tests" / "test_mod.py").write_text(
        "import os\n\ndef test_who(solution):\n"
        "    assert solution('mod').WHO == os.environ['EXPECTED']\n"
    )
    pytester.syspathinsert(week)
    for target in ("reference", "exercises"):
        monkeypatch.setenv("EXPECTED", target)
        result = pytester.runpytest_inprocess(
            "-p", "course.grading.plugin", f"--course-target={target}", str(week / "tests")
        )
        result.assert_outcomes(passed=1)


def test_missing_exercise_file_says_how_to_restore(tmp_path: Path) -> None:
    from course.grading.targets import load_module

    with pytest.raises(FileNotFoundError, match="git checkout"):
        load_module(tmp_path, "absent", "exercises")
    with pytest.raises(ValueError, match="target must be one of"):
        load_module(tmp_path, "absent", "solution")  # type: ignore[arg-type]
