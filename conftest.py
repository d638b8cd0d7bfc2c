"""Root conftest: load the course's grading plugin (markers ``points``/``hint``/``exercise`` and
the ``solution`` fixture) for every week's checks."""

from __future__ import annotations

from collections import Counter

import pytest

from course.paths import module_name, week_dirs

# pytester: the course tooling tests run the grading plugin in-process with it
pytest_plugins = ["course.grading.plugin", "pytester"]


def pytest_configure(config: pytest.Config) -> None:
    # nbval measures coverage inside each notebook's kernel with the sources given to --cov.
    # A bare --cov (sources from [tool.coverage.run]) reaches nbval as [True], which makes the
    # kernel's coverage start fail and the notebook time out: name the course's packages instead.
    if getattr(config.option, "cov_source", None) == [True]:
        config.option.cov_source = ["course", *(module_name(p) for p in week_dirs())]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # One line per reason instead of one per skipped test: without PostgreSQL, 35 checks skip
    # for the same reason, and that reason already says how to run them.
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = Counter(_skip_reason(report) for report in skipped)
    if reasons:
        terminalreporter.section("skipped checks, by reason", sep="-")
        for reason, count in reasons.most_common():
            terminalreporter.write_line(f"{count:4d} skipped: {reason}")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)
