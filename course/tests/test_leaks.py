"""The contracts-not-recipes check catches a stub or a hint that gives away a reference line."""

from __future__ import annotations

from pathlib import Path

from course.grading.leaks import normalise, week_leaks

REFERENCE = '''
def total(prices: list[float], rate: float) -> float:
    """The total with tax."""
    taxed = [price * (1 + rate) for price in prices]
    return round(sum(taxed), 2)
'''


def _stub(doc: str) -> str:
    signature = "def total(prices: list[float], rate: float) -> float:"
    return f'{signature}\n    """{doc}"""\n    raise NotImplementedError("total")\n'


def _week(fake_week: Path, doc: str, hint: str = "The idea: add the tax, then round.") -> Path:
    (fake_week / "week99_fake" / "shop.py").write_text(REFERENCE, encoding="utf-8")
    (fake_week / "exercises" / "shop.py").write_text(_stub(doc), encoding="utf-8")
    (fake_week / "exercises" / "arith.py").unlink()
    (fake_week / "exercises" / "hints.toml").write_text(
        f'[total]\nsteps = ["{hint}", "The approach: one price at a time."]\n', encoding="utf-8"
    )
    return fake_week


def test_a_contract_passes(fake_week: Path) -> None:
    doc = "The total of ``prices`` with ``rate`` of tax, rounded to cents."
    assert week_leaks(_week(fake_week, doc)) == []


def test_a_line_of_the_body_in_the_docstring_is_caught_even_renamed(fake_week: Path) -> None:
    doc = "Steps (in words):\n\n    1. ``return round(sum(with_tax), 2)``"
    problems = week_leaks(_week(fake_week, doc))
    assert len(problems) == 1 and "round(sum(taxed), 2)" in problems[0], problems


def test_a_steps_list_is_caught(fake_week: Path) -> None:
    problems = week_leaks(_week(fake_week, "The total.\n\n    Steps:\n      1. add the tax"))
    assert any("Steps: list" in p for p in problems), problems


def test_a_hint_that_gives_the_line_is_caught(fake_week: Path) -> None:
    hint = "The API: taxed = [p * (1 + r) for p in prices]"
    problems = week_leaks(_week(fake_week, "The total with tax.", hint=hint))
    assert len(problems) == 1 and "[total] step 1" in problems[0], problems


def test_short_fragments_are_ideas_not_answers() -> None:
    assert normalise("1 + rate") is None, "too short to be an answer"
    assert normalise("sum(taxed)") is None
    assert normalise("not python at all, just words") is None
    assert normalise("round(sum(x), 2)") == normalise("round(sum(taxed), 2)")
    assert normalise("ceil(sum(x), 2)") != normalise("round(sum(taxed), 2)"), "calls keep names"
