"""Root conftest: load the course's grading plugin (markers ``points``/``hint``/``exercise`` and
the ``solution`` fixture) for every week's checks."""

pytest_plugins = ["course.grading.plugin"]
