"""The course's own tooling: flights data access (:mod:`course.data`), paths, the syllabus and
the grader (:mod:`course.grading`, ``uv run course grade weekNN``)."""

from course.grading.targets import load_solution

__all__ = ["load_solution"]
