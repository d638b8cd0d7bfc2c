"""The pytest side of grading.

Checks declare their grading beside them::

    @pytest.mark.exercise("parse_hhmm")
    @pytest.mark.points(2)
    @pytest.mark.hint("2400 is midnight at the end of the day, not 24:00")
    def test_midnight(clean):
        ...

and reach the code under test through fixtures built on ``solution``, which loads the week's
module from the reference package (the default) or from the learner's ``exercises/`` folder
(``--course-target=exercises``, what ``course grade`` uses). An exercise that is a file, not a
module (a Dockerfile), is reached the same way through ``solution_file``, which gives its path
(see :mod:`course.grading.targets`). A test without ``points`` is a check of the reference only
(data checks, notebooks, model quality) and is not graded.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Generator
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import pytest

from course.grading.targets import TARGETS, Target, load_file, load_module

_RESULTS_KEY = pytest.StashKey[IO[str]]()
_PHASES_KEY = pytest.StashKey[dict[str, dict[str, Any]]]()
#: A message longer than this is cut (a check's own message is rarely more than a few lines).
MAX_MESSAGE = 2_000
#: More output than this from one check counts as a failure: a print in a hot loop.
MAX_OUTPUT_BYTES = 1_000_000


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("course", "course grading")
    group.addoption(
        "--course-target",
        choices=TARGETS,
        default="reference",
        help="run the checks against the reference package or the learner's exercises/",
    )
    group.addoption(
        "--course-exercises-dir",
        default=None,
        help="grade the stubs in this folder instead of <week>/exercises",
    )
    group.addoption(
        "--course-graded-only",
        action="store_true",
        help="run only the checks that carry points",
    )
    group.addoption(
        "--course-results",
        default=None,
        help="append one JSON line per graded check to this file",
    )
    group.addoption(
        "--course-exercise",
        action="append",
        default=None,
        help="only the checks of this exercise (repeat for more): what `course watch` grades first",
    )
    group.addoption(
        "--course-done",
        default=None,
        help="a file of node ids (one per line) already graded: deselect them (a re-launch)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): points this check is worth (graded)")
    config.addinivalue_line("markers", "hint(text): shown to the learner when the check fails")
    config.addinivalue_line("markers", "exercise(name): the exercise this check grades")
    config.addinivalue_line(
        "markers",
        "budget(seconds): this check starts processes, servers or Spark: its own time-out, "
        "generous for a busy 2-core machine (instead of the grader's per-check one)",
    )
    path = config.getoption("course_results", None)
    if path:
        config.stash[_RESULTS_KEY] = open(path, "a", encoding="utf-8")  # noqa: SIM115
        config.stash[_PHASES_KEY] = {}


def pytest_unconfigure(config: pytest.Config) -> None:
    stream = config.stash.get(_RESULTS_KEY, None)
    if stream is not None:
        stream.close()


def _closest(item: pytest.Item, name: str) -> pytest.Mark | None:
    """The marker ``name`` nearest to the check: one case's own (``pytest.param(...,
    marks=pytest.mark.points(2))``) before the test function's, before its module's."""
    for mark in reversed(item.own_markers):
        if mark.name == name:
            return mark
    return item.get_closest_marker(name)


def grading_of(item: pytest.Item) -> dict[str, Any] | None:
    """The grading a check declares (exercise, points, hint), or None for an ungraded test."""
    points_mark = _closest(item, "points")
    if points_mark is None:
        return None
    points = points_mark.args[0] if points_mark.args else None
    if not isinstance(points, int) or points <= 0:
        raise pytest.UsageError(f"{item.nodeid}: points must be a positive int, got {points!r}")
    exercise_mark = _closest(item, "exercise")
    hint_mark = _closest(item, "hint")
    module = item.path.stem.removeprefix("test_")
    return {
        "exercise": exercise_mark.args[0] if exercise_mark else module,
        "points": points,
        "hint": hint_mark.args[0] if hint_mark else "",
        "title": _title(item),
    }


def _title(item: pytest.Item) -> str:
    """What a check verifies, from its docstring's first sentence ("" without a docstring);
    a parametrised case adds its id."""
    doc = getattr(getattr(item, "function", None), "__doc__", None)
    if not doc:
        return ""
    paragraph = " ".join(inspect.cleandoc(doc).split("\n\n", 1)[0].split())
    sentence = paragraph.split(". ", 1)[0].rstrip(".")
    title = sentence if len(sentence) <= 120 else sentence[:119] + "…"
    case = item.name.partition("[")[2].rstrip("]")
    return f"{title} ({case})" if case else title


def budget_of(item: pytest.Item) -> float | None:
    """The time budget a check declares with ``@pytest.mark.budget(seconds)``, or None."""
    mark = _closest(item, "budget")
    if mark is None:
        return None
    seconds = mark.args[0] if mark.args else None
    if not isinstance(seconds, int | float) or seconds <= 0:
        raise pytest.UsageError(f"{item.nodeid}: budget must be positive seconds, got {seconds!r}")
    return float(seconds)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        budget = budget_of(item)
        if budget is not None:
            # pytest-timeout reads the closest timeout marker when the check runs
            item.add_marker(pytest.mark.timeout(budget))
    wanted = config.getoption("course_exercise", None)
    if wanted:
        others = [item for item in items if (grading_of(item) or {}).get("exercise") not in wanted]
        if others:
            config.hook.pytest_deselected(items=others)
            items[:] = [item for item in items if item not in others]
    graded = [item for item in items if grading_of(item) is not None]
    if config.getoption("course_graded_only"):
        deselected = [item for item in items if grading_of(item) is None]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = graded
    done_file = config.getoption("course_done", None)
    if done_file:
        # a re-launch after a crash: the checks already graded are not run again
        done = set(Path(done_file).read_text(encoding="utf-8").splitlines())
        finished = [item for item in items if item.nodeid in done]
        if finished:
            config.hook.pytest_deselected(items=finished)
            items[:] = [item for item in items if item.nodeid not in done]
    stream = config.stash.get(_RESULTS_KEY, None)
    if stream is not None:
        for item in graded:
            _write(stream, {"event": "collected", "nodeid": item.nodeid, **_grading(item)})


def _grading(item: pytest.Item) -> dict[str, Any]:
    grading = grading_of(item)
    assert grading is not None
    return grading


def _write(stream: IO[str], record: dict[str, Any]) -> None:
    # One line per record, flushed at once: a crash mid-run still leaves every earlier result.
    stream.write(json.dumps(record) + "\n")
    stream.flush()


def _is_todo(excinfo: pytest.ExceptionInfo[BaseException]) -> bool:
    """True when NotImplementedError is anywhere in the exception chain: the stub is untouched."""
    exc: BaseException | None = excinfo.value
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, NotImplementedError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _timed_out(excinfo: pytest.ExceptionInfo[BaseException]) -> bool:
    """True when pytest-timeout itself stopped the check (its ``pytest.fail`` from its own
    module), not when a check's message merely mentions a timeout."""
    if not isinstance(excinfo.value, pytest.fail.Exception):
        return False
    return any(Path(str(entry.path)).name == "pytest_timeout.py" for entry in excinfo.traceback)


def _assertion_text(text: str) -> str:
    """The check's own message, whole: what pytest appends after it (the rewritten ``assert``
    line and its ``+ where`` explanation) is left out."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if i > 0 and line.startswith("assert "):
            # pytest indents the message's own later lines by two spaces: undo it
            lines = [lines[0], *(x[2:] if x.startswith("  ") else x for x in lines[1:i])]
            break
    message = "\n".join(line.rstrip() for line in lines).strip()
    return message or "assertion failed"


def _reason(item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """What went wrong, in the check's own words, and where in the learner's file it was."""
    exc = excinfo.value
    text = str(exc).strip()
    budget = budget_of(item)
    if _timed_out(excinfo) and budget is not None:
        reason = (
            f"this check starts other processes and they did not finish within its {budget:g} s "
            "budget: the machine is busy or slow to start them, not necessarily your code. "
            "Grade again when it is quieter"
        )
    elif _timed_out(excinfo):
        timeout = item.config.getoption("timeout", None)
        reason = f"took longer than {timeout:g} s: an endless loop, or far too much work?"
    elif excinfo.errisinstance(AssertionError):
        # The check's own message comes first; pytest appends the rewritten `assert` after it.
        reason = _assertion_text(text) if text else "assertion failed"
    else:
        reason = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    where = _learner_frame(item, excinfo)
    if where:
        reason += f" ({where})"
    if len(reason) > MAX_MESSAGE:
        reason = reason[: MAX_MESSAGE - 1] + "…"
    return reason


def _learner_frame(item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    if item.config.getoption("course_target") != "exercises":
        return ""
    for entry in reversed(excinfo.traceback):
        path = Path(str(entry.path))
        if path.parent.name == "exercises" or _in_custom_dir(item, path):
            return f"{path.name}, line {entry.lineno + 1}"
    return ""


def _in_custom_dir(item: pytest.Item, path: Path) -> bool:
    custom = item.config.getoption("course_exercises_dir")
    return bool(custom) and path.parent == Path(custom).resolve()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    phases = item.config.stash.get(_PHASES_KEY, None)
    if phases is None or grading_of(item) is None:
        return report
    state = phases.setdefault(item.nodeid, {"status": "pass", "message": "", "duration": 0.0})
    state["duration"] += report.duration
    if call.excinfo is not None and state["status"] == "pass" and not report.passed:
        if report.skipped:
            state.update(status="fail", message=f"skipped: {_skip_reason(report)}")
        elif _is_todo(call.excinfo):
            state.update(status="todo", message="not started (raises NotImplementedError)")
        else:
            state.update(status="fail", message=_reason(item, call.excinfo))
    elif report.failed and state["status"] == "pass":  # e.g. an xfail(strict) that passed
        state.update(status="fail", message=str(report.longrepr)[:MAX_MESSAGE])
    if report.when == "call":
        printed = len(report.capstdout) + len(report.capstderr)
        if printed > MAX_OUTPUT_BYTES:
            flood = (
                f"printed {printed / 1e6:.1f} MB of output (limit "
                f"{MAX_OUTPUT_BYTES / 1e6:.0f} MB): remove the print inside a loop"
            )
            if state["status"] == "fail":
                state["message"] = f"{state['message'][:150]}; and {flood}"
            else:
                state.update(status="fail", message=flood)
    if report.when == "teardown":
        stream = item.config.stash[_RESULTS_KEY]
        _write(stream, {"event": "result", "nodeid": item.nodeid, **phases.pop(item.nodeid)})
    return report


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    stream = item.config.stash.get(_RESULTS_KEY, None)
    if stream is not None and grading_of(item) is not None:
        _write(stream, {"event": "started", "nodeid": item.nodeid})


def week_dir_of(path: Path) -> Path:
    """The week folder a test file belongs to: the nearest parent with a pyproject.toml."""
    for parent in path.resolve().parents:
        if (parent / "pyproject.toml").exists():
            return parent
    raise LookupError(f"{path} is not inside a week folder (no pyproject.toml above it)")


def _graded(request: pytest.FixtureRequest) -> tuple[Path, Target, Path | None]:
    """The week of the requesting check, the target graded, and a custom exercises folder."""
    custom = request.config.getoption("course_exercises_dir")
    target: Target = request.config.getoption("course_target")
    return week_dir_of(request.path), target, Path(custom).resolve() if custom else None


@pytest.fixture
def solution(request: pytest.FixtureRequest) -> Callable[[str], ModuleType]:
    """``solution("clean")`` is the week's ``clean`` module: the reference or the learner's."""
    week_dir, target, exercises_dir = _graded(request)

    def load(name: str) -> ModuleType:
        return load_module(week_dir, name, target, exercises_dir)

    return load


@pytest.fixture
def solution_file(request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """``solution_file("Dockerfile")`` is the path of the week's file exercise ``Dockerfile``:
    the reference's (where the week's ``tests/exercise-files.toml`` says) or the learner's
    ``exercises/Dockerfile``. A stub that is still only comments raises ``NotImplementedError``:
    every check of it is TODO."""
    week_dir, target, exercises_dir = _graded(request)

    def load(name: str) -> Path:
        return load_file(week_dir, name, target, exercises_dir)

    return load


@pytest.fixture
def solution_source(request: pytest.FixtureRequest) -> Callable[[str, str], str]:
    """``solution_source("assign", "mod")`` is Python source that, run in another process
    (``python -c``), binds ``mod`` to the same module ``solution("assign")`` gives here: a check
    of "every process" runs the learner's file there too, never the reference by accident."""
    week_dir = week_dir_of(request.path)
    target = request.config.getoption("course_target")
    custom = request.config.getoption("course_exercises_dir")
    folder = repr(str(Path(custom).resolve())) if custom else "None"

    def source(name: str, alias: str) -> str:
        return (
            "from pathlib import Path\n"
            "from course.grading.targets import load_module\n"
            f"_folder = {folder}\n"
            f"{alias} = load_module(Path({str(week_dir)!r}), {name!r}, {target!r}, "
            "Path(_folder) if _folder else None)\n"
        )

    return source
