"""Settings of the service, read once from the environment (prefix ``WEEK05_``) or a ``.env``.

>>> Settings(model_dir="artifacts/week03", admin_token="s3cret").max_batch
1000

Every value has a default that works on a laptop except the admin token: without one, the admin
(hot reload) endpoint is switched off rather than open to anyone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """``WEEK05_MODEL_DIR``, ``WEEK05_MAX_BATCH``, ``WEEK05_ADMIN_TOKEN``, ... (see fields)."""

    model_config = SettingsConfigDict(env_prefix="WEEK05_", env_file=".env", extra="ignore")

    model_dir: Path = Field(
        default=Path("artifacts/week03"),
        description="folder written by week03_ml.artifact.save_model (model + metadata); "
        "week 6's app also serves a registry URI such as models:/flight-delay@champion",
    )
    max_batch: int = Field(default=1000, ge=1, le=100_000, description="rows per batch request")
    admin_token: SecretStr | None = Field(
        default=None, description="bearer token of POST /admin/reload; unset = reload disabled"
    )
    host: str = Field(default="127.0.0.1", description="address the servers bind to")
    port: int = Field(default=8000, ge=1, le=65535, description="REST port")
    grpc_port: int = Field(default=50051, ge=1, le=65535, description="gRPC port")
    workers: int = Field(default=1, ge=1, le=64, description="REST worker processes")
    run_dir: Path | None = Field(
        default=None,
        description="the running server's shared folder (the deployment marker that keeps "
        "workers on one model; the metrics of every worker): set by `serve`, unset = one "
        "process on its own",
    )
    prediction_log: Path | None = Field(
        default=None,
        description="folder of the prediction log (one JSON line per predicted flight, what "
        "monitoring reads); unset = no log",
    )
    cache_size: int = Field(default=10_000, ge=0, description="prediction cache entries (0 = off)")
    unknown_categories: Literal["missing", "reject"] = Field(
        default="missing",
        description="a category the model never saw (a new carrier): predict it as missing "
        "(the trees' default branch) and say so in the answer, or reject it with a 422",
    )
    fast_path: bool = Field(
        default=True, description="encode requests straight to NumPy (False: the sklearn Pipeline)"
    )
    database_url: str | None = Field(
        default=None,
        description="the online feature store behind POST /predict/schedule (week04's database); "
        "unset: week04's own DATABASE_URL setting",
    )
