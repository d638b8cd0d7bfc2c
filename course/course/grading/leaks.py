"""Contracts, not recipes: find a stub docstring or a hint that gives away a line of the answer.

A stub says what a function promises; the hints say how to think about it, step by step; neither
may hold a line of the reference function's body. Lines are compared after normalising: Python
fragments (a whole line, or a ````code```` span) are parsed and every plain name is renamed, so
``ts.astimezone(ZoneInfo(TZ)).date()`` gives away ``logical.astimezone(ZoneInfo(TZ)).date()``.
Short fragments (``x is None``, ``len(df)``) are ideas, not answers, and are allowed.

A file exercise (a Dockerfile) has its contract in ``#`` comments: each line of its stub, comment
or not, and each hint step is compared with the reference file's lines (each physical line and
each instruction whole, comments left out), spaces, case and an exec form's quotes and brackets
aside. A line of fewer than :data:`MIN_WORDS` words (``USER app``) is an idea, not an answer; a
stub that is the reference copied is caught line by line.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import re
import textwrap
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from course.grading.hints import load_hints
from course.grading.signatures import public_definitions, stub_files
from course.grading.targets import COMMENT, exercise_files, load_module
from course.paths import module_name

#: A normalised fragment must have at least this many tokens to count as a line of code.
MIN_TOKENS = 6
#: A line of a file exercise's reference must have at least this many words to be an answer.
MIN_WORDS = 3
_EXEC_FORM = re.compile(r"[\"'\[\],\\]")
_SPANS = re.compile(r"``(.+?)``|`([^`]+)`")
_STEPS = re.compile(r"^\s*Steps\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Leak:
    where: str  # "exercises/context.py: flight_date docstring" or "hints.toml: [flight_date]"
    text: str  # the line of the stub or hint
    line: str  # the reference line it gives away

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} gives away the reference line {self.line!r}"


class _Rename(ast.NodeTransformer):
    """Plain names become ``_``; a called function keeps its name (``rollback(_, _)`` is not
    ``promote(_, _)``), and so do attributes (the API a line uses)."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        self.generic_visit(node)
        if isinstance(func, ast.Name):
            node.func = func
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.copy_location(ast.Name(id="_", ctx=node.ctx), node)

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg, node.annotation = "_", None
        return node


def _tokens(text: str) -> int:
    try:
        return sum(
            1
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type not in {tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT}
        )
    except (tokenize.TokenError, SyntaxError):
        return 0


def normalise(code: str) -> str | None:
    """``code`` parsed, every name renamed to ``_`` and printed back; None when it is not Python
    or too short to be an answer."""
    code = code.strip().rstrip(".,;:")
    for mode in ("eval", "exec"):
        try:
            tree = ast.parse(code, mode=mode)
        except SyntaxError:
            continue
        text = ast.unparse(_Rename().visit(tree))
        return text if _tokens(text) >= MIN_TOKENS else None
    return None


_BLOCKS = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.While,
    ast.With,
    ast.Try,
)
_SIMPLE = (ast.Return, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)


def _statements(tree: ast.AST) -> Iterable[ast.AST]:
    """The lines a learner would write: simple statements, and the expressions in them that
    stand alone (a returned value, an assigned value, a condition, a raised error)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not isinstance(node, _BLOCKS):
            yield node
        value = getattr(node, "value", None)
        if isinstance(node, _SIMPLE) and isinstance(value, ast.expr):
            yield value
        if isinstance(node, ast.If | ast.While | ast.IfExp | ast.Assert):
            yield node.test
        if isinstance(node, ast.Raise) and node.exc is not None:
            yield node.exc
        if isinstance(node, ast.For | ast.comprehension):
            yield node.iter


def reference_lines(obj: object) -> dict[str, str]:
    """The normalised lines of a reference function's (or class's) body -> their source."""
    try:
        source = textwrap.dedent(inspect.getsource(obj))  # type: ignore[arg-type]
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source)
    for node in ast.walk(tree):  # docstrings are the contract, not the body
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    lines: dict[str, str] = {}
    for node in _statements(tree):
        segment = ast.unparse(node)
        key = normalise(segment)
        if key is not None:
            lines.setdefault(key, segment)
    return lines


def prose_fragments(text: str) -> Iterable[str]:
    """Every line of ``text``, with its list numbering taken off, and every ``code`` span."""
    for line in text.splitlines():
        stripped = re.sub(r"^\s*(?:\d+[.)]|[-*])\s+", "", line).strip()
        if stripped:
            yield stripped
            # code after a label or between sentences: "The API: x = f(y); then ..."
            yield from (part for part in re.split(r"(?<=[:;.])\s+", stripped)[1:] if part)
        for match in _SPANS.finditer(line):
            yield match.group(1) or match.group(2)


def find_leaks_in(text: str, lines: dict[str, str], where: str) -> list[Leak]:
    leaks = []
    for fragment in prose_fragments(text):
        key = normalise(fragment)
        if key is not None and key in lines:
            leaks.append(Leak(where, fragment, lines[key]))
    return leaks


def week_leaks(week_dir: Path) -> list[str]:
    """Every stub docstring or hint step of the week that gives away a reference line, and every
    stub that still has a numbered "Steps:" recipe."""
    problems: list[str] = []
    every_line: dict[str, str] = {}
    for path in stub_files(week_dir):
        reference = importlib.import_module(f"{module_name(week_dir)}.{path.stem}")
        stub = load_module(week_dir, path.stem, "exercises", fresh=True)
        where = f"{week_dir.name}/exercises/{path.name}"
        if stub.__doc__ and _STEPS.search(stub.__doc__):
            problems.append(f"{where}: the module docstring has a Steps: list (give hints instead)")
        for name, obj in public_definitions(stub).items():
            ref_obj = getattr(reference, name, None)
            if ref_obj is None:
                continue  # the signature check reports it
            lines = reference_lines(ref_obj)
            every_line.update(lines)
            for doc_owner, doc in _docstrings(name, obj):
                if _STEPS.search(doc):
                    problems.append(f"{where}: {doc_owner} has a Steps: list (give hints instead)")
                problems += map(str, find_leaks_in(doc, lines, f"{where}: {doc_owner}"))
    file_problems, every_file_line = _file_leaks(week_dir)
    problems += file_problems
    for exercise, steps in load_hints(week_dir).items():
        for number, step in enumerate(steps, 1):
            where = f"{week_dir.name}/exercises/hints.toml: [{exercise}] step {number}"
            problems += map(str, find_leaks_in(step, every_line, where))
            problems += map(str, find_file_leaks_in(step, every_file_line, where))
    return problems


def _file_leaks(week_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The lines of the week's file stubs that give away a reference line, and every line of
    the references (for the hints)."""
    problems: list[str] = []
    every_line: dict[str, str] = {}
    for name, reference in exercise_files(week_dir).items():
        stub = week_dir / "exercises" / name
        if not reference.is_file() or not stub.is_file():
            continue  # the signature check reports it
        lines = reference_file_lines(reference.read_text(encoding="utf-8"))
        every_line.update(lines)
        where = f"{week_dir.name}/exercises/{name}"
        problems += map(str, find_file_leaks_in(stub.read_text(encoding="utf-8"), lines, where))
    return problems, every_line


def file_key(text: str) -> str | None:
    """A line of a file exercise as compared: quotes, brackets, commas and backslashes dropped,
    spaces collapsed, lower case; None when it has fewer than :data:`MIN_WORDS` words."""
    words = _EXEC_FORM.sub(" ", text).lower().split()
    return " ".join(words) if len(words) >= MIN_WORDS else None


def reference_file_lines(text: str) -> dict[str, str]:
    """The compared form of a file exercise's reference lines -> the line: every physical line
    that is not a comment, and every instruction continued over several lines, whole."""
    lines: dict[str, str] = {}
    parts: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(COMMENT):
            continue  # a comment inside a continued instruction does not end it either
        part = line.removesuffix("\\").strip()
        parts.append(part)
        candidates = [part] if line.endswith("\\") else [part, " ".join(parts)]
        for candidate in candidates:
            key = file_key(candidate)
            if key is not None:
                lines.setdefault(key, candidate)
        if not line.endswith("\\"):
            parts = []
    return lines


def find_file_leaks_in(text: str, lines: dict[str, str], where: str) -> list[Leak]:
    """Every line of ``text`` (a comment's text without its ``#``), or fragment of a line, that
    is a line of the reference file."""
    leaks = []
    for raw in text.splitlines():
        line = raw.strip().removeprefix(COMMENT).strip()
        for fragment in dict.fromkeys([line, *prose_fragments(line)]):
            key = file_key(fragment)
            if key is not None and key in lines:
                leaks.append(Leak(where, fragment, lines[key]))
                break  # one leak per line is enough to say
    return leaks


def _docstrings(name: str, obj: object) -> Iterable[tuple[str, str]]:
    if obj.__doc__:
        yield name, inspect.cleandoc(obj.__doc__)
    if inspect.isclass(obj):
        for attr, member in vars(obj).items():
            if inspect.isfunction(member) and member.__doc__:
                yield f"{name}.{attr}", inspect.cleandoc(member.__doc__)
