"""``course grade``, ``course progress``, ``course check-stubs`` as a learner runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from course.cli import app
from course.syllabus import SYLLABUS

runner = CliRunner()


@pytest.fixture(autouse=True)
def _grades_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_GRADES_DIR", str(tmp_path / "grades"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_progress_lists_every_week_of_the_syllabus() -> None:
    result = runner.invoke(app, ["progress"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for module in SYLLABUS:
        assert module.folder in result.output


def test_grade_unknown_week_exits_2_and_lists_weeks() -> None:
    result = runner.invoke(app, ["grade", "week42"])
    assert result.exit_code == 2
    assert "weeks available: week01" in result.output


def test_grade_fake_week_writes_json_summary_and_notice(
    fake_week: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setattr("course.cli.find_week", lambda name: fake_week)
    out = tmp_path / "grades.json"
    result = runner.invoke(app, ["grade", "week99", "--json", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Total" in result.output and "0/6" in result.output
    assert "::notice title=Score::Score 0/6" in result.output
    assert json.loads(out.read_text())["max_points"] == 6
    assert "| add | 0/3 | TODO |" in summary.read_text()
    saved = tmp_path / "grades" / "week99-fake.json"
    assert saved.exists(), "course progress reads the last grade from here"


def test_grade_error_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "week98-empty"
    empty.mkdir()
    monkeypatch.setattr("course.cli.find_week", lambda name: empty)
    result = runner.invoke(app, ["grade", "week98"])
    assert result.exit_code == 1
    assert "could not run" in result.output


def test_progress_shows_saved_score(tmp_path: Path) -> None:
    saved = tmp_path / "grades" / "week01-data.json"
    saved.parent.mkdir(parents=True)
    saved.write_text(
        json.dumps(
            {
                "version": 3,
                "status": "fail",
                "message": None,
                "week": "week01-data",
                "target": "exercises",
                "points": 2,
                "max_points": 4,
                "tests": [
                    {
                        "nodeid": "t::a",
                        "exercise": "a",
                        "status": "pass",
                        "message": "",
                        "hint": "",
                        "duration": 0.1,
                        "name": "a",
                        "points": 2,
                        "max_points": 2,
                    },
                    {
                        "nodeid": "t::b",
                        "exercise": "b",
                        "status": "todo",
                        "message": "",
                        "hint": "",
                        "duration": 0.1,
                        "name": "b",
                        "points": 0,
                        "max_points": 2,
                    },
                ],
            }
        )
    )
    result = runner.invoke(app, ["progress"], env={"COLUMNS": "200"})
    assert "2/4 (50 %)" in result.output


def test_check_stubs_reports_week01_clean() -> None:
    result = runner.invoke(app, ["check-stubs", "week01"])
    assert result.exit_code == 0, result.output
    assert "stubs match" in result.output


def test_check_stubs_fails_on_drift(fake_week: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (fake_week / "exercises" / "arith.py").write_text("def add(a, b, c):\n    pass\n")
    monkeypatch.setattr("course.cli.find_week", lambda name: fake_week)
    result = runner.invoke(app, ["check-stubs", "week99"])
    assert result.exit_code == 1
    assert "differs from the reference" in result.output


def test_data_command_lists_cache_paths() -> None:
    result = runner.invoke(app, ["data"])
    assert result.exit_code == 0
    assert "flights" in result.output and ".parquet" in result.output


def test_hint_comes_in_steps_then_says_no_more(fake_week: Path) -> None:
    (fake_week / "exercises" / "hints.toml").write_text(
        '[add]\nsteps = ["The idea: one.", "The approach: two."]\n', encoding="utf-8"
    )
    week = str(fake_week)
    first = runner.invoke(app, ["hint", week, "add"])
    assert first.exit_code == 0, first.output
    assert "hint 1 of 2" in first.output and "The idea: one." in first.output
    second = runner.invoke(app, ["hint", week, "add"])
    assert "hint 2 of 2" in second.output and "The approach: two." in second.output
    third = runner.invoke(app, ["hint", week, "add"])
    assert "no more hints" in third.output and third.exit_code == 0
    again = runner.invoke(app, ["hint", week, "add", "--again"])
    assert "The approach: two." in again.output
    listing = runner.invoke(app, ["hint", week], env={"COLUMNS": "120"})
    assert "2/2" in listing.output and "0/0" in listing.output  # add taken, double has none
    unknown = runner.invoke(app, ["hint", week, "subtract"])
    assert unknown.exit_code == 2 and "exercises: add" in unknown.output
    runner.invoke(app, ["hint", week, "add", "--reset"])
    assert "hint 1 of 2" in runner.invoke(app, ["hint", week, "add"]).output


def test_watch_regrades_on_save_and_stops_on_ctrl_c(
    fake_week: Path, reference_source: str, stub_writer, tmp_path: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import threading
    import time

    env = {**os.environ, "COURSE_GRADES_DIR": str(tmp_path / "grades"), "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "course.cli", "watch", str(fake_week)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")))
    reader.start()

    def wait_for(text: str, seconds: float) -> float:
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            if text in "".join(lines):
                return time.monotonic() - start
            time.sleep(0.1)
        proc.kill()
        raise AssertionError(f"no {text!r} after {seconds} s; output:\n{''.join(lines)}")

    try:
        wait_for("watching", 120)
        assert "0/6" in "".join(lines), "the first grade shows the untouched stubs"
        time.sleep(2)  # the watcher starts just after its first table
        stub_writer(reference_source)
        took = wait_for("6/6", 120)
        assert "grading add, double" in "".join(lines), "the saved file's exercises go first"
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    finally:
        proc.kill()
        reader.join(timeout=5)
    assert proc.returncode == 0, "".join(lines)
    assert "stopped watching" in "".join(lines)
    print(f"re-graded {took:.1f} s after the save")
