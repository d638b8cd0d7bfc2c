"""Load a week's module from the reference package or from the learner's ``exercises/`` folder.

The graded checks and the notebooks both go through :func:`load_module`, so the same code runs
against ``week01_data.clean`` (the reference) or ``week01-data/exercises/clean.py`` (yours).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Literal

from course.paths import find_week, module_name

Target = Literal["reference", "exercises"]
TARGETS: tuple[Target, ...] = ("reference", "exercises")


def exercise_module_name(week_dir: Path, name: str, exercises_dir: Path) -> str:
    """A unique name in ``sys.modules`` for a stub file, so two weeks' stubs never collide."""
    tag = zlib.crc32(str(exercises_dir.resolve()).encode())
    return f"_course_exercises_{module_name(week_dir)}_{tag}.{name}"


def load_module(
    week_dir: Path,
    name: str,
    target: Target = "reference",
    exercises_dir: Path | None = None,
    *,
    fresh: bool = False,
) -> ModuleType:
    """Import module ``name`` of the week in ``week_dir`` from the reference or the exercises.

    Stubs are imported once per process; ``fresh=True`` reads the file again.

    A stub that fails to import (a syntax error, a bad import) raises here, each time it is
    asked for, so every check that needs it reports the error instead of the whole run failing.
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, got {target!r}")
    if target == "reference":
        return importlib.import_module(f"{module_name(week_dir)}.{name}")
    folder = exercises_dir or week_dir / "exercises"
    path = folder / f"{name}.py"
    if not path.exists():
        raise FileNotFoundError(f"exercise file {path} is missing: restore it with git checkout")
    full_name = exercise_module_name(week_dir, name, folder)
    cached = sys.modules.get(full_name)
    if cached is not None and not fresh:
        return cached
    spec = importlib.util.spec_from_file_location(full_name, path)
    assert spec is not None and spec.loader is not None  # a .py path always has a loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[full_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[full_name]  # a broken stub is re-imported (and re-reported) next time
        raise
    return module


def load_solution(week: str, name: str, *, exercises: bool = False) -> ModuleType:
    """For notebooks: the module ``name`` of ``week`` (``"week01"``). With ``exercises``, every
    exercise function of the week that you have started is yours and the rest the reference's,
    everywhere the course's code calls them (the first call says which, in a few lines).

    >>> clean = load_solution("week01", "clean", exercises=True)  # run the lesson on your code
    """
    from course.overlay import use_mine, use_my_code

    week_dir = find_week(week)
    if not use_my_code(exercises):
        return load_module(week_dir, name, "reference")
    if week_dir.name not in _ANNOUNCED:
        _ANNOUNCED.add(week_dir.name)
        print(use_mine(week_dir).summary())  # a notebook says which code runs
    else:
        use_mine(week_dir)
    return importlib.import_module(f"{module_name(week_dir)}.{name}")


_ANNOUNCED: set[str] = set()
