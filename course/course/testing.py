"""What the weeks' checks share: running a week's command line as a user would."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from course.cli_support import EXPECTED_ERROR, CourseError


def expected_error(
    module: str,
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    unset: Sequence[str] = (),
    timeout: float = 110,
    app: Any = None,
) -> str:
    """Run ``python -m module *args`` in ``cwd`` and check what a user must see for an expected
    error: exit code 2, one line (however narrow the terminal), no traceback. Returns the line.

    ``env`` is added to this process's environment; the variables in ``unset`` are removed.
    With ``app`` (the module's Typer app) the command runs in this process instead, through
    Typer's test runner: the same :class:`~course.cli_support.CourseError`, without the 1-2 s
    of a Python start-up. ``run_cli`` turns that error into the line (its own checks prove it),
    so each week keeps one case that goes through a real process and runs the rest in-process.
    """
    if app is not None:
        return _expected_error_in_process(app, args, cwd=cwd, env=env, unset=unset)
    environment = {**os.environ, "COLUMNS": "60", **(env or {})}
    for name in unset:
        environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == EXPECTED_ERROR, (
        f"exit code {done.returncode}, want {EXPECTED_ERROR}:\n{output[-2000:]}"
    )
    assert "Traceback" not in output, f"an expected error printed a traceback:\n{output[-2000:]}"
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, f"want one line, got {len(lines)}:\n{output[-2000:]}"
    return lines[0]


def _expected_error_in_process(
    app: Any,
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None,
    unset: Sequence[str],
) -> str:
    from typer.testing import CliRunner

    changes: dict[str, str | None] = {"COLUMNS": "60", **(env or {})}
    changes.update(dict.fromkeys(unset))  # None: removed while the command runs
    with contextlib.chdir(cwd), _logging_restored():
        result = CliRunner().invoke(app, list(args), env=changes, catch_exceptions=True)
    error = result.exception
    assert isinstance(error, CourseError), (
        f"want an expected error (CourseError, exit code {EXPECTED_ERROR}), got exit code "
        f"{result.exit_code} and {error!r}:\n{result.output[-2000:]}"
    )
    line = f"error: {error}"
    assert "\n" not in line, f"an expected error must be one line:\n{line}"
    return line


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """A command sets up logging for its process (root handlers and level, quiet libraries):
    in-process, put it back afterwards, so the next check's logs are not shaped by it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, logger in logging.Logger.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.setLevel(levels.get(name, logging.NOTSET))


#: Statuses that refuse a schema-violating request. Schemathesis's own list leaves out 413
#: (the client sent too much), the answer to a body over the service's cap.
REFUSALS = (400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429)


def schemathesis_run(
    url: str, *, token: str, folder: Path, examples: int = 25, seed: int = 5, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """Schemathesis (its CLI: its pytest plugin does not run under the course's pytest) on the
    service at ``url``: requests generated from ``/openapi.json``, valid and invalid, and all
    its checks (no 5xx, every answer in its declared schema and status, schema-valid requests
    accepted, schema-violating ones refused, the admin token enforced). ``folder`` holds its
    configuration and its cache (never the repository). Returns the finished run."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
        "--checks", "all", "--max-examples", str(examples), "--seed", str(seed),
        "--phases", "examples,coverage,fuzzing", "--workers", "2",
        "--report-dir", str(folder), "-H", f"Authorization: Bearer {token}",
    ]  # fmt: skip
    statuses = ", ".join(map(str, REFUSALS))
    (folder / "schemathesis.toml").write_text(
        f"[checks.negative_data_rejection]\nexpected-statuses = [{statuses}]\n"
    )
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False, cwd=folder
    )
