"""``python -m week13_retrain``: see :mod:`week13_retrain.cli`. An expected error (no registry
yet, a day outside 2013) is one line and exit code 2; anything else is a bug and keeps its
traceback."""

from course.cli_support import run_cli
from week13_retrain.cli import app

if __name__ == "__main__":
    run_cli(app)
