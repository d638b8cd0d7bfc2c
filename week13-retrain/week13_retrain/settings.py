"""Settings of week13, read from the environment (prefix ``WEEK13_``) or a ``.env``; the
policy's hyper-parameters are a frozen dataclass (:class:`Policy`).

Nothing is read on import: build ``Settings()`` where it is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from week13_retrain.challenger import WindowKind
from week13_retrain.triggers import TriggerRules


class Settings(BaseSettings):
    """``WEEK13_ADMIN_TOKEN``, ``WEEK13_MODEL_NAME``, ... (see fields)."""

    model_config = SettingsConfigDict(env_prefix="WEEK13_", env_file=".env", extra="ignore")

    model_name: str = Field(default="flight-delay", min_length=1, description="registered model")
    tracking_uri: str | None = Field(
        default=None,
        description="MLflow store of the service; unset = MLflow's own (MLFLOW_TRACKING_URI)",
    )
    out_dir: Path = Field(
        default=Path("artifacts/week13"), description="simulation stores and result tables"
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description="bearer token of POST /admin/split and week05's /admin/reload; "
        "unset = admin calls disabled",
    )
    share: float = Field(default=0.5, ge=0.0, le=1.0, description="challenger's starting share")
    salt: str = Field(default="week13-ab", min_length=1, description="the arm hash's salt")


@dataclass(frozen=True)
class Policy:
    """How the simulated policy retrains and decides (see the README for why these values)."""

    window: WindowKind = "rolling"
    train_weeks: int = 8
    valid_days: int = 14
    n_estimators: int = 150
    rules: TriggerRules = field(default_factory=TriggerRules)
    check_every: int = 7
    monitor_days: int = 7
    share: float = 0.5
    alpha: float = 0.05
    #: the mSPRT's prior scale: log-loss differences of about 0.01-0.03 are what retraining
    #: moved on 2013's validation windows
    tau: float = 0.02
    max_test_days: int = 42
    label_delay_days: int = 1
