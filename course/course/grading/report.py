"""What grading produces: one result per check, scores per exercise, and the three ways to show
them (a terminal table, a Markdown table for a GitHub job summary, JSON for tools)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

Status = Literal["pass", "fail", "todo"]

#: JSON layout version (the layout follows Exercism's test-runner results, version 3).
JSON_VERSION = 3


@dataclass(frozen=True)
class CheckResult:
    """One graded check (one pytest test, or one case of a parametrised test)."""

    nodeid: str
    exercise: str
    points: int
    status: Status
    message: str = ""
    hint: str = ""
    duration: float = 0.0
    #: what the check verifies, in words (its docstring's first line, or its name spelt out)
    title: str = ""

    @property
    def earned(self) -> int:
        return self.points if self.status == "pass" else 0

    @property
    def name(self) -> str:
        return self.nodeid.split("::", 1)[-1]

    @property
    def purpose(self) -> str:
        """The check named by what it verifies, not by its test path."""
        return self.title or purpose_of(self.name)


def purpose_of(name: str) -> str:
    """``test_unknown_stays_unknown[ZZ]`` -> ``unknown stays unknown (ZZ)``."""
    base, _, case = name.partition("[")
    words = base.removeprefix("test_").replace("_", " ").strip()
    return f"{words} ({case.rstrip(']')})" if case else words


@dataclass(frozen=True)
class ExerciseScore:
    """All checks of one exercise, summed."""

    name: str
    checks: tuple[CheckResult, ...]

    @property
    def earned(self) -> int:
        return sum(c.earned for c in self.checks)

    @property
    def possible(self) -> int:
        return sum(c.points for c in self.checks)

    @property
    def status(self) -> str:
        statuses = {c.status for c in self.checks}
        if "fail" in statuses:
            return "FAIL"
        if statuses == {"pass"}:
            return "PASS"
        if statuses == {"todo"}:
            return "TODO"
        return "PARTIAL"  # some checks pass, the others are not started

    @property
    def problems(self) -> list[CheckResult]:
        """Every check not passed, the one to look at first first: failures before checks not
        started, then in the order the checks are written (each week writes its narrowest
        checks first, so the most specific failure leads)."""
        return [c for c in self.checks if c.status == "fail"] + [
            c for c in self.checks if c.status == "todo"
        ]

    @property
    def first_problem(self) -> CheckResult | None:
        """The check to look at next: the first failure, else the first one not started."""
        problems = self.problems
        return problems[0] if problems else None


@dataclass
class GradeReport:
    """The result of grading one week."""

    week: str
    target: str
    checks: list[CheckResult] = field(default_factory=list)
    #: set when grading itself could not run (not when the learner's code fails)
    error: str | None = None

    @property
    def earned(self) -> int:
        return sum(c.earned for c in self.checks)

    @property
    def possible(self) -> int:
        return sum(c.points for c in self.checks)

    @property
    def percent(self) -> float:
        return 100.0 * self.earned / self.possible if self.possible else 0.0

    def exercises(self) -> list[ExerciseScore]:
        """Scores per exercise, in the order their first check ran."""
        groups: dict[str, list[CheckResult]] = {}
        for check in self.checks:
            groups.setdefault(check.exercise, []).append(check)
        return [ExerciseScore(name, tuple(checks)) for name, checks in groups.items()]

    # --- output -------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Exercism-style results: overall status, then one entry per check."""
        if self.error:
            status = "error"
        else:
            status = "pass" if self.checks and self.earned == self.possible else "fail"
        return {
            "version": JSON_VERSION,
            "status": status,
            "message": self.error,
            "week": self.week,
            "target": self.target,
            "points": self.earned,
            "max_points": self.possible,
            "tests": [
                {**asdict(c), "name": c.name, "max_points": c.points, "points": c.earned}
                for c in self.checks
            ],
        }

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GradeReport:
        fields = CheckResult.__dataclass_fields__
        checks = [
            CheckResult(
                **{k: v for k, v in t.items() if k in fields and k != "points"},
                points=t["max_points"],
            )
            for t in data["tests"]
        ]
        return cls(week=data["week"], target=data["target"], checks=checks, error=data["message"])

    def table(self) -> Table:
        """The terminal table: one row per exercise; the problems are listed below it."""
        table = Table(title=f"{self.week} — {self.target}", title_justify="left")
        table.add_column("Exercise", style="bold", overflow="fold")
        table.add_column("Points", justify="right", no_wrap=True)
        table.add_column("Status", no_wrap=True)
        table.add_column("Problems", overflow="fold")
        colours = {"PASS": "green", "FAIL": "red", "TODO": "yellow", "PARTIAL": "yellow"}
        for ex in self.exercises():
            status = f"[{colours[ex.status]}]{ex.status}[/]"
            table.add_row(escape(ex.name), f"{ex.earned}/{ex.possible}", status, _count(ex))
        table.add_section()
        table.add_row("Total", f"{self.earned}/{self.possible}", f"{self.percent:.0f} %", "")
        return table

    def print(self, console: Console | None = None, *, verbose: bool = False) -> None:
        """The table, then every problem of each exercise: numbered, the first one whole
        (every one whole with ``verbose``), each with the check's hint."""
        console = console or Console()
        if self.error:
            console.print(f"[red]Grading {self.week} could not run:[/] {escape(self.error)}")
        if self.checks:
            console.print(self.table())
        for ex in self.exercises():
            problems = ex.problems
            if not problems or (ex.status == "TODO" and not verbose):
                continue  # an exercise not started has nothing to read yet
            console.print()
            console.print(f"[bold]{escape(ex.name)}[/] — {_count(ex)}")
            for number, check in enumerate(problems, 1):
                whole = verbose or number == 1
                console.print(f"  {number}. {check.purpose}", markup=False, highlight=False)
                message = _message(check)
                if not whole:
                    first = message.splitlines()[0] if message else ""
                    message = first[:117] + "…" if len(first) > 118 else first
                for line in message.splitlines():
                    console.print(f"     {line}", markup=False, highlight=False, soft_wrap=True)
                if check.hint and whole and check.status == "fail":  # a hint answers a failure
                    console.print(f"     hint: {check.hint}", markup=False, highlight=False)
        todo = [ex.name for ex in self.exercises() if ex.status == "TODO"]
        if todo and not verbose:
            key = self.week.split("-", 1)[0]
            console.print(
                f"\nnot started: {', '.join(todo)} (stuck? `uv run course hint {key} EXERCISE`)",
                markup=False,
                highlight=False,
            )

    def markdown(self) -> str:
        """A Markdown table for ``$GITHUB_STEP_SUMMARY``."""
        lines = [
            f"### {self.week}: {self.earned}/{self.possible} points ({self.percent:.0f} %)",
            "",
            "| Exercise | Points | Status | Next step |",
            "|---|---:|---|---|",
        ]
        for ex in self.exercises():
            step = _next_step(ex.first_problem).replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {ex.name} | {ex.earned}/{ex.possible} | {ex.status} | {step} |")
        for ex in self.exercises():
            if ex.status in ("FAIL", "PARTIAL"):
                lines += ["", f"**{ex.name}** — {_count(ex)}", ""]
                lines += [
                    f"{n}. {c.purpose}: {_next_step(c)}" for n, c in enumerate(ex.problems, 1)
                ]
        if self.error:
            lines += ["", f"**Grading could not run:** {self.error}"]
        return "\n".join(lines) + "\n"


def _count(ex: ExerciseScore) -> str:
    failing = sum(c.status == "fail" for c in ex.checks)
    todo = sum(c.status == "todo" for c in ex.checks)
    parts = [f"{failing} failing"] if failing else []
    parts += [f"{todo} not started"] if todo else []
    return ", ".join(parts) or "all checks pass"


def _message(check: CheckResult) -> str:
    if check.status == "todo":
        return "not started (raises NotImplementedError)"
    return check.message or "failed"


def _next_step(check: CheckResult | None) -> str:
    if check is None:
        return "done"
    if check.status == "todo":
        text = "not started (raises NotImplementedError)"
    else:
        text = check.message or "failed"
    if check.hint:
        text += f" — hint: {check.hint}"
    return text
