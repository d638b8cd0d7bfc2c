"""Grade one week: run its graded checks in a separate pytest process and read the results.

A separate process is what makes grading survive the learner's code: an exception fails one
check, an endless loop is cut by the per-check timeout (pytest-timeout), megabytes of output are
captured and never shown, and even a crash (``os._exit``, a segfault) loses only the checks that
had not finished: every finished result was already written to disk, one JSON line each.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.report import CheckResult, GradeReport
from course.grading.targets import Target

log = logging.getLogger(__name__)

#: Seconds one check may take before it counts as a hang.
DEFAULT_TIMEOUT = 20
#: Seconds the whole week may take; past that the process is stopped.
DEFAULT_TOTAL_TIMEOUT = 900

# pytest exit codes: 0 all passed, 1 some failed (both normal when grading);
# 2 interrupted, 3 internal error, 4 usage error, 5 no tests collected (grading broke).
_NORMAL_EXIT = {0, 1}


def pytest_command(
    week_dir: Path,
    results: Path,
    target: Target,
    exercises_dir: Path | None,
    timeout: int,
    only: list[str] | None = None,
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(week_dir / "tests"),
        "-p",
        "course.grading.plugin",
        "--course-target",
        target,
        "--course-graded-only",
        "--course-results",
        str(results),
        f"--timeout={timeout}",
        # ignore the suite's own addopts (notebooks, coverage): grading runs the checks only
        "-o",
        "addopts=",
        "-q",
        "--tb=no",
        "--show-capture=no",
        "--no-header",
        "-p",
        "no:cacheprovider",
        # the one plugin graded checks need besides the course's: the others installed here
        # (nbval, schemathesis, hypothesis, faker, ...) are not loaded (see grade_week's env)
        "-p",
        "pytest_timeout",
    ]
    if exercises_dir is not None:
        command += ["--course-exercises-dir", str(exercises_dir.resolve())]
    for exercise in only or []:
        command += ["--course-exercise", exercise]
    return command


def grade_week(
    week_dir: Path,
    *,
    target: Target = "exercises",
    exercises_dir: Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    total_timeout: int = DEFAULT_TOTAL_TIMEOUT,
    only: list[str] | None = None,
) -> GradeReport:
    """Run the week's graded checks against ``target`` and return the report (of the
    exercises named in ``only``, when given).

    Never raises for the learner's mistakes; ``report.error`` is set only when grading itself
    could not run (a broken test file, no graded checks, the whole run timing out).
    """
    week_dir = week_dir.resolve()
    report = GradeReport(week=week_dir.name, target=target)
    if not (week_dir / "tests").is_dir():
        report.error = f"{week_dir} has no tests/ folder"
        return report
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(week_dir), os.environ.get("PYTHONPATH")])),
        "COURSE_GRADING": "1",
        # Only the plugins the command names: importing every installed one (schemathesis,
        # hypothesis, faker, nbval's Jupyter) cost 3.4 s per grading, before any check ran.
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    deadline = time.monotonic() + total_timeout
    runs: list[_Run] = []
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        done = Path(tmp) / "done.txt"
        done.touch()
        # A check that kills the test process (os._exit, a segfault) costs that check only:
        # pytest is launched again for the checks not graded yet, until none is left.
        while True:
            results = Path(tmp) / f"results-{len(runs)}.jsonl"
            results.touch()
            output = Path(tmp) / f"pytest-output-{len(runs)}.txt"
            command = pytest_command(week_dir, results, target, exercises_dir, timeout, only)
            if runs:
                command += ["--course-done", str(done)]
            log.debug("grading with: %s", " ".join(command))
            returncode = _run_pytest(command, week_dir, env, output, deadline - time.monotonic())
            run = _Run.read(results, returncode)
            runs.append(run)
            if returncode is None or run.crashed is None:
                break
            graded = [*run.finished, run.crashed]
            if not set(runs[0].collected) - {*graded, *_read_lines(done)}:
                break  # the crash was in the last check: nothing left to grade
            log.info("the test process died in %s: grading the rest again", run.crashed)
            with done.open("a", encoding="utf-8") as stream:
                stream.writelines(f"{nodeid}\n" for nodeid in graded)
        report.checks = _merge(runs, total_timeout)
        last = runs[-1]
        if last.returncode is None:
            report.error = f"grading stopped after {total_timeout} s"
        elif last.returncode not in _NORMAL_EXIT and not (len(runs) > 1 and last.returncode == 5):
            report.error = f"pytest exited with code {last.returncode}: {_tail(output)}"
        elif not report.checks:
            report.error = "no graded checks were found"
    return report


def _run_pytest(
    command: list[str], week_dir: Path, env: dict[str, str], output: Path, seconds: float
) -> int | None:
    """Run one pytest process; its exit code, or None when it ran out of time."""
    if seconds <= 0:
        return None
    try:
        with output.open("wb") as sink:
            proc = subprocess.run(
                command,
                cwd=week_dir,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=seconds,
                check=False,
            )
    except subprocess.TimeoutExpired:
        return None
    return proc.returncode


@dataclass
class _Run:
    """What one pytest process reported: checks collected, finished, and the one it died in."""

    returncode: int | None
    collected: dict[str, dict[str, object]] = field(default_factory=dict)
    finished: dict[str, dict[str, object]] = field(default_factory=dict)
    crashed: str | None = None

    @classmethod
    def read(cls, path: Path, returncode: int | None) -> _Run:
        run = cls(returncode)
        started: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            event, nodeid = record.pop("event"), record.pop("nodeid")
            if event == "collected":
                run.collected[nodeid] = record
            elif event == "started":
                started.append(nodeid)
            else:
                run.finished[nodeid] = record
        if started and started[-1] not in run.finished:
            run.crashed = started[-1]
        return run


def _merge(runs: list[_Run], total_timeout: int) -> list[CheckResult]:
    """One result per check collected by the first run, from whichever run graded it."""
    collected = runs[0].collected
    finished: dict[str, dict[str, object]] = {}
    crashed: dict[str, int | None] = {}
    for run in runs:
        finished.update(run.finished)
        if run.crashed is not None:
            crashed[run.crashed] = run.returncode
    checks = []
    for nodeid, grading in collected.items():
        outcome = finished.get(nodeid)
        if outcome is None:
            if nodeid in crashed and crashed[nodeid] is None:
                message = f"grading stopped after {total_timeout} s while this check ran"
            elif nodeid in crashed:
                message = "the test process died while this check ran (os._exit, a crash?)"
            else:
                message = f"not run: grading stopped after {total_timeout} s"
            outcome = {"status": "fail", "message": message, "duration": 0.0}
        checks.append(CheckResult(nodeid=nodeid, **grading, **outcome))  # type: ignore[arg-type]
    return checks


def _read_lines(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").splitlines())


def _tail(path: Path, lines: int = 15) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return "\n".join(text[-lines:])
