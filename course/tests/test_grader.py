"""The grader survives learners' code: TODO vs FAIL, exceptions, hangs, floods, crashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.grading import compare_stubs, grade_week
from course.grading.report import GradeReport


def _by_name(report: GradeReport) -> dict[str, object]:
    return {c.name: c for c in report.checks}


def test_fresh_stubs_are_todo_and_score_zero(fake_week: Path) -> None:
    report = grade_week(fake_week)
    assert report.error is None
    assert [c.status for c in report.checks] == ["todo", "todo", "todo"]
    assert (report.earned, report.possible) == (0, 6)
    assert [e.status for e in report.exercises()] == ["TODO", "TODO"]
    assert "test_not_graded" not in _by_name(report), "ungraded tests are not part of the score"


def test_reference_scores_full_points(fake_week: Path) -> None:
    report = grade_week(fake_week, target="reference")
    assert report.error is None
    assert (report.earned, report.possible) == (6, 6)
    assert report.percent == 100.0


def test_reference_copied_into_the_stubs_scores_full_points(
    reference_source, fake_week, stub_writer
) -> None:
    stub_writer(reference_source)
    assert grade_week(fake_week).earned == 6


def test_wrong_answer_is_fail_with_the_checks_message(
    reference_source, fake_week, stub_writer
) -> None:
    stub_writer(reference_source.replace("return a + b", "return a - b"))
    report = grade_week(fake_week)
    add = report.exercises()[0]
    assert add.status == "FAIL" and add.earned == 0
    problem = add.first_problem
    assert problem is not None and problem.message.startswith("2 + 3 should be 5")
    assert problem.hint == "use the + operator"
    assert report.exercises()[1].status == "PASS", "double is untouched by add's mistake"


def test_partial_credit_is_per_check(reference_source, fake_week, stub_writer) -> None:
    stub_writer(reference_source.replace("return a + b", "return abs(a) + abs(b)"))
    add = grade_week(fake_week).exercises()[0]
    assert (add.earned, add.possible, add.status) == (2, 3, "FAIL")


def test_exception_is_fail_naming_type_and_line(reference_source, fake_week, stub_writer) -> None:
    stub_writer(reference_source.replace("return a + b", "return a / 0"))
    check = _by_name(grade_week(fake_week))["test_add"]
    assert check.status == "fail"
    assert "ZeroDivisionError" in check.message and "arith.py, line" in check.message


def test_endless_loop_is_cut_by_the_timeout(reference_source, fake_week, stub_writer) -> None:
    stub_writer(reference_source.replace("return a + b", "while True:\n        pass"))
    report = grade_week(fake_week, timeout=2)
    checks = _by_name(report)
    assert report.error is None, "a hang must not stop grading"
    assert checks["test_add"].status == "fail"
    assert "took longer than 2 s" in checks["test_add"].message
    assert checks["test_double"].status == "pass", "the checks after the hang still run"


def test_ten_megabytes_of_output_is_fail(reference_source, fake_week, stub_writer) -> None:
    stub_writer(
        reference_source.replace("return a + b", "print('x' * 10_000_000)\n    return a + b")
    )
    check = _by_name(grade_week(fake_week))["test_add"]
    assert check.status == "fail"
    assert "printed 10.0 MB" in check.message


def test_crash_keeps_earlier_results_and_names_the_culprit(
    reference_source, fake_week, stub_writer
) -> None:
    stub_writer(
        reference_source.replace("return [2 * v for v in values]", "import os\n    os._exit(3)")
    )
    report = grade_week(fake_week)
    checks = _by_name(report)
    assert checks["test_add"].status == "pass", "results before the crash are kept"
    assert checks["test_double"].status == "fail"
    assert "died" in checks["test_double"].message


def test_a_check_that_kills_the_process_costs_that_check_only(
    reference_source, fake_week, stub_writer
) -> None:
    # a check in the middle of the file ends the test process: the grader launches pytest again
    # for the checks not graded yet, so everything after it is still graded
    stub_writer(reference_source)
    checks_file = fake_week / "tests" / "test_arith.py"
    checks_file.write_text(
        checks_file.read_text().replace(
            '@pytest.mark.exercise("add")\n@pytest.mark.points(1)',
            '@pytest.mark.exercise("add")\n@pytest.mark.points(1)\n'
            "def test_crash(arith):\n    import os\n\n    os._exit(3)\n\n\n"
            '@pytest.mark.exercise("add")\n@pytest.mark.points(1)',
        )
    )
    report = grade_week(fake_week)
    checks = _by_name(report)
    assert report.error is None, report.error
    assert [c.name for c in report.checks] == [
        "test_add",
        "test_crash",
        "test_add_negative",
        "test_double",
    ]
    assert checks["test_crash"].status == "fail"
    assert "died" in checks["test_crash"].message
    for name in ("test_add", "test_add_negative", "test_double"):
        assert checks[name].status == "pass", f"{name}: {checks[name].message}"
    assert report.earned == report.possible - 1


def test_the_whole_message_reaches_the_learner(reference_source, fake_week, stub_writer) -> None:
    # numpy's assertions put the check's own words on the third line; the table must show them
    stub_writer(reference_source.replace("return a + b", "return a + b + 0.5"))
    checks_file = fake_week / "tests" / "test_arith.py"
    checks_file.write_text(
        checks_file.read_text()
        .replace(
            'assert arith.add(2, 3) == 5, "2 + 3 should be 5"',
            "import numpy as np\n\n    np.testing.assert_allclose(\n"
            '        arith.add(2, 3), 5, err_msg="2 + 3 is 5: did you add something extra?"\n    )',
        )
        .replace(
            'assert arith.add(-2, -3) == -5, "-2 + -3 should be -5"',
            'got = arith.add(-2, -3)\n    assert got == -5, f"-2 + -3 should be -5,\\ngot {got}"',
        )
    )
    checks = _by_name(grade_week(fake_week))
    assert "did you add something extra?" in checks["test_add"].message
    message = checks["test_add_negative"].message
    assert message == "-2 + -3 should be -5,\ngot -4.5", message


def test_a_message_about_a_timeout_is_not_a_time_out(
    reference_source, fake_week, stub_writer
) -> None:
    stub_writer(reference_source)
    checks_file = fake_week / "tests" / "test_arith.py"
    checks_file.write_text(
        checks_file.read_text().replace(
            'assert arith.add(2, 3) == 5, "2 + 3 should be 5"',
            'pytest.fail("Timeout: the retry loop gave up too early")',
        )
    )
    check = _by_name(grade_week(fake_week))["test_add"]
    assert check.status == "fail"
    assert check.message.startswith("Failed: Timeout: the retry loop"), check.message


def test_syntax_error_fails_each_check_and_grading_finishes(fake_week, stub_writer) -> None:
    stub_writer("def add(a, b:\n    return a + b\n")
    report = grade_week(fake_week)
    assert report.error is None
    assert {c.status for c in report.checks} == {"fail"}
    assert "SyntaxError" in report.checks[0].message


def test_sys_exit_in_a_stub_is_fail(reference_source, fake_week, stub_writer) -> None:
    stub_writer(reference_source.replace("return a + b", "raise SystemExit(1)"))
    assert _by_name(grade_week(fake_week))["test_add"].status == "fail"


@pytest.mark.slow
def test_total_timeout_stops_grading_and_says_so(reference_source, fake_week, stub_writer) -> None:
    stub_writer(reference_source.replace("return a + b", "import time\n    time.sleep(600)"))
    # the grading process starts in well under a second (no plugin is autoloaded): 8 s leaves
    # it time to start and reach the sleeping check even on a busy machine
    report = grade_week(fake_week, timeout=600, total_timeout=8)
    assert report.error == "grading stopped after 8 s"
    assert "while this check ran" in _by_name(report)["test_add"].message
    assert _by_name(report)["test_double"].message.startswith("not run")


def test_broken_check_file_is_a_grading_error(fake_week: Path) -> None:
    (fake_week / "tests" / "test_arith.py").write_text("import nowhere_to_be_found\n")
    report = grade_week(fake_week)
    assert report.error is not None and "exited with code" in report.error


def test_week_without_tests_is_a_grading_error(tmp_path: Path) -> None:
    assert "no tests/ folder" in (grade_week(tmp_path).error or "")


def test_json_results_round_trip(
    reference_source, fake_week: Path, stub_writer, tmp_path: Path
) -> None:
    stub_writer(reference_source.replace("return a + b", "return 0"))
    report = grade_week(fake_week)
    path = tmp_path / "out" / "grades.json"
    report.write_json(path)
    data = json.loads(path.read_text())
    assert data["version"] == 3 and data["status"] == "fail"
    assert (data["points"], data["max_points"]) == (3, 6)
    first = data["tests"][0]
    assert {"name", "status", "message", "hint", "points", "max_points", "exercise"} <= set(first)
    again = GradeReport.from_json(data)
    assert [c.status for c in again.checks] == [c.status for c in report.checks]
    assert again.earned == report.earned


def test_markdown_and_table_show_every_exercise(fake_week: Path) -> None:
    report = grade_week(fake_week)
    md = report.markdown()
    assert "| add | 0/3 | TODO |" in md and "| double | 0/3 | TODO |" in md
    assert report.table().row_count == 3  # two exercises and the total


def test_signature_drift_is_reported(fake_week: Path, stub_writer) -> None:
    assert compare_stubs(fake_week) == []
    stub_writer("def add(a: int, b: int, c: int = 0) -> int:\n    raise NotImplementedError\n")
    problems = compare_stubs(fake_week)
    assert len(problems) == 1 and "add(a: int, b: int, c: int = 0)" in problems[0]


def test_stub_function_missing_from_the_reference_is_reported(fake_week, stub_writer) -> None:
    stub_writer("def subtract(a: int, b: int) -> int:\n    raise NotImplementedError\n")
    assert "does not exist in the reference" in compare_stubs(fake_week)[0]


def test_stub_module_without_reference_module_is_reported(fake_week: Path) -> None:
    (fake_week / "exercises" / "extra.py").write_text("def f() -> None:\n    pass\n")
    assert any("no module week99_fake.extra" in p for p in compare_stubs(fake_week))


@pytest.mark.parametrize("points", [0, -1, "2"])
def test_points_must_be_a_positive_int(fake_week: Path, points: object) -> None:
    checks = fake_week / "tests" / "test_arith.py"
    checks.write_text(checks.read_text().replace("points(2)", f"points({points!r})"))
    report = grade_week(fake_week)
    assert report.error is not None and "points must be a positive int" in report.error


def test_table_keeps_square_brackets_of_parametrised_ids(fake_week: Path) -> None:
    from rich.console import Console

    checks = fake_week / "tests" / "test_arith.py"
    checks.write_text(
        checks.read_text().replace(
            "def test_double(arith):\n"
            '    assert arith.double([1, 2]) == [2, 4], "[1, 2] doubled is [2, 4]"',
            '@pytest.mark.parametrize("n", [pytest.param(1, id="one")])\n'
            'def test_double(arith, n):\n    assert arith.double([n]) == [2 * n], "[n] doubled"',
        )
    )
    report = grade_week(fake_week)
    console = Console(record=True, width=200)
    report.print(console, verbose=True)
    text = console.export_text()
    assert "double (one)" in text, "the case id is part of the check's name"


def test_every_problem_is_listed_below_the_table_first_whole(
    reference_source, fake_week: Path, stub_writer
) -> None:
    from rich.console import Console

    # both checks of add fail; the first is shown whole with its hint, the second in one line
    stub_writer(reference_source.replace("return a + b", "return 0"))
    checks = fake_week / "tests" / "test_arith.py"
    checks.write_text(
        checks.read_text()
        .replace(
            "def test_add(arith):\n",
            'def test_add(arith):\n    """Small numbers add up."""\n',
        )
        .replace('"2 + 3 should be 5"', '"2 + 3 should be 5\\nsecond line of the message"')
    )
    report = grade_week(fake_week)
    console = Console(record=True, width=80)
    report.print(console)
    text = console.export_text()
    assert "add — 2 failing" in text
    assert "1. Small numbers add up" in text, "a check is named by its docstring"
    assert "second line of the message" in text, "the first problem is shown whole"
    assert "hint: use the + operator" in text
    assert "2. add negative" in text, "the second problem is listed too"
    assert "hint: negative numbers add too" not in text, "only the first problem's hint by default"
    assert "tests/" not in text, "no test paths that invite a learner into the checks"


def test_exercises_not_started_point_to_the_hints(fake_week: Path) -> None:
    from rich.console import Console

    console = Console(record=True, width=80)
    grade_week(fake_week).print(console)
    text = console.export_text()
    assert "not started: add, double" in text and "course hint week99 EXERCISE" in text
