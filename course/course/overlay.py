"""Your code in the course's system: each exercise function you have started replaces the
reference's, the rest stay the reference's.

    from course.overlay import use_mine
    choice = use_mine("week09")          # yours where started, else the reference
    print(choice.summary())              # which functions are yours, module by module

The swap happens inside the reference modules themselves (``week09_data_pipeline.context``), so
the reference code that calls an exercise function (a DAG task, the API's error handler) calls
yours too. A name another module bound with ``from ... import`` before the swap is rebound as
well. Inside your exercise files, a function you have not started yet is the reference's, so
your finished ``backfill_days`` can call a ``flight_date`` you have not written.

A function counts as started as soon as its body is more than the stub's ``raise
NotImplementedError``. Only functions are swapped: classes and constants stay the reference's.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType, ModuleType

from course.grading.signatures import public_definitions
from course.grading.targets import load_module
from course.paths import find_week, module_name

#: Set to "1" to run every ``load_solution(..., exercises=...)`` of a notebook on your code.
USE_MY_CODE_ENV = "COURSE_USE_MY_CODE"
#: A folder holding ``<week folder>/exercises/``: whose exercises the overlay uses (default: the
#: repository's own). CI points it at the reference copied into the exercises layout.
EXERCISES_ROOT_ENV = "COURSE_EXERCISES_ROOT"


def use_my_code(switch: bool) -> bool:
    """The notebook's ``USE_MY_CODE`` switch, or on for every notebook when the environment
    says so (``COURSE_USE_MY_CODE=1``, what CI's second notebook run sets)."""
    return switch or os.environ.get(USE_MY_CODE_ENV) == "1"


def exercises_dir(week_dir: Path) -> Path:
    root = os.environ.get(EXERCISES_ROOT_ENV)
    return Path(root) / week_dir.name / "exercises" if root else week_dir / "exercises"


def started(function: FunctionType) -> bool:
    """False while the function's body is only its docstring, comments and a ``raise
    NotImplementedError``: the untouched stub."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return True
    tree = ast.parse(_dedent(source))
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    rest = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return not (len(rest) == 1 and _raises_not_implemented(rest[0]))


def _dedent(source: str) -> str:
    lines = source.splitlines()
    indent = len(lines[0]) - len(lines[0].lstrip())
    return "\n".join(line[indent:] for line in lines)


def _raises_not_implemented(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.Raise) or statement.exc is None:
        return False
    exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


@dataclass
class ModuleChoice:
    """Which functions of one module are yours and which the reference's."""

    week: str
    module: str
    mine: list[str] = field(default_factory=list)
    reference: list[str] = field(default_factory=list)
    error: str | None = None  # your file did not import: the whole module is the reference's

    def line(self) -> str:
        key = self.week.split("-", 1)[0]
        if self.error:
            return f"{key} {self.module}: reference (your file does not import: {self.error})"
        parts = [f"yours {', '.join(self.mine)}"] if self.mine else []
        if self.reference:
            parts.append(f"reference (not started) {', '.join(self.reference)}")
        return f"{key} {self.module}: " + "; ".join(parts)


@dataclass
class Choice:
    modules: list[ModuleChoice]

    @property
    def mine(self) -> int:
        return sum(len(m.mine) for m in self.modules)

    @property
    def total(self) -> int:
        return sum(len(m.mine) + len(m.reference) for m in self.modules)

    def summary(self) -> str:
        lines = [m.line() for m in self.modules]
        return "\n".join([f"your code: {self.mine} of {self.total} exercise functions", *lines])


_APPLIED: dict[tuple[str, str], ModuleChoice] = {}


def use_mine(week: str | Path, names: list[str] | None = None) -> Choice:
    """Swap your started exercise functions of ``week`` (its modules ``names``, default all)
    into the reference modules; idempotent. Returns what was chosen, to show the learner."""
    week_dir = week if isinstance(week, Path) else find_week(week)
    folder = exercises_dir(week_dir)
    stems = names or sorted(p.stem for p in folder.glob("[!_]*.py"))
    modules = []
    for stem in stems:
        key = (str(folder), stem)
        if key not in _APPLIED:
            _APPLIED[key] = _swap(week_dir, folder, stem)
        modules.append(_APPLIED[key])
    return Choice(modules)


def _swap(week_dir: Path, folder: Path, stem: str) -> ModuleChoice:
    choice = ModuleChoice(week_dir.name, stem)
    reference = importlib.import_module(f"{module_name(week_dir)}.{stem}")
    try:
        stub = load_module(week_dir, stem, "exercises", folder)
    except Exception as exc:  # the learner's file: any error means "use the reference"
        choice.error = f"{type(exc).__name__}: {exc}"
        return choice
    for name, obj in list(vars(stub).items()):
        # a class your file defines again (a copy of the reference module) is the reference's:
        # your functions then raise and return the very classes the rest of the course catches
        ref_obj = getattr(reference, name, None)
        if inspect.isclass(obj) and obj.__module__ == stub.__name__ and inspect.isclass(ref_obj):
            setattr(stub, name, ref_obj)
    swaps: dict[int, tuple[FunctionType, FunctionType]] = {}
    for name, obj in public_definitions(stub).items():
        ref_obj = getattr(reference, name, None)
        if not isinstance(obj, FunctionType) or not isinstance(ref_obj, FunctionType):
            continue
        if started(obj):
            choice.mine.append(name)
            swaps[id(ref_obj)] = (ref_obj, obj)  # the old one kept alive: its id stays its own
            setattr(reference, name, obj)
        else:
            choice.reference.append(name)
            setattr(stub, name, ref_obj)  # the learner's other functions may call it
    _rebind(swaps)
    return choice


def _rebind(swaps: dict[int, tuple[FunctionType, FunctionType]]) -> None:
    """Names bound by ``from module import function`` before the swap now point at yours."""
    if not swaps:
        return
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "") or ""
        if not isinstance(module, ModuleType) or name.startswith("_course_exercises_"):
            continue  # the learner's own modules keep their own functions
        namespace = getattr(module, "__dict__", {})
        for attr, value in list(namespace.items()):
            if isinstance(value, FunctionType) and id(value) in swaps:
                namespace[attr] = swaps[id(value)][1]
