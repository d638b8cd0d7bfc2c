"""One ``Settings`` for the week's jobs, read from the environment (12-factor, factor III).

Nothing about *where* the job runs is written in code: the same command talks to moto on a
laptop, to MinIO in a cluster or to AWS S3, depending only on variables::

    WEEK10_BUCKET=flight-delay                   # the bucket of the raw zone and the predictions
    AWS_ENDPOINT_URL=http://127.0.0.1:9000       # MinIO / moto; unset = AWS itself
    AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=...   # unset = boto3's own chain (IAM role...)
    AWS_DEFAULT_REGION=eu-west-1
    WEEK10_MODEL_URI=models:/flight-delay@champion   # or a week-3 model folder
    WEEK10_SPARK_MASTER=local[2]                 # or spark://host:7077, k8s://...

The AWS variables keep the names every AWS tool reads, so one shell serves boto3, the AWS CLI
and MLflow's artifact client alike. Secrets are :class:`~pydantic.SecretStr`: printing the
settings, logging them or an exception message shows ``**********``, never the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: What :func:`describe_settings` shows instead of a secret that is set.
MASK = "**********"


def _env(name: str, *aliases: str) -> AliasChoices:
    # the field name itself stays accepted, so Settings(bucket=...) works in tests and notebooks
    return AliasChoices(f"WEEK10_{name.upper()}", *aliases, name)


class Settings(BaseSettings):
    """The week's settings: ``WEEK10_*`` variables, plus the standard ``AWS_*`` names."""

    model_config = SettingsConfigDict(
        env_prefix="WEEK10_", env_file=".env", extra="ignore", populate_by_name=True
    )

    bucket: str = Field(
        default="flight-delay",
        min_length=3,
        max_length=63,
        pattern=r"^[a-z0-9][a-z0-9.-]+[a-z0-9]$",
        description="the S3 bucket (S3's naming rules: lower case, digits, dots, hyphens)",
    )
    endpoint_url: str | None = Field(
        default=None,
        validation_alias=_env("endpoint_url", "AWS_ENDPOINT_URL"),
        description="an S3-compatible endpoint (moto, MinIO); unset = AWS S3",
    )
    region: str = Field(
        default="us-east-1",
        validation_alias=_env("region", "AWS_DEFAULT_REGION", "AWS_REGION"),
    )
    access_key_id: SecretStr | None = Field(
        default=None,
        validation_alias=_env("access_key_id", "AWS_ACCESS_KEY_ID"),
        description="unset = boto3's credential chain (instance role, ~/.aws, web identity)",
    )
    secret_access_key: SecretStr | None = Field(
        default=None, validation_alias=_env("secret_access_key", "AWS_SECRET_ACCESS_KEY")
    )
    max_attempts: int = Field(
        default=5, ge=1, le=20, description="attempts per S3 call (botocore's standard retries)"
    )
    model_uri: str = Field(
        default="demo",
        description="a week-3 model folder, a registry URI (models:/flight-delay@champion) or "
        "demo (week05's small model, trained in seconds: works from a fresh clone)",
    )
    spark_master: str = Field(default="local[2]", description="local[N], spark://..., k8s://...")
    data_dir: Path = Field(
        default=Path("artifacts/week10"), description="local scratch space (benchmark data)"
    )


def s3_client_kwargs(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of ``boto3.client("s3", **kwargs)`` for ``settings``.

    Always ``region_name``. ``endpoint_url`` only when one is set: passing ``None`` is fine for
    boto3, but an empty key is clearer about "AWS itself". The two credentials only when *both*
    are set, as plain strings (``get_secret_value()``); with neither, boto3 finds its own (an
    instance role, ``~/.aws``, the pod's web identity) and no secret ever passes through the
    code. One without the other is a configuration mistake: ``ValueError`` naming the one set
    and the one missing (never the value).
    """
    kwargs: dict[str, Any] = {"region_name": settings.region}
    if settings.endpoint_url:
        kwargs["endpoint_url"] = settings.endpoint_url
    key, secret = settings.access_key_id, settings.secret_access_key
    if key is None and secret is None:
        return kwargs
    if key is None or secret is None:
        have, lack = (
            ("access_key_id", "secret_access_key")
            if key is not None
            else ("secret_access_key", "access_key_id")
        )
        raise ValueError(
            f"{have} is set but {lack} is not: set both (AWS_ACCESS_KEY_ID and "
            f"AWS_SECRET_ACCESS_KEY) or neither (boto3's own credential chain)"
        )
    kwargs["aws_access_key_id"] = key.get_secret_value()
    kwargs["aws_secret_access_key"] = secret.get_secret_value()
    return kwargs


def describe_settings(settings: Settings) -> dict[str, str]:
    """Every setting as a string, safe to log: a secret that is set shows as :data:`MASK`, one
    that is not as ``"unset"`` (so "is the key there?" has an answer without the key), ``None``
    as ``"unset"`` too. Keys are the field names, in declaration order."""
    described: dict[str, str] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if value is None:
            described[name] = "unset"
        elif isinstance(value, SecretStr):
            described[name] = MASK
        else:
            described[name] = str(value)
    return described


def get_settings(**overrides: object) -> Settings:
    """The settings from the environment / ``.env``, with ``overrides`` (``None`` ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
