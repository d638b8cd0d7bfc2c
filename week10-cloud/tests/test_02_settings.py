"""Exercise 2: settings from the environment; secrets reach boto3 and nothing else."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from pydantic import SecretStr

from week10_cloud.settings import MASK, Settings

WEEK = Path(__file__).resolve().parents[1]
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.mark.exercise("s3_client_kwargs")
@pytest.mark.points(1)
@pytest.mark.hint("only region_name when nothing else is set: boto3 then finds its own credentials")
def test_defaults_leave_credentials_to_boto3(settings_module, monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    kwargs = settings_module.s3_client_kwargs(make(region="eu-west-1"))
    assert kwargs == {"region_name": "eu-west-1"}, (
        f"with no endpoint and no keys, pass only the region (got {kwargs}): an endpoint_url=None "
        "or empty credentials would shadow the instance role"
    )


@pytest.mark.exercise("s3_client_kwargs")
@pytest.mark.points(2)
@pytest.mark.hint(
    "boto3 got a SecretStr (or its mask) instead of the plain key, or the endpoint was dropped"
)
def test_endpoint_and_credentials_are_passed_as_plain_strings(settings_module):
    settings = make(
        endpoint_url="http://127.0.0.1:9000", access_key_id="AKIA1", secret_access_key=SECRET
    )
    kwargs = settings_module.s3_client_kwargs(settings)
    assert kwargs == {
        "region_name": "us-east-1",
        "endpoint_url": "http://127.0.0.1:9000",
        "aws_access_key_id": "AKIA1",
        "aws_secret_access_key": SECRET,
    }, f"got {kwargs}"


@pytest.mark.exercise("s3_client_kwargs")
@pytest.mark.points(1)
@pytest.mark.hint(
    "half a credential must be a ValueError saying '<set field> is set but <missing field> is "
    "not', with the field names and never the value"
)
@pytest.mark.parametrize(
    ("values", "named"),
    [
        pytest.param({"access_key_id": "AKIA1"}, "secret_access_key", id="key-only"),
        pytest.param({"secret_access_key": SECRET}, "access_key_id", id="secret-only"),
    ],
)
def test_half_a_credential_is_an_error(settings_module, values, named):
    with pytest.raises(ValueError, match=named) as error:
        settings_module.s3_client_kwargs(make(**values))
    assert SECRET not in str(error.value), "the message must never hold the secret"
    other = ({"access_key_id", "secret_access_key"} - {named}).pop()
    assert f"{other} is set but {named} is not" in str(error.value), (
        f"say which one is set and which one is missing: {error.value}"
    )


@pytest.mark.exercise("describe_settings")
@pytest.mark.points(2)
@pytest.mark.hint(
    "a secret that is set must read as MASK, every value as a str, one entry per field in the "
    "class's declaration order"
)
def test_describe_masks_secrets(settings_module):
    settings = make(access_key_id="AKIA1", secret_access_key=SECRET, bucket="my-bucket")
    described = settings_module.describe_settings(settings)
    assert list(described) == list(Settings.model_fields), "one entry per field, in order"
    assert described["secret_access_key"] == MASK and described["access_key_id"] == MASK
    assert SECRET not in repr(described), "the secret must not appear anywhere"
    assert described["bucket"] == "my-bucket" and described["max_attempts"] == "5"
    assert all(isinstance(v, str) for v in described.values()), "every value is a string"


@pytest.mark.exercise("describe_settings")
@pytest.mark.points(1)
@pytest.mark.hint("an unset optional setting reads 'unset', not 'None' or the mask")
def test_describe_says_unset(settings_module):
    described = settings_module.describe_settings(make())
    assert described["endpoint_url"] == "unset"
    assert described["secret_access_key"] == "unset", "an unset secret is 'unset', not the mask"
    assert described["data_dir"] == str(Path("artifacts/week10"))


# --- the reference's behaviour (not graded) ---------------------------------------------------


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEEK10_BUCKET", "from-env")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://minio:9000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.bucket == "from-env"
    assert settings.endpoint_url == "http://minio:9000", "AWS_ENDPOINT_URL is the standard name"
    assert isinstance(settings.secret_access_key, SecretStr)
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())


def test_bad_bucket_name_is_refused():
    with pytest.raises(ValueError, match="bucket"):
        make(bucket="My_Bucket")


def test_env_example_lists_every_setting():
    text = (WEEK / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", text, flags=re.MULTILINE))
    for field in Settings.model_fields:
        accepted = {f"WEEK10_{field.upper()}"} | {
            a
            for a in getattr(Settings.model_fields[field].validation_alias, "choices", [])
            if isinstance(a, str)
        }
        assert named & accepted, f".env.example does not mention {field} ({sorted(accepted)})"


def test_no_credentials_in_code():
    """An AWS key id (AKIA...) or a secret assigned in code is a leak waiting for a push."""
    pattern = re.compile(r"AKIA[0-9A-Z]{16}|aws_secret_access_key\s*=\s*['\"][^'\"]+['\"]", re.I)
    files = [*WEEK.glob("week10_cloud/*.py"), *WEEK.glob("k8s/*.yaml"), WEEK / ".env.example"]
    leaks = [f"{p.name}: {m.group(0)}" for p in files for m in pattern.finditer(p.read_text())]
    assert not leaks, f"credentials in code: {leaks}"


def test_a_run_never_logs_the_secret(s3, caplog):
    """Land a day with a secret set and every logger at DEBUG: the secret appears nowhere."""
    import datetime as dt

    from week10_cloud.settings import describe_settings
    from week10_cloud.storage import land_raw, make_client

    settings = s3.settings.model_copy(update={"secret_access_key": SecretStr(SECRET)})
    with caplog.at_level(logging.DEBUG):
        logging.getLogger(__name__).info("settings: %s", describe_settings(settings))
        logging.getLogger(__name__).info("settings object: %s", settings)
        land_raw(make_client(settings), s3.name, [dt.date(2013, 9, 1)])
    assert caplog.records, "the run logged nothing: the check would prove nothing"
    leaked = [r.getMessage()[:80] for r in caplog.records if SECRET in r.getMessage()]
    assert not leaked, f"the secret is in the logs: {leaked}"
