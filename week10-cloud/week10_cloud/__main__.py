"""``python -m week10_cloud --help``."""

from week10_cloud.cli import app

if __name__ == "__main__":
    app()
