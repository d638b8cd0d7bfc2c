"""Root conftest: load the course's grading plugin (markers ``points``/``hint``/``exercise`` and
the ``solution`` fixture) for every week's checks."""

from __future__ import annotations

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
