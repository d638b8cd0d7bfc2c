"""``python -m week11_monitoring``: an expected problem is one line and exit code 2
(:func:`course.cli_support.run_cli`); a traceback means a bug."""

from rich.console import Console

from course.cli_support import run_cli
from week11_monitoring.cli import app

if __name__ == "__main__":
    # soft_wrap: the error stays one line however narrow the terminal
    run_cli(app, console=Console(stderr=True, soft_wrap=True))
