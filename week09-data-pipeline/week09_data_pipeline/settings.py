"""Every path and service URL of the pipeline: one ``Settings`` read from ``WEEK09_*`` variables.

Unset, everything lives under ``artifacts/week09/`` relative to where you run (embedded
defaults: a folder for the raw zone, a SQLite warehouse, a SQLite MLflow store)::

    WEEK09_DATA_DIR=artifacts/week09                   # raw/, validated/, quarantine/ zones
    WEEK09_DATABASE_URL=postgresql+psycopg://...       # the warehouse (DATABASE_URL works too)
    WEEK09_MLFLOW_TRACKING_URI=http://127.0.0.1:5000   # a tracking server (MLFLOW_TRACKING_URI too)
    WEEK09_ALERT_WEBHOOK_URL=https://hooks.slack.com/services/...   # failure alerts

Nothing is read on import: call :func:`get_settings` inside the function that needs it (an
Airflow task does it when it runs, never when its DAG file is parsed).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from week06_mlflow.registry import DEFAULT_MARGIN

DEFAULT_DIR = Path("artifacts/week09")


class Settings(BaseSettings):
    """The pipeline's settings (``WEEK09_`` + the field name, upper case)."""

    model_config = SettingsConfigDict(
        env_prefix="WEEK09_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(
        default=DEFAULT_DIR,
        description="root of the raw, validated and "
        "quarantine zones (one Parquet partition per table and date)",
    )
    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DIR}/warehouse.db",
        validation_alias=AliasChoices("WEEK09_DATABASE_URL", "DATABASE_URL", "database_url"),
        description="the warehouse and the online store: SQLite (default) or PostgreSQL",
    )
    mlflow_tracking_uri: str = Field(
        default=f"sqlite:///{DEFAULT_DIR}/mlruns.db",
        validation_alias=AliasChoices(
            "WEEK09_MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_URI", "mlflow_tracking_uri"
        ),
    )
    mlflow_artifact_root: Path = Field(default=DEFAULT_DIR / "mlartifacts")
    experiment_name: str = Field(default="week09-weekly-training", min_length=1)
    model_name: str = Field(default="flight-delay", min_length=1)
    alert_webhook_url: str | None = Field(
        default=None, description="a Slack incoming webhook (or any URL taking a JSON POST)"
    )
    #: the weekly model learns from ``train_days`` days and is judged on the ``valid_days``
    #: days just before its logical date
    train_days: int = Field(default=28, ge=7)
    valid_days: int = Field(default=7, ge=1)
    #: the condition step: below this validation ROC-AUC a model is never registered
    min_valid_auc: float = Field(default=0.60, ge=0.0, le=1.0)
    margin: float = Field(default=DEFAULT_MARGIN, ge=0.0)
    n_estimators: int = Field(default=80, ge=1)

    @property
    def raw_dir(self) -> Path:
        """Landed data, exactly as it came: never modified, only replaced whole by a re-run."""
        return self.data_dir / "raw"

    @property
    def validated_dir(self) -> Path:
        """Rows that passed week01's rules, ready to load."""
        return self.data_dir / "validated"

    @property
    def quarantine_dir(self) -> Path:
        """Rows that broke a rule, each with its ``reason``: kept aside, never dropped."""
        return self.data_dir / "quarantine"


def get_settings(**overrides: object) -> Settings:
    """The settings from the environment / ``.env``, with ``overrides`` (``None`` ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
