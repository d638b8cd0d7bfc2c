"""Which model every worker serves: one small file, the deployment marker.

A server with several worker processes holds several copies of the model. ``POST
/admin/reload`` reaches one worker; that worker loads the new model, swaps it in, and then
*publishes* it here: ``{"source": ..., "version": ...}`` written to a temporary file and
renamed over the marker (a rename is atomic, so a reader sees the old marker or the new one,
never half of one). Every worker checks the marker's ``stat`` before it answers a prediction
(about a microsecond); when it changed, the worker loads that source first. So once the reload
call has returned, no worker answers with the old model any more, and no request is lost: a
request that arrives while its worker loads waits for the load, then is answered.

A worker that starts later (the server restarted it after a crash) loads the marker's model,
not the configured one. The marker lives in the server's run folder
(``WEEK05_RUN_DIR``, set by ``python -m week05_ml_api serve``), which each start empties.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER_FILE = "deployed.json"


class SharedState:
    """A small JSON document that every worker of a server reads: ``run_dir/<name>.json``.

    :meth:`publish` writes it atomically (temporary file, then rename); :meth:`changed` is the
    per-request check (one ``stat``), returning the new content only when the file changed
    since this process last read it. The deployment marker is one; week 13's A/B split is
    another, so that a split set through one worker reaches all of them.
    """

    def __init__(self, run_dir: Path, name: str) -> None:
        self.path = Path(run_dir) / f"{name}.json"
        self._seen: tuple[int, int] | None = None  # (inode, mtime_ns) of the last read

    def publish(self, content: Mapping[str, Any]) -> None:
        """Write ``content`` atomically, replacing the previous one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(dict(content)), encoding="utf-8")
        os.replace(temporary, self.path)

    def read(self) -> dict[str, Any] | None:
        """The published content, or ``None`` when nothing was published yet."""
        try:
            stat = self.path.stat()
            content = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        self._seen = (stat.st_ino, stat.st_mtime_ns)
        return dict(content)

    def changed(self) -> dict[str, Any] | None:
        """The content, if the file changed since this process last read it; else ``None``."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        if (stat.st_ino, stat.st_mtime_ns) == self._seen:
            return None
        return self.read()


@dataclass(frozen=True)
class Deployment:
    """The model to serve: where it loads from, and the version that load gave."""

    source: str
    version: str


class DeployMarker:
    """The deployment marker in ``run_dir`` (a :class:`SharedState` named ``deployed``)."""

    def __init__(self, run_dir: Path) -> None:
        self.state = SharedState(run_dir, MARKER_FILE.removesuffix(".json"))
        self.path = self.state.path

    def publish(self, deployment: Deployment) -> None:
        """Write ``deployment`` atomically, replacing the previous one."""
        self.state.publish(deployment.__dict__)

    def read(self) -> Deployment | None:
        """The published deployment, or ``None`` when nothing was published yet."""
        return _deployment(self.state.read())

    def changed(self) -> Deployment | None:
        """The deployment, if the marker changed since this process last read it; else None."""
        return _deployment(self.state.changed())


def _deployment(content: Mapping[str, Any] | None) -> Deployment | None:
    return None if content is None else Deployment(str(content["source"]), str(content["version"]))
