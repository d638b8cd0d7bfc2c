"""Reference checks of the command line: an expected error is one line naming its fix (exit code
2, no traceback), and the warehouse's password never reaches the output."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.testing import expected_error


@pytest.mark.budget(120)
@pytest.mark.parametrize(
    ("args", "cause"),
    [
        pytest.param(["status"], "no warehouse at", id="nothing-loaded"),
        pytest.param(
            ["run", "--from", "2012-12-31", "--to", "2013-01-02"],
            "start must be between 2013-01-01 and 2013-12-31, got 2012-12-31",
            id="date-outside-2013",
        ),
        pytest.param(
            ["run", "--from", "2013-9-1", "--to", "2013-09-07"],
            "--from must be a date YYYY-MM-DD",
            id="not-a-date",
        ),
    ],
)
def test_an_expected_error_is_one_line(
    request: pytest.FixtureRequest, tmp_path: Path, args: list[str], cause: str
) -> None:
    from week09_data_pipeline.__main__ import app

    # one case in a process of its own (python -m, where run_cli prints the line), the
    # others in-process: the same CourseError, without a Python start-up each
    shell = request.node.callspec.id == "nothing-loaded"
    env = {
        "WEEK09_DATA_DIR": str(tmp_path / "data"),
        "WEEK09_DATABASE_URL": f"sqlite:///{tmp_path / 'none' / 'warehouse.db'}",
    }
    line = expected_error(
        "week09_data_pipeline", args, cwd=tmp_path, env=env, app=None if shell else app
    )
    assert cause in line and "fix: python -m week09_data_pipeline run" in line, line
    assert not (tmp_path / "none").exists(), "an expected error must not create the warehouse"


def test_status_hides_the_warehouse_password(monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlalchemy as sa
    from rich.console import Console
    from typer.testing import CliRunner

    import week04_sql.db
    import week09_data_pipeline.__main__ as cli
    import week09_data_pipeline.pipeline as pipeline

    url = "postgresql+psycopg://learner:s3cret-pw@warehouse.example:5432/flights"
    monkeypatch.setenv("WEEK09_DATABASE_URL", url)
    # no server at warehouse.example: an engine that answers, and a snapshot of one table
    monkeypatch.setattr(week04_sql.db, "make_engine", lambda _url: sa.create_engine("sqlite://"))
    monkeypatch.setattr(pipeline, "snapshot", lambda _settings: {"flights": (929, "ab" * 32)})
    monkeypatch.setattr(cli, "console", Console(width=200))
    result = CliRunner().invoke(cli.app, ["status"])
    assert result.exit_code == 0, result.output
    assert "s3cret-pw" not in result.output, f"the password was printed:\n{result.output}"
    assert "learner:***@warehouse.example:5432/flights" in result.output, result.output
    assert "929" in result.output
