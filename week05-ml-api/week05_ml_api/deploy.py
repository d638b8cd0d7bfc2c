"""State that every worker of a server shares: a small JSON file in the server's run folder.

The deployment marker (which model every worker serves, README "Hot reload") is one; week 13's
A/B split is another, so that a split set through one worker reaches all of them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class SharedState:
    """The JSON document ``run_dir/<name>.json``. :meth:`publish` writes a temporary file and
    renames it over the document (a rename is atomic: a reader sees the old content or the new,
    never half of one); :meth:`changed` is the per-request check, one ``stat``."""

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
