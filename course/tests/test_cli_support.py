"""The command lines' shared parts: one-line expected errors and one logging set-up."""

from __future__ import annotations

import io
import logging

import pytest
from rich.console import Console

from course.cli_support import EXPECTED_ERROR, CourseError, run_cli, setup_logging


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=200), out


def test_an_expected_error_is_one_line_with_its_fix_and_exit_code_2():
    console, out = _console()

    def app() -> None:
        raise CourseError("no registry at artifacts/mlflow.db", fix="python -m week06_mlflow train")

    with pytest.raises(SystemExit) as stopped:
        run_cli(app, console=console)
    assert stopped.value.code == EXPECTED_ERROR
    assert out.getvalue().strip().splitlines() == [
        "error: no registry at artifacts/mlflow.db (fix: python -m week06_mlflow train)"
    ]


def test_a_bug_keeps_its_traceback():
    def app() -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        run_cli(app)


def test_logging_goes_through_the_console_at_its_level_and_quiets_chatty_libraries():
    console, out = _console()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        setup_logging(console, level=logging.WARNING, quiet=("chatty",))
        logging.getLogger("course.test").info("not shown at WARNING")
        logging.getLogger("course.test").warning("shown")
        assert logging.getLogger("chatty").level == logging.WARNING
        setup_logging(console, verbose=True)
        logging.getLogger("course.test").debug("debug when verbose")
    finally:
        logging.getLogger("chatty").setLevel(logging.NOTSET)
        root.handlers[:] = handlers
        root.setLevel(level)
    text = out.getvalue()
    assert "shown" in text and "debug when verbose" in text
    assert "not shown at WARNING" not in text


def _app(error: Exception):
    import typer

    app = typer.Typer()

    @app.command()
    def fail() -> None:
        raise error

    @app.command()
    def other() -> None:  # two commands, so the runner takes the command's name
        pass

    return app


def test_an_expected_error_in_process_is_its_line(tmp_path):
    from course.testing import expected_error

    app = _app(CourseError("no warehouse at x.db", fix="python -m week09_data_pipeline run"))
    line = expected_error("week09_data_pipeline", ["fail"], cwd=tmp_path, app=app)
    assert line == "error: no warehouse at x.db (fix: python -m week09_data_pipeline run)"


@pytest.mark.parametrize(
    "error",
    [ValueError("a bug, not an expected error"), CourseError("two\nlines")],
    ids=["a-bug", "two-lines"],
)
def test_in_process_a_bug_or_a_second_line_fails_the_check(tmp_path, error):
    from course.testing import expected_error

    with pytest.raises(AssertionError):
        expected_error("week09_data_pipeline", ["fail"], cwd=tmp_path, app=_app(error))


RUN = """
import sys, time, typer
from pathlib import Path
from course.cli_support import run_cli

app = typer.Typer()

@app.command()
def work(folder: Path) -> None:
    try:
        (folder / "started").touch()
        time.sleep(60)
    finally:
        (folder / "cleaned").touch()  # where a run stops its servers

run_cli(app)
"""


@pytest.mark.budget(60)
def test_sigterm_ends_a_command_through_its_finally_with_exit_code_143(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-c", RUN, str(tmp_path)])
    deadline = time.monotonic() + 40
    while not (tmp_path / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "started").exists(), "the command never started"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 143, "a terminated run exits 128 + SIGTERM"
    assert (tmp_path / "cleaned").exists(), "SIGTERM skipped the command's finally"
