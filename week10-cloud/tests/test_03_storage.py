"""Exercise 3: publish all or nothing, download what was published, one prefix at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from week10_cloud.storage import CHECKSUM_KEY, STAGING, ChecksumError, sha256_hex

KEY = "raw/flights/date=2013-09-01/part-0.parquet"
#: The first check of a run starts moto's S3 server (~1.5 s on a quiet machine): a budget of
#: its own, generous for a busy one, instead of the grader's per-check time-out.
BUDGET = 60


class Recorder:
    """A boto3 client wrapper that records every call (name, keyword arguments)."""

    def __init__(self, client: Any, corrupt_head: bool = False) -> None:
        self.client, self.calls, self.corrupt_head = client, [], corrupt_head

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            answer = method(*args, **kwargs)
            if name == "get_paginator":
                return Recorder(answer)._with(self.calls)
            if name == "head_object" and self.corrupt_head:
                answer = {**answer, "ContentLength": answer["ContentLength"] - 1}
            return answer

        return call

    def _with(self, calls: list[Any]) -> Recorder:
        self.calls = calls  # a paginator's calls are the client's calls
        return self

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


def all_keys(s3) -> list[str]:
    answer = s3.client.list_objects_v2(Bucket=s3.name)
    return sorted(item["Key"] for item in answer.get("Contents", []))


@pytest.mark.exercise("publish")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(2)
@pytest.mark.hint(
    "the published object lacks its checksum metadata, has other bytes, or staging was left behind"
)
def test_publish_makes_the_object_with_its_checksum(storage, s3):
    digest = storage.publish(s3.client, s3.name, KEY, b"parquet bytes")
    assert digest == sha256_hex(b"parquet bytes"), "return the hex SHA-256 of the bytes"
    answer = s3.client.get_object(Bucket=s3.name, Key=KEY)
    assert answer["Body"].read() == b"parquet bytes"
    assert answer["Metadata"] == {CHECKSUM_KEY: digest}, (
        f"the object's metadata must carry {CHECKSUM_KEY!r}: the digest a reader checks"
    )
    assert all_keys(s3) == [KEY], f"nothing else may stay in the bucket, found {all_keys(s3)}"


@pytest.mark.exercise("publish")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(2)
@pytest.mark.hint(
    "the calls must be put (staging), head (staging), copy (staging -> key), delete (staging), "
    "with a staging key unique to each call: never write the real key directly"
)
def test_publish_stages_then_copies(storage, s3):
    recorder = Recorder(s3.client)
    storage.publish(recorder, s3.name, KEY, b"abc")
    assert recorder.names() == ["put_object", "head_object", "copy_object", "delete_object"], (
        f"calls were {recorder.names()}: put the staging copy, check it, copy it, delete it"
    )
    put, head, copy, delete = (kwargs for _, kwargs in recorder.calls)
    staging = put["Key"]
    assert staging.startswith(f"{STAGING}/") and staging.endswith(KEY), (
        f"stage at {STAGING}/<unique>/{KEY}, outside every zone a reader lists; got {staging!r}"
    )
    assert head["Key"] == staging and delete["Key"] == staging
    # boto3 takes a CopySource as {"Bucket": ..., "Key": ...} or as the text "bucket/key"
    assert copy["Bucket"] == s3.name and copy["Key"] == KEY, f"copy to {KEY}, got {copy}"
    assert copy["CopySource"] in ({"Bucket": s3.name, "Key": staging}, f"{s3.name}/{staging}"), (
        f"copy from the staging object {staging!r}, got CopySource={copy['CopySource']!r}"
    )
    second = Recorder(s3.client)
    storage.publish(second, s3.name, KEY, b"abc")
    assert second.calls[0][1]["Key"] != staging, "each upload needs its own staging key (uuid)"


@pytest.mark.exercise("publish")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(2)
@pytest.mark.hint(
    "a staged copy of the wrong size was published: check both the size and the checksum the "
    "server reports, and clean up staging when it fails"
)
def test_a_bad_staged_copy_is_never_published(storage, s3):
    with pytest.raises(ChecksumError, match=KEY):
        storage.publish(Recorder(s3.client, corrupt_head=True), s3.name, KEY, b"abc")
    assert all_keys(s3) == [], f"nothing may be published, nor left in staging: {all_keys(s3)}"


@pytest.mark.exercise("publish")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(1)
@pytest.mark.hint("a second publish replaces the object: readers see the old or the new bytes")
def test_publish_replaces(storage, s3):
    storage.publish(s3.client, s3.name, KEY, b"old")
    storage.publish(s3.client, s3.name, KEY, b"new")
    assert s3.client.get_object(Bucket=s3.name, Key=KEY)["Body"].read() == b"new"
    assert all_keys(s3) == [KEY]


@pytest.mark.exercise("download")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(2)
@pytest.mark.hint("download must return the object's bytes when their SHA-256 matches the metadata")
def test_download_returns_verified_bytes(storage, s3):
    data = b"x" * 1000
    s3.client.put_object(
        Bucket=s3.name, Key=KEY, Body=data, Metadata={CHECKSUM_KEY: sha256_hex(data)}
    )
    assert storage.download(s3.client, s3.name, KEY) == data


@pytest.mark.exercise("download")
@pytest.mark.budget(BUDGET)
@pytest.mark.points(2)
@pytest.mark.hint("raise ChecksumError naming the key when the digests differ or are missing")
@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param({CHECKSUM_KEY: sha256_hex(b"other")}, id="wrong-checksum"),
        pytest.param({}, id="no-checksum"),
    ],
)
def test_download_refuses_unverified_bytes(storage, s3, metadata):
    s3.client.put_object(Bucket=s3.name, Key=KEY, Body=b"tampered", Metadata=metadata)
    with pytest.raises(ChecksumError, match=KEY):
        storage.download(s3.client, s3.name, KEY)


# --- the reference's behaviour (not graded) ---------------------------------------------------


def test_listing_needs_a_prefix(s3):
    from week10_cloud.storage import list_keys

    with pytest.raises(ValueError, match="prefix"):
        list_keys(s3.client, s3.name, "")


def test_a_month_is_read_through_its_prefix_only(s3):
    """Reading two days of September lists September's prefix, never the bucket."""
    from week10_cloud.storage import land_raw, read_days

    days = [dt.date(2013, 9, 1), dt.date(2013, 9, 2)]
    land_raw(s3.client, s3.name, [*days, dt.date(2013, 10, 1)])
    recorder = Recorder(s3.client)
    frame = read_days(recorder, s3.name, "flights", days)
    assert set(frame["day"]) == {1, 2} and set(frame["month"]) == {9}
    prefixes = [kwargs.get("Prefix") for name, kwargs in recorder.calls if name == "paginate"]
    assert prefixes == ["raw/flights/date=2013-09-"], (
        f"two days of one month: one listing of that month's prefix, got {prefixes}"
    )


def test_a_missing_day_is_named(s3):
    from week10_cloud.storage import read_days

    with pytest.raises(FileNotFoundError, match="2013-09-03"):
        read_days(s3.client, s3.name, "flights", [dt.date(2013, 9, 3)])


def test_throttling_is_retried_with_backoff(s3):
    """Two injected 503 SlowDown answers, then success: botocore's standard retries absorb them."""
    from botocore.awsrequest import AWSResponse

    from week10_cloud.storage import download, make_client, publish

    client = make_client(s3.settings)
    failures = {"left": 2, "seen": 0}

    def throttle(request: Any, **_: Any) -> AWSResponse | None:
        if failures["left"] == 0:
            return None
        failures["left"] -= 1
        failures["seen"] += 1
        body = b"<Error><Code>SlowDown</Code><Message>Reduce your rate.</Message></Error>"
        return AWSResponse(request.url, 503, {}, _Raw(body))

    client.meta.events.register("before-send.s3.PutObject", throttle)
    publish(client, s3.name, KEY, b"after two throttles")
    assert failures["seen"] == 2, "the two injected failures were sent"
    assert download(client, s3.name, KEY) == b"after two throttles"


def test_retries_give_up_after_max_attempts(s3):
    from botocore.awsrequest import AWSResponse
    from botocore.exceptions import ClientError

    from week10_cloud.storage import make_client, publish

    client = make_client(s3.settings.model_copy(update={"max_attempts": 2}))
    body = b"<Error><Code>SlowDown</Code><Message>slow down</Message></Error>"
    client.meta.events.register(
        "before-send.s3.PutObject",
        lambda request, **_: AWSResponse(request.url, 503, {}, _Raw(body)),
    )
    with pytest.raises(ClientError, match="SlowDown"):
        publish(client, s3.name, KEY, b"never")


class _Raw:
    """The smallest raw HTTP body botocore reads from."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body

    def read(self, *_: Any, **__: Any) -> bytes:
        return self.body
