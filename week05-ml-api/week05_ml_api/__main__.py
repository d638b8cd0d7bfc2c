"""``python -m week05_ml_api``."""

from week05_ml_api.cli import app

if __name__ == "__main__":
    app()
