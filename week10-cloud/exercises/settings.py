"""Exercise 2 — settings from the environment; secrets reach boto3 and nothing else.

Nothing about *where* a job runs belongs in code (the twelve-factor app, factor III): the same
command talks to moto on a laptop, MinIO in a cluster or AWS S3, depending only on environment
variables. The :class:`~week10_cloud.settings.Settings` object is given (read it: ``WEEK10_*``
variables plus the standard ``AWS_*`` names, secrets as pydantic's ``SecretStr``, which prints
as ``**********``). You write the two functions that use it: the arguments of
``boto3.client("s3", ...)``, and a description of the settings that is safe to log.

Check your work with ``uv run course grade week10``; stuck? ``uv run course hint week10
s3_client_kwargs`` gives one hint step at a time. The reference solution lives in
``week10_cloud/settings.py``: look only once you are done.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from week10_cloud.settings import MASK, Settings


def s3_client_kwargs(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of ``boto3.client("s3", **kwargs)`` for ``settings``.

    A keyword that is present always wins in boto3: an ``endpoint_url`` of ``None`` or empty
    credentials would hide the ones boto3 finds on its own (an instance role, ``~/.aws``, a
    pod's web identity). So only what is really set is passed, and a secret passes through the
    code only when the environment gave one.

    Args:
        settings: the job's :class:`Settings`.

    Returns:
        A new dict with:

        - ``region_name``: always, ``settings.region``;
        - ``endpoint_url``: only when ``settings.endpoint_url`` is set (moto, MinIO);
        - ``aws_access_key_id`` and ``aws_secret_access_key``: only when *both* credentials are
          set, as the plain strings they hide (boto3 cannot use a ``SecretStr``).

        With no endpoint and no credentials set, ``region_name`` is the only key.

    Raises:
        ValueError: when one credential is set and the other is not. The message contains
            ``"<the set field> is set but <the missing field> is not"`` with the two field
            names, e.g. ``"access_key_id is set but secret_access_key is not"``; it never
            contains a secret's value.

    Invariants (checked):
        - No secret's value appears in an error message.
    """
    # TODO: your code here
    raise NotImplementedError("s3_client_kwargs")


def describe_settings(settings: Settings) -> dict[str, str]:
    """Every setting as text, safe to print or log.

    "Is the key configured?" deserves an answer without showing the key: a secret that is set
    reads as the mask, one that is not reads as ``"unset"``.

    Args:
        settings: the job's :class:`Settings`.

    Returns:
        ``{field name: text}`` with one entry per field of :class:`Settings`, in the order the
        fields are declared on the class (``bucket`` first):

        - a ``SecretStr`` that is set: :data:`MASK`;
        - ``None`` (a secret or any other optional setting left unset): ``"unset"``;
        - anything else: ``str()`` of the value (``max_attempts`` 5 reads ``"5"``, a path
          reads as ``str`` of the path).

    Invariants (checked):
        - Every value is a ``str``; no secret's value appears anywhere in the result.
        - An unset secret is ``"unset"``, never the mask, never ``"None"``.
    """
    # TODO: your code here
    raise NotImplementedError("describe_settings")
