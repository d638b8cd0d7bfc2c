"""``python -m week03_ml``: the week's command line (see :mod:`week03_ml.cli`)."""

from week03_ml.cli import app

if __name__ == "__main__":
    app()
