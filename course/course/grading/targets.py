"""Load a week's module from the reference package or from the learner's ``exercises/`` folder.

The graded checks and the notebooks both go through :func:`load_module`, so the same code runs
against ``week01_data.clean`` (the reference) or ``week01-data/exercises/clean.py`` (yours).

Some exercises are files, not Python modules: week 5's ``Dockerfile``. The week lists them in
``tests/exercise-files.toml``, each learner's file in ``exercises/`` with the reference's path
in the week folder::

    [files]
    Dockerfile = "Dockerfile"      # exercises/Dockerfile; the reference is week05-ml-api/Dockerfile

and a check gets the one it grades from :func:`load_file` (the ``solution_file`` fixture). The
stub of a file states its contract in ``#`` comments and nothing else: while it has no other
line, it is not started (TODO), as a Python stub that raises ``NotImplementedError``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import tomllib
import zlib
from pathlib import Path
from types import ModuleType
from typing import Literal

from course.paths import find_week, module_name

Target = Literal["reference", "exercises"]
TARGETS: tuple[Target, ...] = ("reference", "exercises")
#: A week's file exercises (not Python modules): learner's file name -> the reference's path.
FILES_TABLE = Path("tests") / "exercise-files.toml"
#: A line of a file exercise's stub that starts with this (after spaces) is its contract.
COMMENT = "#"


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


def exercise_files(week_dir: Path) -> dict[str, Path]:
    """The week's file exercises: the name of the learner's file in ``exercises/`` -> the
    reference's path (:data:`FILES_TABLE`); ``{}`` when the week has none.

    Raises ``ValueError`` naming the table when it is not valid TOML, or when an entry is not a
    plain file name (a Python module is an exercise of its own) mapped to a relative path.
    """
    path = week_dir / FILES_TABLE
    if not path.exists():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("files", {})
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML ({exc})") from exc
    files: dict[str, Path] = {}
    for name, reference in table.items():
        plain = name == Path(name).name and not name.endswith(".py") and name != "hints.toml"
        if not plain or not isinstance(reference, str) or Path(reference).is_absolute():
            raise ValueError(
                f'{path}: [files] needs NAME = "path/in/the/week", NAME a file of exercises/ '
                f"that is not Python, got {name} = {reference!r}"
            )
        files[name] = week_dir / reference
    return files


def file_started(path: Path) -> bool:
    """False while every line of ``path`` is blank or a ``#`` comment: the untouched stub."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return any(line.strip() and not line.lstrip().startswith(COMMENT) for line in lines)


def load_file(
    week_dir: Path,
    name: str,
    target: Target = "reference",
    exercises_dir: Path | None = None,
) -> Path:
    """The path of the week's file exercise ``name``: the reference's, or the learner's in
    ``exercises/`` (or ``exercises_dir``).

    Raises ``LookupError`` when :data:`FILES_TABLE` does not list ``name``,
    ``FileNotFoundError`` when the file is missing, and ``NotImplementedError`` while the
    learner's file holds only comments (so the grader reports TODO, not FAIL).
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, got {target!r}")
    files = exercise_files(week_dir)
    if name not in files:
        listed = ", ".join(files) or "none"
        raise LookupError(f"{week_dir / FILES_TABLE} lists no file {name!r} (it lists: {listed})")
    if target == "reference":
        path = files[name]
        if not path.exists():
            raise FileNotFoundError(f"the reference {path} of exercises/{name} is missing")
        return path
    path = (exercises_dir or week_dir / "exercises") / name
    if not path.exists():
        raise FileNotFoundError(f"exercise file {path} is missing: restore it with git checkout")
    if not file_started(path):
        raise NotImplementedError(f"{name}: only the contract's comments so far")
    return path


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
