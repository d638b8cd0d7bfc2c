"""Settings of the monitoring jobs, read once from the environment (prefix ``WEEK11_``) or a
``.env`` file (commit ``.env.example`` only).

>>> Settings().drift_share_alert
0.65

The webhook URL is a secret (a Slack incoming webhook's path *is* its password): it is a
``SecretStr``, shown as ``**********`` in logs and reprs, and only revealed by the sender.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """``WEEK11_MODEL``, ``WEEK11_OUT_DIR``, ``WEEK11_WEBHOOK_URL``, ... (see the fields)."""

    model_config = SettingsConfigDict(env_prefix="WEEK11_", env_file=".env", extra="ignore")

    model: str = Field(
        default="artifacts/week03",
        description="the champion: a week-3 model folder, or a registry URI such as "
        "models:/flight-delay@champion (week 6)",
    )
    out_dir: Path = Field(
        default=Path("artifacts/week11"),
        description="where the report command writes its HTML reports, plot, table and "
        "Evidently workspace",
    )
    label_delay_days: int = Field(
        default=1,
        ge=0,
        le=60,
        description="days after its flight date a flight's outcome is known (the ETL loads "
        "day D's arrivals on the morning of D+1)",
    )
    # 0.65 / 0.5: every month after the training window has 53-70 % of its features drifted
    # (summer and autumn weather against January-June's): a level at 0.5 pages on the first
    # day and says nothing; 0.65 picks out the months that moved the most
    drift_share_alert: float = Field(
        default=0.65, gt=0, le=1, description="share of drifted features that fires the alert"
    )
    drift_share_clear: float = Field(
        default=0.5, ge=0, le=1, description="share under which the drift alert may resolve"
    )
    auc_drop_alert: float = Field(
        default=0.03,
        gt=0,
        le=1,
        description="drop of ROC-AUC below the champion's validation AUC that fires the alert",
    )
    auc_drop_clear: float = Field(
        default=0.015, ge=0, le=1, description="drop under which the quality alert may resolve"
    )
    clear_after: int = Field(
        default=2, ge=1, le=30, description="calm windows in a row before an alert resolves"
    )
    webhook_url: SecretStr | None = Field(
        default=None,
        description="Slack incoming webhook (or any receiver of its JSON); unset = alerts "
        "are logged, not sent",
    )
    webhook_retries: int = Field(default=3, ge=0, le=10, description="retries after a failure")
    webhook_timeout: float = Field(default=5.0, gt=0, le=60, description="seconds per attempt")
    prometheus_url: str = Field(
        default="http://127.0.0.1:9090", description="the Prometheus the service command asks"
    )

    @model_validator(mode="after")
    def _clear_below_fire(self) -> Settings:
        # a clear level at or above the firing level would let an alert flap every window
        if self.drift_share_clear >= self.drift_share_alert:
            raise ValueError(
                f"drift_share_clear ({self.drift_share_clear}) must be below "
                f"drift_share_alert ({self.drift_share_alert}): that gap is the hysteresis"
            )
        if self.auc_drop_clear >= self.auc_drop_alert:
            raise ValueError(
                f"auc_drop_clear ({self.auc_drop_clear}) must be below "
                f"auc_drop_alert ({self.auc_drop_alert}): that gap is the hysteresis"
            )
        return self
