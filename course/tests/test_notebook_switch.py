"""A notebook's USE_MY_CODE switch on a learner who has started nothing: every exercise falls
back to the reference, the notebook says so, and run as a script it still prints its results."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from course.overlay import EXERCISES_ROOT_ENV, USE_MY_CODE_ENV
from course.paths import REPO_ROOT

NOTEBOOK = REPO_ROOT / "week13-retrain" / "notebooks" / "01_ab_without_peeking.py"


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_switch_on_untouched_stubs_runs_the_reference_and_says_so() -> None:
    env = {**os.environ, USE_MY_CODE_ENV: "1", "MPLBACKEND": "Agg"}
    env.pop(EXERCISES_ROOT_ENV, None)  # the repository's own untouched stubs
    run = subprocess.run(
        [sys.executable, str(NOTEBOOK)],
        cwd=NOTEBOOK.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert run.returncode == 0, f"the lesson failed on untouched stubs:\n{run.stderr[-3000:]}"
    out = run.stdout
    assert "your code: 0 of" in out, "the notebook says how much of the code is yours"
    assert "reference (not started)" in out, "and which functions fell back to the reference"
    assert "flights_per_arm" in out.split("your code:")[1].split("\n\n")[0]
    assert "per arm" in out or "flights" in out, "run as a script, the tables are printed"
