"""``python -m week05_ml_api``."""

from course.cli_support import run_cli
from week05_ml_api.cli import app

if __name__ == "__main__":
    run_cli(app)
