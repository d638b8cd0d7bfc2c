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
        # notebooks are not graded, and nbval's Jupyter imports cost ~3 s per run
        "-p",
        "no:nbval",
    ]
    if exercises_dir is not None:
        command += ["--course-exercises-dir", str(exercises_dir.resolve())]
    return command


def grade_week(
    week_dir: Path,
    *,
    target: Target = "exercises",
    exercises_dir: Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    total_timeout: int = DEFAULT_TOTAL_TIMEOUT,
) -> GradeReport:
    """Run the week's graded checks against ``target`` and return the report.

    Never raises for the learner's mistakes; ``report.error`` is set only when grading itself
    could not run (a broken test file, no graded checks, the whole run timing out).
    """
    week_dir = week_dir.resolve()
    report = GradeReport(week=week_dir.name, target=target)
    if not (week_dir / "tests").is_dir():
        report.error = f"{week_dir} has no tests/ folder"
        return report
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        results = Path(tmp) / "results.jsonl"
        results.touch()
        output = Path(tmp) / "pytest-output.txt"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(week_dir), os.environ.get("PYTHONPATH")])
            ),
            "COURSE_GRADING": "1",
        }
        command = pytest_command(week_dir, results, target, exercises_dir, timeout)
        log.debug("grading with: %s", " ".join(command))
        try:
            with output.open("wb") as sink:
                proc = subprocess.run(
                    command,
                    cwd=week_dir,
                    env=env,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    timeout=total_timeout,
                    check=False,
                )
            returncode: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            returncode = None
        report.checks = _read_results(results, returncode, total_timeout)
        if returncode is None:
            report.error = f"grading stopped after {total_timeout} s"
        elif returncode not in _NORMAL_EXIT:
            report.error = f"pytest exited with code {returncode}: {_tail(output)}"
        elif not report.checks:
            report.error = "no graded checks were found"
    return report


def _read_results(path: Path, returncode: int | None, total_timeout: int) -> list[CheckResult]:
    collected: dict[str, dict[str, object]] = {}
    finished: dict[str, dict[str, object]] = {}
    started: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        event, nodeid = record.pop("event"), record.pop("nodeid")
        if event == "collected":
            collected[nodeid] = record
        elif event == "started":
            started.append(nodeid)
        else:
            finished[nodeid] = record
    crashed = started[-1] if started and started[-1] not in finished else None
    checks = []
    for nodeid, grading in collected.items():
        outcome = finished.get(nodeid)
        if outcome is None:
            if nodeid == crashed and returncode is None:
                message = f"grading stopped after {total_timeout} s while this check ran"
            elif nodeid == crashed:
                message = "the test process died while this check ran (os._exit, a crash?)"
            else:
                message = "not run: an earlier check stopped the test process"
            outcome = {"status": "fail", "message": message, "duration": 0.0}
        checks.append(CheckResult(nodeid=nodeid, **grading, **outcome))  # type: ignore[arg-type]
    return checks


def _tail(path: Path, lines: int = 15) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return "\n".join(text[-lines:])
