"""``python -m capstone``: see :mod:`capstone.cli` (expected errors are one line, exit 2)."""

from capstone.cli import main

main()
