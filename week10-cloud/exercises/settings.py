"""Exercise 2 — settings from the environment; secrets reach boto3 and nothing else.

The :class:`~week10_cloud.settings.Settings` object is given (read it: ``WEEK10_*`` variables
plus the standard ``AWS_*`` names, secrets as ``SecretStr``). You write the two functions that
use it: the arguments of ``boto3.client("s3", ...)``, and a description that is safe to log.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from week10_cloud.settings import MASK, Settings


def s3_client_kwargs(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of ``boto3.client("s3", **kwargs)`` for ``settings``.

    * always ``region_name``;
    * ``endpoint_url`` only when one is set (moto, MinIO);
    * ``aws_access_key_id`` / ``aws_secret_access_key`` only when *both* are set, as plain
      strings (``get_secret_value()``). With neither, leave them out: boto3 then finds its own
      (an instance role, ``~/.aws``, a pod's web identity) and no secret passes through code;
    * one without the other: ``ValueError`` saying which ``is set but`` which is not (the two
      field names), never the value.
    """
    # TODO: your code here
    raise NotImplementedError("s3_client_kwargs")


def describe_settings(settings: Settings) -> dict[str, str]:
    """Every setting as a string, safe to log: ``{field name: text}`` in declaration order
    (``type(settings).model_fields``).

    A ``SecretStr`` that is set shows as :data:`MASK`; ``None`` (a secret or anything else
    unset) as ``"unset"``; any other value as ``str(value)``.
    """
    # TODO: your code here
    raise NotImplementedError("describe_settings")
