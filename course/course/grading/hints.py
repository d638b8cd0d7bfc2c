"""Hints that come one step at a time: ``uv run course hint week09 flight_date``.

Each week keeps its hints beside its stubs, in ``exercises/hints.toml``, one table per exercise
(the name the graded checks give in ``@pytest.mark.exercise``)::

    [flight_date]
    steps = [
        "The idea: ...",          # first asked: what the function is really about
        "The approach: ...",      # then: how to go about it
        "The API: ...",           # last: which library call does the work (never the line)
    ]

``course hint`` shows the next step each time it is asked and remembers how far a learner went
(in ``.course/hints/<week>.json``, beside the grades), which ``course progress`` shows.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from course.paths import grades_dir

HINTS_FILE = "hints.toml"
#: Every exercise has at least this many steps: the idea, then the approach (then the API).
MIN_STEPS = 2
_EXERCISE_MARK = re.compile(r"mark\.exercise\(\s*[\"']([^\"']+)[\"']")


def hints_path(week_dir: Path) -> Path:
    return week_dir / "exercises" / HINTS_FILE


def load_hints(week_dir: Path) -> dict[str, list[str]]:
    """Every exercise's hint steps, in order; ``{}`` when the week has no hints file.

    Raises ``ValueError`` naming the file and the exercise when an entry is not a list of text.
    """
    path = hints_path(week_dir)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML ({exc})") from exc
    hints: dict[str, list[str]] = {}
    for exercise, table in data.items():
        steps = table.get("steps") if isinstance(table, dict) else None
        if not isinstance(steps, list) or not all(isinstance(s, str) and s.strip() for s in steps):
            raise ValueError(f'{path}: [{exercise}] needs steps = ["...", ...], a list of text')
        hints[exercise] = [" ".join(s.split()) for s in steps]
    return hints


def graded_exercises(week_dir: Path) -> list[str]:
    """The exercise names a week's graded checks declare, in the order they first appear."""
    names: list[str] = []
    for path in sorted((week_dir / "tests").glob("test_*.py")):
        for name in _EXERCISE_MARK.findall(path.read_text(encoding="utf-8")):
            if name not in names:
                names.append(name)
    return names


def _state_path(week_dir: Path) -> Path:
    return grades_dir().parent / "hints" / f"{week_dir.name}.json"


def hints_taken(week_dir: Path) -> dict[str, int]:
    """How many steps of each exercise's hints the learner has asked for."""
    path = _state_path(week_dir)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}  # a damaged record costs the count, never the command
    return {k: int(v) for k, v in data.items() if isinstance(v, int)}


@dataclass(frozen=True)
class HintStep:
    """What one ``course hint`` call shows: step ``number`` of ``total``, or nothing left."""

    exercise: str
    number: int
    total: int
    text: str | None

    @property
    def exhausted(self) -> bool:
        return self.text is None


def next_hint(week_dir: Path, exercise: str, *, again: bool = False) -> HintStep:
    """The next hint step of ``exercise`` (recorded as taken), or an exhausted step.

    ``again`` shows the last step taken once more without moving on. Raises ``LookupError``
    naming the exercises that have hints when ``exercise`` has none.
    """
    hints = load_hints(week_dir)
    if exercise not in hints:
        known = ", ".join(sorted(hints)) or "none"
        raise LookupError(f"{week_dir.name} has no hints for {exercise!r}; exercises: {known}")
    steps = hints[exercise]
    taken = hints_taken(week_dir)
    seen = min(taken.get(exercise, 0), len(steps))
    if again and seen:
        return HintStep(exercise, seen, len(steps), steps[seen - 1])
    if seen >= len(steps):
        return HintStep(exercise, seen, len(steps), None)
    taken[exercise] = seen + 1
    path = _state_path(week_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(taken, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return HintStep(exercise, seen + 1, len(steps), steps[seen])


def reset_hints(week_dir: Path, exercise: str | None = None) -> None:
    """Forget the hints taken (of one exercise, or of the whole week)."""
    path = _state_path(week_dir)
    if not path.exists():
        return
    taken = hints_taken(week_dir) if exercise else {}
    taken.pop(exercise or "", None)
    path.write_text(json.dumps(taken, indent=2, sort_keys=True) + "\n", encoding="utf-8")
