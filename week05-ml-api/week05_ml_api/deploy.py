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
from dataclasses import dataclass
from pathlib import Path

MARKER_FILE = "deployed.json"


@dataclass(frozen=True)
class Deployment:
    """The model to serve: where it loads from, and the version that load gave."""

    source: str
    version: str


class DeployMarker:
    """The marker file in ``run_dir``; remembers which state of it this process has seen."""

    def __init__(self, run_dir: Path) -> None:
        self.path = Path(run_dir) / MARKER_FILE
        self._seen: tuple[int, int] | None = None  # (inode, mtime_ns) of the last read

    def publish(self, deployment: Deployment) -> None:
        """Write ``deployment`` atomically, replacing the previous one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(deployment.__dict__), encoding="utf-8")
        os.replace(temporary, self.path)

    def read(self) -> Deployment | None:
        """The published deployment, or ``None`` when nothing was published yet."""
        try:
            stat = self.path.stat()
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        self._seen = (stat.st_ino, stat.st_mtime_ns)
        return Deployment(str(data["source"]), str(data["version"]))

    def changed(self) -> Deployment | None:
        """The deployment, if the marker changed since this process last read it; else None."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        if (stat.st_ino, stat.st_mtime_ns) == self._seen:
            return None
        return self.read()
