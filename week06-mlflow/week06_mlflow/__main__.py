"""``python -m week06_mlflow --help``."""

from week06_mlflow.cli import app

if __name__ == "__main__":
    app()
