"""Mutation testing of a week's graded exercises: do the checks catch wrong answers?

``uv run course mutants week03`` runs mutmut (a maintained mutation tester) over the reference
functions the learner re-writes in ``exercises/`` — and only those — with the week's *graded*
checks as the test suite. Each mutant is the reference with one small change (``<`` for ``<=``,
``None`` for ``0.0``, a dropped argument...): a plausible wrong answer. A mutant the checks let
pass ("survived") is a mistake a learner could make and still be told they are done.

Some mutants change nothing a caller can observe (an equivalent mutant, e.g. a default argument
that every call overrides). They are listed, with a one-line reason each, in the week's
``tests/equivalent-mutants.toml``, and reported as such: never silently left out.

mutmut's settings for the week live in the week's ``pyproject.toml`` (``[tool.mutmut]``), so
``cd week03-ml && uv run mutmut run`` and ``uv run mutmut browse`` work there too.
"""

from __future__ import annotations

import ast
import difflib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from course.grading.signatures import public_definitions, stub_files
from course.grading.targets import load_module
from course.paths import module_name

log = logging.getLogger(__name__)

#: the committed report of a week's last full run, and the week's list of equivalent mutants
REPORT_FILE = Path("tests") / "mutants.json"
EQUIVALENTS_FILE = Path("tests") / "equivalent-mutants.toml"
#: the share of non-equivalent mutants the graded checks must kill
REQUIRED_KILL_RATE = 0.90

# mutmut's exit codes for a mutant (mutmut.stats.status_by_exit_code): the tests failing (1),
# pytest breaking (3), a time-out or a crash all mean the mutant was caught.
_SURVIVED = {0}
_NOT_COVERED = {5, 33}  # no graded check even calls the function: as bad as surviving
_SKIPPED = {34}


@dataclass(frozen=True)
class Mutant:
    """One mutant of one exercise function."""

    name: str  # mutmut's name, e.g. week03_ml.evaluate.x_choose_threshold__mutmut_42
    status: str  # killed | survived | not covered | equivalent
    diff: str = ""
    reason: str = ""  # for an equivalent mutant: why it changes nothing observable


@dataclass
class ExerciseMutants:
    """The mutants of one exercise function and what the checks made of them."""

    module: str
    function: str
    mutants: list[Mutant] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(m.status == status for m in self.mutants)

    @property
    def killed(self) -> int:
        return self.count("killed")

    @property
    def equivalent(self) -> int:
        return self.count("equivalent")

    @property
    def survived(self) -> int:
        """Every mutant the checks did not catch (survived, not covered, skipped...)."""
        return len(self.mutants) - self.killed - self.equivalent

    @property
    def counted(self) -> int:
        """Mutants that count towards the kill rate: all but the equivalent ones."""
        return len(self.mutants) - self.equivalent


@dataclass
class MutationReport:
    """A week's mutation run: per exercise function, its mutants."""

    week: str
    exercises: list[ExerciseMutants] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1
    stale_equivalents: list[str] = field(default_factory=list)

    @property
    def killed(self) -> int:
        return sum(e.killed for e in self.exercises)

    @property
    def counted(self) -> int:
        return sum(e.counted for e in self.exercises)

    @property
    def kill_rate(self) -> float:
        return self.killed / self.counted if self.counted else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "kill_rate": round(self.kill_rate, 4),
            "killed": self.killed,
            "counted": self.counted,
            "equivalent": sum(e.equivalent for e in self.exercises),
            "seconds": round(self.seconds, 1),
            "workers": self.workers,
            "exercises": [
                {
                    "module": e.module,
                    "function": e.function,
                    "mutants": len(e.mutants),
                    "killed": e.killed,
                    "survived": e.survived,
                    "equivalent": e.equivalent,
                    "survivors": [
                        asdict(m) for m in e.mutants if m.status not in ("killed", "equivalent")
                    ],
                }
                for e in self.exercises
            ],
        }


def exercise_functions(week_dir: Path) -> dict[str, list[str]]:
    """The functions a learner writes, by module: the public functions of ``exercises/*.py``."""
    found: dict[str, list[str]] = {}
    for path in stub_files(week_dir):
        stub = load_module(week_dir, path.stem, "exercises", week_dir / "exercises", fresh=True)
        names = [n for n, obj in public_definitions(stub).items() if callable(obj)]
        if names:
            found[path.stem] = names
    return found


def load_equivalents(week_dir: Path) -> dict[str, dict[str, str]]:
    """The week's equivalent mutants: name -> {"line": the mutated line, "reason": why}."""
    path = week_dir / EQUIVALENTS_FILE
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    equivalents = {}
    for entry in data.get("equivalent", []):
        missing = {"mutant", "line", "reason"} - entry.keys()
        if missing:
            raise ValueError(f"{path}: an [[equivalent]] entry lacks {sorted(missing)}: {entry}")
        if not entry["reason"].strip():
            raise ValueError(f"{path}: {entry['mutant']} needs a reason (one line: why equal)")
        equivalents[entry["mutant"]] = {"line": entry["line"], "reason": entry["reason"]}
    return equivalents


def run_mutmut(week_dir: Path, functions: dict[str, list[str]], workers: int) -> None:
    """Run mutmut in ``week_dir`` on the exercise functions only, from a clean ``mutants/``."""
    shutil.rmtree(week_dir / "mutants", ignore_errors=True)
    package = module_name(week_dir)
    patterns = [
        f"{package}.{module}.x_{function}__mutmut_*"
        for module, names in functions.items()
        for function in names
    ]
    command = [sys.executable, "-m", "mutmut", "run", f"--max-children={workers}", *patterns]
    log.info("running %s", " ".join(command))
    # the same environment as `course grade`: graded checks only, on the embedded defaults
    env = {**os.environ, "COURSE_GRADING": "1"}
    proc = subprocess.run(
        command,
        cwd=week_dir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise RuntimeError(f"mutmut failed in {week_dir.name} (exit {proc.returncode}):\n{tail}")


def _status(exit_code: int | None) -> str:
    if exit_code is None:
        return "not run"
    if exit_code in _SURVIVED:
        return "survived"
    if exit_code in _NOT_COVERED:
        return "not covered"
    if exit_code in _SKIPPED:
        return "skipped"
    return "killed"


def _functions_in(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    return {
        node.name: ast.get_source_segment(source, node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def mutant_diff(original: str, mutated: str, function: str, path: str) -> str:
    """A unified diff between the original function and one mutant of it."""
    rename = re.compile(r"^(\s*(?:async\s+)?def\s+)x_\w+?__mutmut_\w+")
    before = rename.sub(rf"\g<1>{function}", original).splitlines()
    after = rename.sub(rf"\g<1>{function}", mutated).splitlines()
    lines = difflib.unified_diff(before, after, path, path, n=1, lineterm="")
    return "\n".join(lines)


def changed_line(diff: str) -> str:
    """The first added line of a diff, stripped: how an equivalent mutant is recognised."""
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            return line[1:].strip()
    return ""


def read_results(week_dir: Path, functions: dict[str, list[str]]) -> MutationReport:
    """Read mutmut's results for the exercise functions, with a diff for each mutant."""
    package = module_name(week_dir)
    equivalents = load_equivalents(week_dir)
    used: set[str] = set()
    stale: list[str] = []
    report = MutationReport(week=week_dir.name)
    for module, names in functions.items():
        mutated_path = week_dir / "mutants" / package / f"{module}.py"
        meta_path = mutated_path.with_name(mutated_path.name + ".meta")
        if not meta_path.exists():
            raise RuntimeError(f"mutmut wrote no results for {package}.{module} ({meta_path})")
        exit_codes = json.loads(meta_path.read_text(encoding="utf-8"))["exit_code_by_key"]
        defs = _functions_in(mutated_path.read_text(encoding="utf-8"))
        for function in names:
            entry = ExerciseMutants(module=module, function=function)
            prefix = f"{package}.{module}.x_{function}__mutmut_"
            original = defs.get(f"x_{function}__mutmut_orig", "")
            keys = sorted(
                (k for k in exit_codes if k.startswith(prefix)),
                key=lambda k: int(k.rsplit("_", 1)[1]),
            )
            for key in keys:
                mutated = defs.get(key.rsplit(".", 1)[1], "")
                diff = mutant_diff(original, mutated, function, f"{package}/{module}.py")
                status, reason = _status(exit_codes[key]), ""
                known = equivalents.get(key)
                if known is not None and status != "killed":
                    if known["line"].strip() == changed_line(diff):
                        status, reason = "equivalent", known["reason"]
                        used.add(key)
                    else:
                        stale.append(
                            f"{key}: listed line {known['line']!r} is now {changed_line(diff)!r}"
                        )
                elif known is not None:
                    stale.append(f"{key}: listed as equivalent, but the checks kill it now")
                entry.mutants.append(Mutant(name=key, status=status, diff=diff, reason=reason))
            report.exercises.append(entry)
    named = {problem.split(":", 1)[0] for problem in stale}
    prefixes = tuple(
        f"{package}.{module}.x_{function}__mutmut_"
        for module, names in functions.items()
        for function in names
    )
    gone = {n for n in equivalents.keys() - used - named if n.startswith(prefixes)}
    stale += [f"{n}: no such mutant any more" for n in gone]
    report.stale_equivalents = sorted(stale)
    return report


def mutate_week(
    week_dir: Path, *, workers: int | None = None, only: list[str] | None = None
) -> MutationReport:
    """Run the mutation tester over a week's exercise functions and read its results.

    ``only`` restricts the run to these function names (while writing checks for one exercise).
    """
    functions = exercise_functions(week_dir)
    if only:
        unknown = set(only) - {f for names in functions.values() for f in names}
        if unknown:
            known = ", ".join(f for names in functions.values() for f in names)
            raise RuntimeError(f"no exercise function {sorted(unknown)}; the week has: {known}")
        functions = {m: [f for f in names if f in only] for m, names in functions.items()}
        functions = {m: names for m, names in functions.items() if names}
    if not functions:
        raise RuntimeError(f"{week_dir.name} has no exercise functions to mutate")
    workers = workers or os.cpu_count() or 1
    start = time.perf_counter()
    run_mutmut(week_dir, functions, workers)
    report = read_results(week_dir, functions)
    report.seconds = time.perf_counter() - start
    report.workers = workers
    return report


def save_report(week_dir: Path, report: MutationReport) -> Path:
    path = week_dir / REPORT_FILE
    path.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
    return path


def committed_report(week_dir: Path) -> dict[str, Any] | None:
    """The week's committed report (``tests/mutants.json``), or None when there is none."""
    path = week_dir / REPORT_FILE
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def print_mutation_report(report: MutationReport, console: Console, *, diffs: bool = True) -> None:
    """The terminal table: per exercise function, mutants killed and survived; then survivors."""
    table = Table(title=f"{report.week} — mutants of the graded exercises", title_justify="left")
    table.add_column("Exercise", no_wrap=True)
    for column in ("Mutants", "Killed", "Survived", "Equivalent", "Killed %"):
        table.add_column(column, justify="right")
    for e in report.exercises:
        rate = f"{100 * e.killed / e.counted:.0f} %" if e.counted else "-"
        colour = "green" if not e.survived else "red"
        table.add_row(
            f"{e.module}.{e.function}",
            str(len(e.mutants)),
            str(e.killed),
            f"[{colour}]{e.survived}[/]",
            str(e.equivalent),
            rate,
        )
    table.add_section()
    ok = report.kill_rate >= REQUIRED_KILL_RATE
    table.add_row(
        "Total",
        str(sum(len(e.mutants) for e in report.exercises)),
        str(report.killed),
        str(sum(e.survived for e in report.exercises)),
        str(sum(e.equivalent for e in report.exercises)),
        f"[{'green' if ok else 'red'}]{100 * report.kill_rate:.1f} %[/]",
    )
    console.print(table)
    console.print(
        f"{report.seconds:.0f} s with {report.workers} workers "
        f"(required: {100 * REQUIRED_KILL_RATE:.0f} % killed, equivalent mutants excluded)"
    )
    if diffs:
        for e in report.exercises:
            for m in e.mutants:
                if m.status not in ("killed", "equivalent"):
                    console.print(f"\n[bold red]{m.status}[/] {escape(m.name)}")
                    console.print(m.diff, markup=False, highlight=False, soft_wrap=True)
    for problem in report.stale_equivalents:
        console.print(
            f"[yellow]stale entry in {EQUIVALENTS_FILE}:[/] {escape(problem)}", soft_wrap=True
        )
