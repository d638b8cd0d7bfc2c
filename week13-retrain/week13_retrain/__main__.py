"""``python -m week13_retrain``: see :mod:`week13_retrain.cli`."""

from week13_retrain.cli import app

if __name__ == "__main__":
    app()
