"""What the weeks' checks share: running a week's command line as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from course.cli_support import EXPECTED_ERROR


def expected_error(
    module: str,
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    unset: Sequence[str] = (),
    timeout: float = 110,
) -> str:
    """Run ``python -m module *args`` in ``cwd`` and check what a user must see for an expected
    error: exit code 2, one line (however narrow the terminal), no traceback. Returns the line.

    ``env`` is added to this process's environment; the variables in ``unset`` are removed.
    """
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
