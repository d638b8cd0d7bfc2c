"""Exercise 3 — publish all or nothing; download what was published.

S3 makes one PUT atomic, but a PUT of the wrong bytes (a truncated buffer, a bad disk) is
atomic too, and a reader would trust it. So a publication goes through a staging key outside
every zone a reader lists, is checked on the server, and only then becomes the real key in one
server-side copy; every download checks the bytes again against the checksum that travels with
the object as its metadata. The client is a boto3 S3 client
(``week10_cloud.storage.make_client``); the checks run against moto's real S3 server on
127.0.0.1 and record every call your function makes on the client.

Check your work with ``uv run course grade week10``; stuck? ``uv run course hint week10
publish`` gives one hint step at a time. The reference solution lives in
``week10_cloud/storage.py``: look only once you are done.
"""

from __future__ import annotations

import uuid
from typing import Any

from week10_cloud.storage import CHECKSUM_KEY, STAGING, ChecksumError, sha256_hex


def publish(client: Any, bucket: str, key: str, data: bytes) -> str:
    """Make ``data`` the object ``key`` of ``bucket``, all or nothing.

    Args:
        client: a boto3 S3 client.
        bucket: the bucket's name (it exists).
        key: the object key to publish, e.g. ``"raw/flights/date=2013-09-01/part-0.parquet"``.
        data: the bytes.

    Returns:
        The hex SHA-256 of ``data`` (what :func:`sha256_hex` gives).

    Raises:
        ChecksumError: when the staged copy the server reports differs from what was sent, in
            size (``ContentLength``) or in checksum metadata; the message contains ``key``.
            Nothing is published then, and the staging object is gone too.
        Any error of the client itself (e.g. botocore's ``ClientError``) goes through unchanged.

    Invariants (checked):
        - The client calls are exactly, in this order: ``put_object`` of the bytes to a
          staging key, ``head_object`` of that staging key, ``copy_object`` from the staging
          key to ``key`` in the same bucket (a server-side copy), ``delete_object`` of the
          staging key. No other call; ``key`` itself is never written with ``put_object``.
        - The staging key is ``<STAGING>/<an id unique to this call>/<key>`` (e.g.
          ``_staging/3f2a.../raw/flights/...``): two publications never share one.
        - The staging object is uploaded with the metadata ``{CHECKSUM_KEY: <hex digest>}``;
          the published object therefore carries exactly that metadata.
        - The staging object is deleted whatever happens, so after a success the bucket holds
          ``key`` only, and after a failure nothing at all.
        - Publishing the same key again replaces it: a reader gets the new bytes.
    """
    # TODO: your code here
    raise NotImplementedError("publish")


def download(client: Any, bucket: str, key: str) -> bytes:
    """The bytes of ``key``, checked against the SHA-256 it was published with.

    Args:
        client: a boto3 S3 client.
        bucket: the bucket's name.
        key: the object key.

    Returns:
        The object's bytes, when their SHA-256 equals the hex digest in the object's metadata
        under :data:`CHECKSUM_KEY`.

    Raises:
        ChecksumError: the message contains ``key``, when the bytes' SHA-256 differs from the
            metadata's, and when the object has no :data:`CHECKSUM_KEY` metadata at all (it was
            not written by :func:`publish`).
        Any error of the client (e.g. a missing key) goes through unchanged.
    """
    # TODO: your code here
    raise NotImplementedError("download")
