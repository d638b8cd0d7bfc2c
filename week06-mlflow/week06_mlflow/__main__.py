"""``python -m week06_mlflow --help``."""

from course.cli_support import run_cli
from week06_mlflow.cli import app

if __name__ == "__main__":
    run_cli(app)
