"""Exercise 1: where a day lives in the bucket (week09's layout, as object keys)."""

from __future__ import annotations

import datetime as dt

import pytest

DAY = dt.date(2013, 9, 1)


@pytest.mark.exercise("partition_key")
@pytest.mark.points(2)
@pytest.mark.hint(
    "the key differs from week09's layout under the zone, or holds an OS path separator: let "
    "week09 build the path and write it with '/'"
)
@pytest.mark.parametrize(
    ("table", "day", "zone", "expected"),
    [
        pytest.param("flights", DAY, "raw", "raw/flights/date=2013-09-01/part-0.parquet", id="raw"),
        pytest.param(
            "weather",
            dt.date(2013, 12, 31),
            "raw",
            "raw/weather/date=2013-12-31/part-0.parquet",
            id="weather-new-year-eve",
        ),
        pytest.param(
            "flights",
            DAY,
            "predictions",
            "predictions/flights/date=2013-09-01/part-0.parquet",
            id="predictions",
        ),
    ],
)
def test_partition_key(keys, table, day, zone, expected):
    got = keys.partition_key(table, day, zone)
    assert got == expected, (
        f"partition_key({table!r}, {day}, {zone!r}) is {got!r}, not {expected!r}"
    )
    assert not got.startswith("/") and "\\" not in got, "an object key has no leading / and no \\"


@pytest.mark.exercise("partition_key")
@pytest.mark.points(1)
@pytest.mark.hint("zone is the key's first part: 'raw' unless the caller says otherwise")
def test_partition_key_default_zone_is_raw(keys):
    assert keys.partition_key("flights", DAY) == "raw/flights/date=2013-09-01/part-0.parquet"


@pytest.mark.exercise("partition_key")
@pytest.mark.points(1)
@pytest.mark.hint("refuse a zone outside ZONES with a ValueError that names it")
def test_unknown_zone_is_refused(keys):
    with pytest.raises(ValueError, match="scratch"):
        keys.partition_key("flights", DAY, "scratch")


@pytest.mark.exercise("partition_key")
@pytest.mark.points(1)
@pytest.mark.hint(
    "a datetime is a date too (isinstance): week09's partition_path refuses it; use it"
)
def test_datetime_is_refused(keys):
    with pytest.raises(TypeError, match="date"):
        keys.partition_key("flights", dt.datetime(2013, 9, 1, 6, 0))


@pytest.mark.exercise("month_prefix")
@pytest.mark.points(2)
@pytest.mark.hint("keep the key up to and including 'date=YYYY-MM-': the '-' matters")
@pytest.mark.parametrize(
    ("month", "zone", "expected"),
    [
        pytest.param(9, "raw", "raw/flights/date=2013-09-", id="september"),
        pytest.param(1, "features", "features/flights/date=2013-01-", id="january-features"),
    ],
)
def test_month_prefix(keys, month, zone, expected):
    assert keys.month_prefix("flights", 2013, month, zone) == expected


@pytest.mark.exercise("month_prefix")
@pytest.mark.points(1)
@pytest.mark.hint("'date=2013-1' would match October to December: end the prefix with '-'")
def test_month_prefix_matches_its_days_only(keys):
    prefix = keys.month_prefix("flights", 2013, 1)
    # the keys are written out, so this check grades month_prefix alone (not your partition_key)
    assert "raw/flights/date=2013-01-31/part-0.parquet".startswith(prefix), prefix
    for other in ("2013-10-01", "2013-11-01", "2013-12-31", "2012-01-05"):
        key = f"raw/flights/date={other}/part-0.parquet"
        assert not key.startswith(prefix), f"{prefix!r} also matches {key!r}"
    assert keys.month_prefix("flights", 2013, 1) == "raw/flights/date=2013-01-", (
        "zone defaults to raw"
    )
