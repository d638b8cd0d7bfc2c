"""``python -m week10_cloud --help``."""

from course.cli_support import run_cli
from week10_cloud.cli import app

if __name__ == "__main__":
    run_cli(app)
