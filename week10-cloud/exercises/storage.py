"""Exercise 3 — publish all or nothing; download what was published.

S3 makes one PUT atomic, but a PUT of the wrong bytes is atomic too. So: stage, check, then
publish with one server-side copy; and check the checksum again on every download. The client
is a boto3 S3 client (``week10_cloud.storage.make_client``); the checks run against moto's
real S3 server.
"""

from __future__ import annotations

import uuid
from typing import Any

from week10_cloud.storage import CHECKSUM_KEY, STAGING, ChecksumError, sha256_hex


def publish(client: Any, bucket: str, key: str, data: bytes) -> str:
    """Make ``data`` the object ``key`` of ``bucket``, all or nothing; return its SHA-256.

    1. ``put_object`` the bytes at ``f"{STAGING}/{uuid.uuid4().hex}/{key}"`` with
       ``Metadata={CHECKSUM_KEY: digest}`` (``digest = sha256_hex(data)``);
    2. ``head_object`` the staged copy: its ``ContentLength`` must be ``len(data)`` and its
       ``Metadata[CHECKSUM_KEY]`` the digest, else raise :class:`ChecksumError` naming ``key``;
    3. ``copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": staging})``
       (a server-side copy; the metadata goes with it);
    4. ``delete_object`` the staging key whatever happened (``try`` / ``finally``).

    Never ``put_object`` the real key directly: a reader would see unchecked bytes.
    """
    # TODO: your code here
    raise NotImplementedError("publish")


def download(client: Any, bucket: str, key: str) -> bytes:
    """The bytes of ``key``, checked against the SHA-256 it was published with.

    ``get_object``; read ``answer["Body"]``; compare ``sha256_hex`` of the bytes with
    ``answer["Metadata"][CHECKSUM_KEY]``. Raise :class:`ChecksumError` naming the key when
    they differ, and when the metadata has no checksum at all.
    """
    # TODO: your code here
    raise NotImplementedError("download")
