"""Your code in the course's system: started exercise functions replace the reference's, the rest
stay the reference's, and names imported elsewhere follow."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from course import overlay

# a second reference module that imports an exercise function by name, before any swap
USER = """
from week99_fake.arith import add


def add_three(a: int, b: int, c: int) -> int:
    return add(add(a, b), c)
"""


@pytest.fixture
def week(fake_week: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (fake_week / "week99_fake" / "user.py").write_text(USER, encoding="utf-8")
    monkeypatch.setattr(overlay, "_APPLIED", {})
    monkeypatch.delenv(overlay.EXERCISES_ROOT_ENV, raising=False)  # the suite's notebook copy
    yield fake_week
    for name in [m for m in sys.modules if "week99_fake" in m]:
        del sys.modules[name]


def test_untouched_stub_is_not_started_and_a_written_one_is(week: Path) -> None:
    from course.grading.targets import load_module

    stub = load_module(week, "arith", "exercises", fresh=True)
    assert not overlay.started(stub.add) and not overlay.started(stub.double)
    (week / "exercises" / "arith.py").write_text(
        textwrap.dedent('''
        def add(a: int, b: int) -> int:
            """doc"""
            # a comment, then real work
            return a - b
        '''),
        encoding="utf-8",
    )
    assert overlay.started(load_module(week, "arith", "exercises", fresh=True).add)


def test_started_functions_are_yours_everywhere_the_rest_the_reference(week: Path) -> None:
    import week99_fake.user as user  # binds `add` by name before the swap

    (week / "exercises" / "arith.py").write_text(
        textwrap.dedent('''
        def add(a: int, b: int) -> int:
            return 100 * (a + b)


        def double(values: list[int]) -> list[int]:
            """Every value times two."""
            raise NotImplementedError("double")
        '''),
        encoding="utf-8",
    )
    choice = overlay.use_mine(week)
    import week99_fake.arith as arith

    assert (choice.mine, choice.total) == (1, 2)
    assert "yours add; reference (not started) double" in choice.summary()
    assert arith.add(1, 2) == 300, "the reference module now holds your add"
    assert arith.double([1]) == [2], "double is not started: the reference's"
    assert user.add_three(1, 1, 1) == 100 * (100 * 2 + 1), "a from-import follows the swap"
    assert overlay.use_mine(week).mine == 1, "applying twice changes nothing"


def test_a_stub_that_does_not_import_leaves_the_reference(week: Path) -> None:
    (week / "exercises" / "arith.py").write_text("def add(:\n", encoding="utf-8")
    choice = overlay.use_mine(week)
    import week99_fake.arith as arith

    assert arith.add(1, 2) == 3
    assert "does not import" in choice.summary()


def test_exercises_root_points_at_another_copy(
    week: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference_source: str
) -> None:
    other = tmp_path / "elsewhere" / week.name / "exercises"
    other.mkdir(parents=True)
    (other / "arith.py").write_text(reference_source, encoding="utf-8")
    monkeypatch.setenv(overlay.EXERCISES_ROOT_ENV, str(tmp_path / "elsewhere"))
    assert overlay.use_mine(week).mine == 2


def test_a_class_your_file_defines_again_is_the_references(week: Path) -> None:
    # a copy of a reference module defines its own exception class: the overlay makes your
    # functions raise the reference's, which is what the course's code catches
    (week / "week99_fake" / "arith.py").write_text(
        "class Refused(ValueError):\n    pass\n\n\n"
        "def add(a: int, b: int) -> int:\n    return a + b\n",
        encoding="utf-8",
    )
    (week / "exercises" / "arith.py").write_text(
        "class Refused(ValueError):\n    pass\n\n\n"
        "def add(a: int, b: int) -> int:\n    raise Refused('no')\n",
        encoding="utf-8",
    )
    overlay.use_mine(week)
    import week99_fake.arith as arith

    with pytest.raises(arith.Refused):
        arith.add(1, 2)
