"""The bucket through the S3 API (boto3): publish, list one prefix, download with a checksum.

Three promises a reader of the bucket can rely on:

* **a key holds a whole, verified file or nothing** (:func:`publish`). S3 makes one PUT atomic,
  but a PUT of the wrong bytes (a truncated buffer, a bad disk) is atomic too. So the bytes go
  to a staging key first (under ``_staging/``, outside every zone a reader lists), the server's
  copy is checked (size and SHA-256), and only then copied to the real key in one server-side
  step. Replacing a partition swaps old for new; nobody ever sees a half-written day.
* **what you download is what was published** (:func:`download`): the SHA-256 travels as the
  object's metadata and is compared after every download.
* **one day costs one prefix** (:func:`list_keys`): listing reads keys under a prefix, never
  the whole bucket, which after a year of daily partitions is thousands of requests.

Throttling (``SlowDown``, HTTP 503) is retried by botocore's *standard* retry mode, with
exponential backoff and jitter, up to ``settings.max_attempts`` (:func:`make_client`); the
checks inject 503s to prove it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import uuid
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from week10_cloud.keys import month_prefix, partition_key
from week10_cloud.settings import Settings, s3_client_kwargs

log = logging.getLogger(__name__)

#: Where uploads wait for their check: outside every zone, so no reader ever lists them.
STAGING = "_staging"
#: The object metadata key (``x-amz-meta-sha256``) holding the hex SHA-256 of the bytes.
CHECKSUM_KEY = "sha256"


class ChecksumError(RuntimeError):
    """Downloaded or staged bytes differ from the checksum they were published with."""


def make_client(settings: Settings) -> Any:
    """A boto3 S3 client for ``settings``: endpoint and credentials from the settings (or
    boto3's own chain), standard retries with backoff, path-style addressing when an endpoint
    is set (moto and MinIO serve ``http://host/bucket/key``, not ``bucket.host``)."""
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"mode": "standard", "max_attempts": settings.max_attempts},
        s3={"addressing_style": "path" if settings.endpoint_url else "auto"},
        signature_version="s3v4",
    )
    return boto3.client("s3", config=config, **s3_client_kwargs(settings))


def ensure_bucket(client: Any, bucket: str) -> None:
    """Create ``bucket`` unless it exists (safe to call again)."""
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(Bucket=bucket)
        log.info("created bucket %s", bucket)


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def publish(client: Any, bucket: str, key: str, data: bytes) -> str:
    """Make ``data`` the object ``key`` of ``bucket``, all or nothing; returns its SHA-256.

    1. put the bytes at ``f"{STAGING}/{uuid}/{key}"`` with metadata ``{CHECKSUM_KEY: digest}``;
    2. ``head_object`` the staged copy: its size must be ``len(data)`` and its metadata the
       digest, else :class:`ChecksumError` naming the key (nothing is published);
    3. ``copy_object`` staging -> ``key`` (server-side; the metadata is copied with it);
    4. delete the staging object, whatever happened.
    """
    digest = sha256_hex(data)
    staging = f"{STAGING}/{uuid.uuid4().hex}/{key}"
    try:
        client.put_object(Bucket=bucket, Key=staging, Body=data, Metadata={CHECKSUM_KEY: digest})
        head = client.head_object(Bucket=bucket, Key=staging)
        # boto3 always answers with a Metadata dict (empty when the object has none)
        size, staged = head["ContentLength"], head["Metadata"].get(CHECKSUM_KEY)
        if size != len(data) or staged != digest:
            raise ChecksumError(
                f"staged copy of {key} is {size} bytes with sha256 {staged}, expected "
                f"{len(data)} bytes with {digest}: not published"
            )
        # a server-side copy keeps the metadata (MetadataDirective COPY, the default)
        client.copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": staging})
    finally:
        client.delete_object(Bucket=bucket, Key=staging)
    return digest


def download(client: Any, bucket: str, key: str) -> bytes:
    """The bytes of ``key``, checked against the SHA-256 it was published with.

    Raises :class:`ChecksumError` naming the key and both digests when they differ, and when
    the object carries no checksum at all (it was not written by :func:`publish`).
    """
    answer = client.get_object(Bucket=bucket, Key=key)
    data: bytes = answer["Body"].read()
    expected = answer["Metadata"].get(CHECKSUM_KEY)
    if expected is None:
        raise ChecksumError(f"s3://{bucket}/{key} has no {CHECKSUM_KEY} metadata: not published")
    actual = sha256_hex(data)
    if actual != expected:
        raise ChecksumError(f"s3://{bucket}/{key}: sha256 is {actual}, published as {expected}")
    return data


def list_keys(client: Any, bucket: str, prefix: str) -> list[str]:
    """Every key of ``bucket`` under ``prefix``, sorted (all pages of ``list_objects_v2``).

    An empty prefix is refused (``ValueError``): it would read the whole bucket.
    """
    if not prefix:
        raise ValueError("list_keys needs a prefix (e.g. raw/flights/date=2013-09-)")
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def frame_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as Parquet bytes (no index)."""
    sink = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(sink, index=False)
    return sink.getvalue()


def put_frame(client: Any, bucket: str, key: str, frame: pd.DataFrame) -> str:
    """Publish ``frame`` as Parquet at ``key``; returns its SHA-256."""
    data = frame_bytes(frame)
    digest = publish(client, bucket, key, data)
    log.debug("published s3://%s/%s (%d bytes, sha256 %s)", bucket, key, len(data), digest[:12])
    return digest


def read_frame(client: Any, bucket: str, key: str) -> pd.DataFrame:
    """The verified Parquet object ``key`` as a DataFrame. Missing strings come back as NaN,
    as pandas built them (Parquet returns ``None``; week03's encoders expect NaN)."""
    frame = pd.read_parquet(io.BytesIO(download(client, bucket, key)))
    for column in frame.select_dtypes("object").columns:
        frame[column] = frame[column].where(frame[column].notna(), np.nan)
    return frame


def day_keys(
    client: Any, bucket: str, table: str, days: Iterable[dt.date], zone: str = "raw"
) -> dict[dt.date, str]:
    """The keys of ``days``' partitions that exist, listing one prefix per month (never the
    bucket): ``{day: key}``, in date order."""
    wanted = sorted(set(days))
    found: dict[dt.date, str] = {}
    for year, month in sorted({(d.year, d.month) for d in wanted}):
        present = set(list_keys(client, bucket, month_prefix(table, year, month, zone)))
        for day in (d for d in wanted if (d.year, d.month) == (year, month)):
            key = partition_key(table, day, zone)
            if key in present:
                found[day] = key
    return found


def read_days(
    client: Any, bucket: str, table: str, days: Iterable[dt.date], zone: str = "raw"
) -> pd.DataFrame:
    """The rows of ``days``' partitions, concatenated in date order. ``FileNotFoundError``
    naming the missing days when a partition is absent."""
    wanted = sorted(set(days))
    keys = day_keys(client, bucket, table, wanted, zone)
    missing = [str(d) for d in wanted if d not in keys]
    if missing:
        raise FileNotFoundError(
            f"no {zone}/{table} partition for {missing[:5]}{'...' if len(missing) > 5 else ''}"
            f" in s3://{bucket}: land or write them first"
        )
    frames = [read_frame(client, bucket, keys[d]) for d in wanted]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def land_raw(client: Any, bucket: str, days: Iterable[dt.date], table: str = "flights") -> int:
    """Land the source's rows of ``table`` for ``days`` in the bucket's raw zone, one partition
    per day (week09's source and layout: the same files its Airflow pipeline lands on disk).
    Returns the number of rows landed."""
    from week09_data_pipeline.raw import source_rows

    total = 0
    for day in sorted(set(days)):
        rows = source_rows(table, day)
        put_frame(client, bucket, partition_key(table, day, "raw"), rows)
        total += len(rows)
    log.info("landed %d %s rows in s3://%s/raw/%s/", total, table, bucket, table)
    return total
