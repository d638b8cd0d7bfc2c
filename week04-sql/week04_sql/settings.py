"""One setting picks the database: ``DATABASE_URL`` (environment or a ``.env`` file).

Unset, the week uses a SQLite file under ``artifacts/week04/`` relative to the current folder;
set it to a PostgreSQL URL (``postgresql+psycopg://user:password@host:5432/db``) and every
command, notebook and query runs there instead, unchanged.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///artifacts/week04/flights.db"


class Settings(BaseSettings):
    """Read from the environment, then from ``.env`` in the current folder."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL


def get_settings() -> Settings:
    """A fresh read of the settings (cheap; call it where you need it, not at import)."""
    return Settings()
