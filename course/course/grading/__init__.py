"""The grader: a pytest plugin (points, hints, exercises, the ``solution`` fixture), a runner
that grades a week in a separate process, and the reports it prints and writes."""

from course.grading.report import CheckResult, ExerciseScore, GradeReport
from course.grading.runner import grade_week
from course.grading.signatures import compare_stubs
from course.grading.targets import load_solution

__all__ = [
    "CheckResult",
    "ExerciseScore",
    "GradeReport",
    "compare_stubs",
    "grade_week",
    "load_solution",
]
