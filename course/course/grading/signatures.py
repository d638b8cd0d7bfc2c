"""Stubs cannot drift from the reference: every public function or class a stub defines must
exist in the reference module with exactly the same signature.

The course hand-writes its stubs (richer docstrings, step-by-step TODOs than a generator could
produce) and lets this check guard them; the suite runs it for every week. A file exercise (a
Dockerfile, listed in the week's ``tests/exercise-files.toml``) has no signature: its stub must
exist beside the Python ones and its reference where the table says, and every file of
``exercises/`` that is not Python must be listed there, so none is graded by nobody.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from types import ModuleType

from course.grading.targets import FILES_TABLE, exercise_files, load_module
from course.paths import module_name


def stub_files(week_dir: Path) -> list[Path]:
    """The learner's exercise modules of a week (``exercises/*.py`` not starting with ``_``)."""
    return sorted(p for p in (week_dir / "exercises").glob("*.py") if not p.name.startswith("_"))


def public_definitions(module: ModuleType) -> dict[str, object]:
    """Functions and classes the module defines itself (not the ones it imports)."""
    return {
        name: obj
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == module.__name__
    }


def _signature(obj: object) -> str:
    try:
        return str(inspect.signature(obj))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # classes without an introspectable __init__
        return "(...)"


def compare_stubs(week_dir: Path, exercises_dir: Path | None = None) -> list[str]:
    """Differences between a week's stubs and its reference; an empty list means they agree."""
    folder = exercises_dir or week_dir / "exercises"
    try:
        listed = exercise_files(week_dir)
    except ValueError as exc:
        return [str(exc)]
    problems = _compare_files(week_dir, folder, listed)
    files = stub_files(week_dir) if exercises_dir is None else sorted(folder.glob("[!_]*.py"))
    if not files and not listed:
        return [f"{week_dir.name}: no exercise stubs in {folder}"]
    for path in files:
        name = path.stem
        where = f"{week_dir.name}/exercises/{path.name}"
        try:
            reference = importlib.import_module(f"{module_name(week_dir)}.{name}")
        except ModuleNotFoundError:
            problems.append(f"{where}: the reference has no module {module_name(week_dir)}.{name}")
            continue
        stub = load_module(week_dir, name, "exercises", folder, fresh=True)
        defined = public_definitions(stub)
        if not defined:
            problems.append(f"{where}: defines no public function")
        for fname, obj in defined.items():
            ref_obj = getattr(reference, fname, None)
            if ref_obj is None:
                problems.append(f"{where}: {fname} does not exist in the reference")
            elif _signature(obj) != _signature(ref_obj):
                problems.append(
                    f"{where}: {fname}{_signature(obj)} differs from the reference "
                    f"{fname}{_signature(ref_obj)}"
                )
    return problems


def _compare_files(week_dir: Path, folder: Path, files: dict[str, Path]) -> list[str]:
    """What is wrong with the week's file exercises (``files``, from the table): a stub or a
    reference missing, a file of the exercises folder that is not Python and not listed."""
    problems = []
    for name, reference in files.items():
        if not (folder / name).is_file():
            problems.append(f"{week_dir.name}/exercises/{name}: the stub is missing")
        if not reference.is_file():
            problems.append(
                f"{week_dir.name}/exercises/{name}: its reference {reference} is missing"
            )
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        known = path.suffix == ".py" or path.name == "hints.toml" or path.name in files
        if path.is_file() and not known and not path.name.startswith((".", "_")):
            problems.append(
                f"{week_dir.name}/exercises/{path.name}: not Python and not listed in "
                f"{FILES_TABLE}: which reference grades it?"
            )
    return problems
