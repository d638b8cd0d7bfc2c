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

    @property
    def earned(self) -> int:
        return self.points if self.status == "pass" else 0

    @property
    def name(self) -> str:
        return self.nodeid.split("::", 1)[-1]


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
    def first_problem(self) -> CheckResult | None:
        """The check to look at next: the first failure, else the first one not started."""
        for wanted in ("fail", "todo"):
            for check in self.checks:
                if check.status == wanted:
                    return check
        return None


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
        """The terminal table: one row per exercise, with what to do next."""
        table = Table(title=f"{self.week} — {self.target}", title_justify="left")
        table.add_column("Exercise", style="bold")
        table.add_column("Points", justify="right")
        table.add_column("Status")
        table.add_column("Next step", overflow="fold")
        colours = {"PASS": "green", "FAIL": "red", "TODO": "yellow", "PARTIAL": "yellow"}
        for ex in self.exercises():
            problem = ex.first_problem
            status = f"[{colours[ex.status]}]{ex.status}[/]"
            table.add_row(
                escape(ex.name), f"{ex.earned}/{ex.possible}", status, escape(_next_step(problem))
            )
        table.add_section()
        table.add_row("Total", f"{self.earned}/{self.possible}", f"{self.percent:.0f} %", "")
        return table

    def print(self, console: Console | None = None, *, verbose: bool = False) -> None:
        console = console or Console()
        if self.error:
            console.print(f"[red]Grading {self.week} could not run:[/] {escape(self.error)}")
        if self.checks:
            console.print(self.table())
        if verbose:
            for check in self.checks:
                if check.status != "pass":
                    console.print(f"[bold]{check.status.upper()}[/] {escape(check.nodeid)}")
                    console.print(f"    {_next_step(check)}", markup=False)

    def markdown(self) -> str:
        """A Markdown table for ``$GITHUB_STEP_SUMMARY``."""
        lines = [
            f"### {self.week}: {self.earned}/{self.possible} points ({self.percent:.0f} %)",
            "",
            "| Exercise | Points | Status | Next step |",
            "|---|---:|---|---|",
        ]
        for ex in self.exercises():
            step = _next_step(ex.first_problem).replace("|", "\\|")
            lines.append(f"| {ex.name} | {ex.earned}/{ex.possible} | {ex.status} | {step} |")
        if self.error:
            lines += ["", f"**Grading could not run:** {self.error}"]
        return "\n".join(lines) + "\n"


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
