"""Fixtures for week13's checks.

One fixture per graded module (``assign``, ``planning``, ``sequential``, ``aliases``), loaded
through the grader's ``solution`` fixture: the reference package by default, your
``exercises/`` file under ``uv run course grade week13``. The graded checks use numbers and a
fake registry client built here: no MLflow, no data.

The service checks (not graded) train week05's demo model once per session and register it
in a temporary MLflow store (``slow``).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType, SimpleNamespace

import pytest


@pytest.fixture
def assign(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("assign")


@pytest.fixture
def planning(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("planning")


@pytest.fixture
def sequential(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("sequential")


@pytest.fixture
def aliases(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("aliases")


class FakeRegistry:
    """The part of ``MlflowClient`` the alias moves use, in memory, with a log of calls."""

    def __init__(self, aliases: dict[str, str], name: str = "m") -> None:
        self.name = name
        self.aliases = dict(aliases)
        self.tags: dict[tuple[str, str], str] = {}
        self.calls: list[tuple[str, ...]] = []

    def _check(self, name: str) -> None:
        if name != self.name:
            raise KeyError(f"the registry has no model {name!r}, only {self.name!r}")

    def get_registered_model(self, name: str) -> SimpleNamespace:
        self._check(name)
        return SimpleNamespace(name=name, aliases=dict(self.aliases))

    def set_registered_model_alias(self, name: str, alias: str, version: str) -> None:
        self._check(name)
        self.calls.append(("set", alias, str(version)))
        self.aliases[alias] = str(version)

    def delete_registered_model_alias(self, name: str, alias: str) -> None:
        self._check(name)
        self.calls.append(("delete", alias))
        del self.aliases[alias]

    def set_model_version_tag(self, name: str, version: str, key: str, value: str) -> None:
        self._check(name)
        self.tags[(str(version), key)] = value


@pytest.fixture
def registry() -> Callable[[dict[str, str]], FakeRegistry]:
    return FakeRegistry
