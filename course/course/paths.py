"""Every path the course uses, in one place.

Nothing here creates a folder on import; the functions that write create what they need.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import platformdirs

#: The repository root: course/course/paths.py -> course/course -> course -> root.
REPO_ROOT = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """Where the Parquet copy of the flights data lives.

    ``COURSE_CACHE_DIR`` overrides the per-user default (``~/.cache/mlops-course`` on Linux).
    """
    override = os.environ.get("COURSE_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("mlops-course"))


def grades_dir() -> Path:
    """Where ``course grade`` keeps each week's last result for ``course progress``."""
    override = os.environ.get("COURSE_GRADES_DIR")
    return Path(override) if override else REPO_ROOT / ".course" / "grades"


def week_dirs(root: Path = REPO_ROOT) -> list[Path]:
    """The week folders that exist (``weekNN-name`` and ``final-project``), in syllabus order."""
    found = [p for p in root.glob("week[0-9][0-9]-*") if (p / "pyproject.toml").exists()]
    capstone = root / "final-project"
    return sorted(found) + ([capstone] if (capstone / "pyproject.toml").exists() else [])


def find_week(name: str, root: Path = REPO_ROOT) -> Path:
    """Resolve ``week03``, ``week03-ml`` or ``3`` to the week's folder.

    Raises ``LookupError`` naming the weeks that exist when nothing matches.
    """
    key = name.strip().rstrip("/")
    if key.isdigit():
        key = f"week{int(key):02d}"
    candidates = week_dirs(root)
    for path in candidates:
        if path.name == key or path.name.split("-", 1)[0] == key:
            return path
    available = ", ".join(p.name.split("-", 1)[0] for p in candidates) or "none"
    raise LookupError(f"no week folder matches {name!r}; weeks available: {available}")


def module_name(week_dir: Path) -> str:
    """A week's Python package name: its project name with '-' turned into '_'.

    The project name comes from the week's ``pyproject.toml``; it equals the folder name, except
    in a copy of the week under another name (the mutation tester runs the checks in ``mutants/``).
    """
    pyproject = week_dir / "pyproject.toml"
    name = week_dir.name
    if pyproject.exists():
        name = (
            tomllib.loads(pyproject.read_text(encoding="utf-8"))
            .get("project", {})
            .get("name", name)
        )
    return name.replace("-", "_")
