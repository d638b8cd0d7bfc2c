"""Root conftest: load the course's grading plugin (markers ``points``/``hint``/``exercise`` and
the ``solution`` fixture) for every week's checks."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from course.overlay import EXERCISES_ROOT_ENV, USE_MY_CODE_ENV
from course.paths import module_name, week_dirs

_COPY_KEY = pytest.StashKey[Path]()

# pytester: the course tooling tests run the grading plugin in-process with it
pytest_plugins = ["course.grading.plugin", "pytester"]


def reference_as_exercises(root: Path) -> Path:
    """Every week's reference modules copied into the exercises layout under ``root``
    (``root/week09-data-pipeline/exercises/context.py``...): a learner who wrote exactly the
    reference, for running the notebooks with ``USE_MY_CODE`` on."""
    for week in week_dirs():
        stubs = sorted((week / "exercises").glob("[!_]*.py"))
        if not stubs:
            continue
        folder = root / week.name / "exercises"
        folder.mkdir(parents=True)
        for stub in stubs:
            shutil.copyfile(week / module_name(week) / stub.name, folder / stub.name)
    return root


def pytest_configure(config: pytest.Config) -> None:
    # Every notebook runs with its USE_MY_CODE switch on, on the reference copied into the
    # exercises layout: the path a learner's switch takes (every exercise function swapped in,
    # the notebook's first lines saying so) is the one CI executes. The kernels nbval starts
    # inherit this environment; COURSE_USE_MY_CODE=0 runs them on the plain reference instead.
    if os.environ.get(USE_MY_CODE_ENV) is None and not hasattr(config, "workerinput"):
        copy = reference_as_exercises(Path(tempfile.mkdtemp(prefix="course-mine-")))
        config.stash[_COPY_KEY] = copy
        os.environ[USE_MY_CODE_ENV] = "1"
        os.environ[EXERCISES_ROOT_ENV] = str(copy)

    # nbval measures coverage inside each notebook's kernel with the sources given to --cov.
    # A bare --cov (sources from [tool.coverage.run]) reaches nbval as [True], which makes the
    # kernel's coverage start fail and the notebook time out: name the course's packages instead.
    if getattr(config.option, "cov_source", None) == [True]:
        config.option.cov_source = ["course", *(module_name(p) for p in week_dirs())]


def pytest_unconfigure(config: pytest.Config) -> None:
    copy = config.stash.get(_COPY_KEY, None)
    if copy is not None:
        shutil.rmtree(copy, ignore_errors=True)
        os.environ.pop(USE_MY_CODE_ENV, None)
        os.environ.pop(EXERCISES_ROOT_ENV, None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # One line per reason instead of one per skipped test: without PostgreSQL, 35 checks skip
    # for the same reason, and that reason already says how to run them.
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = Counter(_skip_reason(report) for report in skipped)
    if reasons:
        terminalreporter.section("skipped checks, by reason", sep="-")
        for reason, count in reasons.most_common():
            terminalreporter.write_line(f"{count:4d} skipped: {reason}")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)
