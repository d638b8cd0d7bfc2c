"""The capstone's settings: ``CAPSTONE_*`` variables (or a ``.env``), and the real services'
usual names where one exists.

Unset, a run keeps everything under its output folder (embedded defaults: a SQLite warehouse
and online store, a local MLflow store, a folder as the raw zone). One setting points a part at
a real service, and the same code runs::

    DATABASE_URL=postgresql+psycopg://user:password@host:5432/warehouse   # warehouse + store
    MLFLOW_TRACKING_URI=http://127.0.0.1:5000                             # tracking + registry
    AWS_ENDPOINT_URL=http://127.0.0.1:9000    # the MLflow server's artifacts in S3 / MinIO

Nothing is read on import: build ``Settings()`` where it is needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from week13_retrain.settings import Policy

OUT_ROOT = Path("artifacts/capstone")


class Settings(BaseSettings):
    """``CAPSTONE_OUT_DIR``, ``CAPSTONE_REQUESTS_PER_DAY``, ... (see fields)."""

    model_config = SettingsConfigDict(
        env_prefix="CAPSTONE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    out_dir: Path | None = Field(
        default=None,
        description="where a run writes its results and keeps its state; unset: "
        "artifacts/capstone/<today's date>",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CAPSTONE_DATABASE_URL", "DATABASE_URL", "database_url"),
        description="the warehouse and the online store; unset: SQLite in the run's folder",
    )
    mlflow_tracking_uri: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "CAPSTONE_MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_URI", "mlflow_tracking_uri"
        ),
        description="tracking and registry; unset: a new local store in the run's folder",
    )
    model_name: str = Field(default="flight-delay", min_length=1)
    requests_per_day: int = Field(
        default=20, ge=0, le=2000, description="live requests sent to the service per day"
    )
    workers: int = Field(default=2, ge=1, le=16, description="the live service's workers")
    seed: int = Field(default=2013, description="the live sample's seed (and the A/B salt's)")

    def run_dir(self, today: dt.date | None = None) -> Path:
        """The output folder: the setting, or ``artifacts/capstone/<date>``."""
        return self.out_dir or OUT_ROOT / (today or dt.date.today()).isoformat()


@dataclass(frozen=True)
class Guard:
    """The watch after a promotion: for ``days`` days the new champion's live log loss is
    compared, flight by flight, with the model it replaced (scored on the same flights)."""

    days: int = 14
    min_flights: int = 2000
    #: log loss per flight the new champion may lose before it is rolled back
    margin: float = 0.0
    #: one-sided: roll back when the loss is higher beyond ``z`` standard errors
    z: float = 1.645


@dataclass(frozen=True)
class Plan:
    """What a run does: the days, the policy (week13's, with the window it recommends), the
    guard after a promotion."""

    start: dt.date = dt.date(2013, 9, 1)
    end: dt.date = dt.date(2013, 12, 31)
    policy: Policy = field(default_factory=lambda: Policy(window="expanding"))
    guard: Guard = field(default_factory=Guard)
