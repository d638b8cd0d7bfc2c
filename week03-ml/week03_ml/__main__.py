"""``python -m week03_ml``: the week's command line (see :mod:`week03_ml.cli`).

An expected problem is one line naming the cause and the fix, exit code 2
(:func:`course.cli_support.run_cli`); a traceback means a bug.
"""

from rich.console import Console

from course.cli_support import run_cli
from week03_ml.cli import app

if __name__ == "__main__":
    # soft_wrap: the error stays one line however narrow the terminal
    run_cli(app, console=Console(stderr=True, soft_wrap=True))
