"""What every week's command line shares: expected errors in one line, and one logging set-up.

A command that cannot do its job for a reason the user can fix (no registry yet, no champion, a
missing folder, a date outside 2013) raises :class:`CourseError` with the command that fixes it;
:func:`run_cli` prints it as one line and exits 2. Anything else is a bug and keeps its traceback.

    raise CourseError("no registry at artifacts/mlflow.db", fix="python -m week13_retrain simulate")
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.logging import RichHandler

#: Exit code of an expected error (usage errors are 2 in Click too).
EXPECTED_ERROR = 2


class CourseError(Exception):
    """An error the user can fix; ``fix`` is the command (or step) that fixes it."""

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} (fix: {self.fix})" if self.fix else message


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # 143 for SIGTERM, as a shell reports it


def run_cli(app: Callable[[], object], *, console: Console | None = None) -> None:
    """Run a Typer app; a :class:`CourseError` becomes one line on stderr and exit code 2.

    SIGTERM (``kill``, a container runtime stopping the run) ends it like an exception: every
    ``finally`` runs (the servers a run started are stopped with their workers), and the exit
    code is 143. Python's default for SIGTERM ends the process on the spot, cleaning up
    nothing."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    try:
        app()
    except CourseError as exc:
        console = console or Console(stderr=True, soft_wrap=True)  # one line, however long
        console.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(EXPECTED_ERROR)


def setup_logging(
    console: Console,
    *,
    verbose: bool = False,
    level: int = logging.INFO,
    quiet: Sequence[str] = (),
) -> None:
    """Log through ``console`` (so a progress bar on it stays intact) at ``level``, DEBUG when
    ``verbose``; the loggers named in ``quiet`` (a library's chatter) only from WARNING on."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else level,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=console, show_path=False)],
        force=True,
    )
    for name in quiet:
        logging.getLogger(name).setLevel(logging.WARNING)
