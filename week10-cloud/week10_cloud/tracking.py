"""MLflow with its artifacts in the bucket: week 6's ``mlflow server``, one setting changed.

Week 6 runs ``mlflow server --artifacts-destination <folder>``; in the cloud the destination is
the bucket (``s3://<bucket>/mlflow``), and clients still upload *through* the server
(``mlflow-artifacts:/`` URIs), so they need no bucket credentials of their own. The server
reaches the bucket with boto3, from the environment this module hands it (endpoint, region,
credentials; :func:`server_environment`), which is why a model logged by week 6's ``log_model``
lands in the bucket and ``models:/flight-delay@champion`` loads from it:

    with mlflow_on_bucket(tmp_path, settings) as url:
        ...  # week06's tracking and registry functions, with tracking_uri=url
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from week10_cloud.settings import Settings, s3_client_kwargs

#: where, inside the bucket, the server keeps run artifacts and models
ARTIFACT_PREFIX = "mlflow"


def artifact_destination(settings: Settings) -> str:
    """``s3://<bucket>/mlflow``: the server's ``--artifacts-destination``."""
    return f"s3://{settings.bucket}/{ARTIFACT_PREFIX}"


def server_environment(settings: Settings) -> dict[str, str]:
    """What the ``mlflow server`` process needs to reach the bucket: the endpoint (MLflow reads
    ``MLFLOW_S3_ENDPOINT_URL``), the region and, when set, the credentials (for the server
    process only: they are never logged, and clients never see them)."""
    kwargs = s3_client_kwargs(settings)  # validates the credentials pair
    env = {"AWS_DEFAULT_REGION": str(kwargs["region_name"])}
    if "endpoint_url" in kwargs:
        env["MLFLOW_S3_ENDPOINT_URL"] = str(kwargs["endpoint_url"])
    if "aws_access_key_id" in kwargs:
        env["AWS_ACCESS_KEY_ID"] = str(kwargs["aws_access_key_id"])
        env["AWS_SECRET_ACCESS_KEY"] = str(kwargs["aws_secret_access_key"])
    return env


@contextmanager
def mlflow_on_bucket(root: Path, settings: Settings, timeout: float = 120.0) -> Iterator[str]:
    """Week 6's ``mlflow server`` (runs and registry in ``root``'s SQLite file) with its
    artifacts in the bucket; yields its URL and always stops it."""
    from week06_mlflow.server import mlflow_server

    with mlflow_server(
        root,
        timeout=timeout,
        artifacts=artifact_destination(settings),
        env=server_environment(settings),
    ) as url:
        yield url
