"""Settings of the service, read once from the environment (prefix ``WEEK05_``) or a ``.env``.

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
        description="week 3's model folder; week 6's app also serves models:/<name>@<alias>",
    )
    model_root: Path | None = Field(
        default=None,
        description="the folder a reload may load model folders from (default: the folder that "
        "holds model_dir); a path outside it is refused without a look at the disk",
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
        description="the workers' shared folder (deployment marker, metrics), set by `serve`",
    )
    prediction_log: Path | None = Field(
        default=None, description="folder of the prediction log; unset = no log"
    )
    cache_size: int = Field(default=10_000, ge=0, description="prediction cache entries (0 = off)")
    unknown_categories: Literal["missing", "reject"] = Field(
        default="missing",
        description="a category the model never saw: scored as missing, or refused with a 422",
    )
    fast_path: bool = Field(
        default=True, description="encode requests straight to NumPy (False: the sklearn Pipeline)"
    )
    database_url: str | None = Field(
        default=None,
        description="the online store of POST /predict/schedule; unset: week 4's DATABASE_URL",
    )
