"""The GitHub workflows, checked offline against their published JSON schema (check-jsonschema's
copy of it), and the release workflow against the manifests it ships for."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
K8S = Path(__file__).resolve().parents[1] / "k8s"


def _check(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    return subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_every_workflow_follows_the_schema():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"tests.yml", "release.yml"}
    done = _check(files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_misspelt_key_is_caught(tmp_path):
    broken = tmp_path / "broken.yml"
    text = (WORKFLOWS / "release.yml").read_text().replace("runs-on:", "run-on:")
    broken.write_text(text)
    done = _check([broken])
    assert done.returncode != 0 and "run-on" in done.stdout, done.stdout


@pytest.mark.parametrize("tag", ["v*"])
def test_the_release_builds_the_image_the_manifests_deploy(tag):
    release = yaml.safe_load((WORKFLOWS / "release.yml").read_text())
    assert release[True]["push"]["tags"] == [tag], "releases are cut from version tags only"
    steps = release["jobs"]["image"]["steps"]
    meta = next(s for s in steps if s.get("id") == "meta")
    image = meta["with"]["images"].rsplit("/", 1)[1]
    deployment = yaml.safe_load((K8S / "deployment.yaml").read_text())
    deployed = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    assert deployed.rsplit("/", 1)[1].split(":")[0] == image, (deployed, image)
    assert "latest" not in meta["with"]["tags"], "version tags only, never latest"
    build = next(s for s in steps if "docker/build-push-action" in s.get("uses", ""))
    assert build["with"]["file"] == "week05-ml-api/Dockerfile"
