"""Fixtures for the course tooling's own tests: a tiny fake week to grade."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REFERENCE = '''
def add(a: int, b: int) -> int:
    """The sum of a and b."""
    return a + b


def double(values: list[int]) -> list[int]:
    """Every value times two."""
    return [2 * v for v in values]
'''

STUB = '''
def add(a: int, b: int) -> int:
    """The sum of a and b."""
    raise NotImplementedError("add")


def double(values: list[int]) -> list[int]:
    """Every value times two."""
    raise NotImplementedError("double")
'''

CHECKS = """
import pytest


@pytest.fixture
def arith(solution):
    return solution("arith")


@pytest.mark.exercise("add")
@pytest.mark.points(2)
@pytest.mark.hint("use the + operator")
def test_add(arith):
    assert arith.add(2, 3) == 5, "2 + 3 should be 5"


@pytest.mark.exercise("add")
@pytest.mark.points(1)
@pytest.mark.hint("negative numbers add too")
def test_add_negative(arith):
    assert arith.add(-2, -3) == -5, "-2 + -3 should be -5"


@pytest.mark.exercise("double")
@pytest.mark.points(3)
@pytest.mark.hint("a list comprehension")
def test_double(arith):
    assert arith.double([1, 2]) == [2, 4], "[1, 2] doubled is [2, 4]"


def test_not_graded():
    assert True
"""


def write_stub(week: Path, body: str) -> None:
    (week / "exercises" / "arith.py").write_text(textwrap.dedent(body), encoding="utf-8")


@pytest.fixture
def fake_week(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``week99-fake``: a reference module ``arith``, its untouched stub and three graded checks."""
    week = tmp_path / "week99-fake"
    for folder in ("week99_fake", "exercises", "tests"):
        (week / folder).mkdir(parents=True)
    (week / "pyproject.toml").write_text('[project]\nname = "week99-fake"\n', encoding="utf-8")
    (week / "week99_fake" / "__init__.py").write_text("", encoding="utf-8")
    (week / "week99_fake" / "arith.py").write_text(REFERENCE, encoding="utf-8")
    write_stub(week, STUB)
    (week / "tests" / "test_arith.py").write_text(CHECKS, encoding="utf-8")
    # In-process checks (signatures) import the reference: put it on the path, and forget it
    # afterwards so the next test's fake week is imported afresh.
    monkeypatch.syspath_prepend(str(week))
    yield week
    for name in [m for m in sys.modules if m.startswith("week99_fake")]:
        del sys.modules[name]


@pytest.fixture
def reference_source() -> str:
    """The fake week's reference module, as source: copy it into the stub for full points."""
    return REFERENCE


@pytest.fixture
def stub_writer(fake_week: Path) -> Callable[[str], None]:
    return lambda body: write_stub(fake_week, body)
