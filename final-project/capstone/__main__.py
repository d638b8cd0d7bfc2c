"""``python -m capstone``: see :mod:`capstone.cli` (expected errors are one line, exit 2)."""

from capstone.cli import app
from course.cli_support import run_cli

run_cli(app)
