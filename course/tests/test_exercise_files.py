"""File exercises (a Dockerfile, not a Python module): the table that names their reference,
the ``solution_file`` fixture, TODO while the stub is only its contract, and the signature and
leak checks that guard them."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.grading import compare_stubs, grade_week
from course.grading.leaks import week_leaks
from course.grading.targets import exercise_files, file_started, load_file

REFERENCE = """# syntax=docker/dockerfile:1
# the reference's own comment
FROM python:3.11.11-slim AS build
RUN pip install --no-cache-dir \\
    thing==1.0
USER app
"""
CONTRACT = """# Write the image here. The contract:
# - start from a pinned Python image (a tag with a version number);
# - install thing, version 1.0, without pip's cache;
# - run as a user that is not root.
"""
CHECKS = """
import pytest


@pytest.mark.exercise("Dockerfile")
@pytest.mark.points(2)
@pytest.mark.hint("a tag with a version")
def test_pinned(solution_file):
    text = solution_file("Dockerfile").read_text()
    assert "FROM python:3.11.11" in text, "pin the base image to a version"
"""


@pytest.fixture
def file_week(fake_week: Path) -> Path:
    """The fake week with a file exercise: exercises/Dockerfile, its reference week/Dockerfile."""
    (fake_week / "Dockerfile").write_text(REFERENCE, encoding="utf-8")
    (fake_week / "exercises" / "Dockerfile").write_text(CONTRACT, encoding="utf-8")
    (fake_week / "tests" / "exercise-files.toml").write_text(
        '[files]\nDockerfile = "Dockerfile"\n', encoding="utf-8"
    )
    (fake_week / "tests" / "test_file.py").write_text(CHECKS, encoding="utf-8")
    return fake_week


def _write_stub(week: Path, text: str) -> None:
    (week / "exercises" / "Dockerfile").write_text(text, encoding="utf-8")


def test_the_table_names_the_reference(file_week: Path) -> None:
    assert exercise_files(file_week) == {"Dockerfile": file_week / "Dockerfile"}
    assert load_file(file_week, "Dockerfile") == file_week / "Dockerfile"


def test_a_stub_of_comments_only_is_not_started(file_week: Path) -> None:
    stub = file_week / "exercises" / "Dockerfile"
    assert not file_started(stub)
    with pytest.raises(NotImplementedError):
        load_file(file_week, "Dockerfile", "exercises")
    _write_stub(file_week, CONTRACT + "FROM python:3.11.11-slim\n")
    assert load_file(file_week, "Dockerfile", "exercises") == stub


def test_a_custom_exercises_folder_is_read(file_week: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "Dockerfile").write_text("FROM python:3.12.7\n", encoding="utf-8")
    assert load_file(file_week, "Dockerfile", "exercises", mine) == mine / "Dockerfile"


def test_an_unlisted_name_and_a_bad_table_are_refused(file_week: Path) -> None:
    with pytest.raises(LookupError, match=r"exercise-files\.toml lists no file 'compose\.yaml'"):
        load_file(file_week, "compose.yaml")
    table = file_week / "tests" / "exercise-files.toml"
    table.write_text('[files]\n"clean.py" = "clean.py"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="that is not Python"):
        exercise_files(file_week)


def test_grading_a_file_exercise(file_week: Path) -> None:
    """Untouched: TODO; the reference: full marks; written wrong: FAIL with the check's message;
    written right: PASS."""

    def status() -> tuple[str, str]:
        check = next(c for c in grade_week(file_week).checks if c.exercise == "Dockerfile")
        return check.status, check.message

    assert status()[0] == "todo"
    reference = grade_week(file_week, target="reference")
    assert [c.status for c in reference.checks if c.exercise == "Dockerfile"] == ["pass"]
    _write_stub(file_week, CONTRACT + "FROM python:latest\n")
    assert status() == ("fail", "pin the base image to a version")
    _write_stub(file_week, CONTRACT + "FROM python:3.11.11-slim AS build\n")
    assert status()[0] == "pass"


def test_the_signature_check_guards_file_exercises(file_week: Path) -> None:
    assert compare_stubs(file_week) == []
    (file_week / "exercises" / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    assert any("notes.yaml: not Python and not listed" in p for p in compare_stubs(file_week))
    (file_week / "exercises" / "notes.yaml").unlink()
    (file_week / "exercises" / "Dockerfile").unlink()
    (file_week / "Dockerfile").unlink()
    problems = compare_stubs(file_week)
    assert any("Dockerfile: the stub is missing" in p for p in problems), problems
    assert any("its reference" in p and "is missing" in p for p in problems), problems


def test_a_contract_in_comments_is_no_leak(file_week: Path) -> None:
    assert week_leaks(file_week) == []


def test_a_stub_that_is_the_reference_copied_is_caught(file_week: Path) -> None:
    _write_stub(file_week, REFERENCE)
    problems = week_leaks(file_week)
    assert any("FROM python:3.11.11-slim AS build" in p for p in problems), problems
    assert any("pip install --no-cache-dir" in p for p in problems), problems


def test_a_reference_line_in_a_comment_or_a_hint_is_caught(file_week: Path) -> None:
    _write_stub(file_week, CONTRACT + "#   from  PYTHON:3.11.11-slim as build\n")
    hints = file_week / "exercises" / "hints.toml"
    hints.write_text(
        '[Dockerfile]\nsteps = ["The idea: pin it.", '
        '"The API: `RUN pip install --no-cache-dir thing==1.0`", "The user: USER app"]\n',
        encoding="utf-8",
    )
    problems = week_leaks(file_week)
    assert any("exercises/Dockerfile" in p and "AS build" in p for p in problems), problems
    assert any("[Dockerfile] step 2" in p for p in problems), problems
    assert not any("step 3" in p for p in problems), "two words (USER app) are an idea"
