"""The prediction log: one JSON line per predicted flight, what monitoring reads (week 11).

Each worker appends to a file of its own, ``predictions-<pid>.jsonl`` (several processes
appending to one file could interleave their lines)::

    {"request_id": "9f1c...", "time": "2013-...Z", "route": "/predict/batch",
     "model_version": "flight-delay/v3", "probability": 0.31, "delayed": true,
     "features_hash": "5be0a3c94f1e2d77", "features": {"carrier": "B6", ...}}

Every flight of a request shares its ``request_id``. The same flight hashes the same whichever
body carried it and in every process (Python's ``hash()`` would not).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import pandas as pd

from week05_ml_api.schemas import FEATURES

#: The columns of :func:`read_log`, before the features.
COLUMNS = (
    "request_id",
    "time",
    "route",
    "model_version",
    "probability",
    "delayed",
    "features_hash",
)


def canonical(features: Mapping[str, Any]) -> dict[str, Any]:
    """Every request feature, in one form whichever body it came in: numbers as floats (a
    columnar batch holds 17.0 where a single flight holds 17), ``None`` for missing (absent,
    null or NaN)."""
    return {name: _number(features.get(name)) for name in FEATURES}


def _number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None if value != value else float(value)  # NaN is the one value unequal to itself
    return value


def features_hash(features: Mapping[str, Any]) -> str:
    """16 hex digits of the SHA-256 of the :func:`canonical` features as sorted-key JSON."""
    text = orjson.dumps(canonical(features), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(text).hexdigest()[:16]


class PredictionLog:
    """Appends this process's predictions to ``folder/predictions-<pid>.jsonl``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._file: BinaryIO | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()  # gRPC's thread pool writes from several threads

    def _open(self) -> BinaryIO:
        pid = os.getpid()  # opened in the worker, never inherited from a parent process
        if self._file is None or self._pid != pid:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._file = (self.folder / f"predictions-{pid}.jsonl").open("ab")
            self._pid = pid
        return self._file

    def write(
        self,
        request_id: str,
        route: str,
        model_version: str,
        threshold: float,
        rows: Sequence[Mapping[str, Any]],
        probabilities: Sequence[float],
    ) -> None:
        """One line per flight of ``rows`` with its probability; flushed at once, so a worker
        that dies loses nothing it answered."""
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        lines = []
        for row, probability in zip(rows, probabilities, strict=True):
            features = canonical(row)
            line = {
                "request_id": request_id,
                "time": now,
                "route": route,
                "model_version": model_version,
                "probability": probability,
                "delayed": probability >= threshold,
                "features_hash": features_hash(features),
                "features": features,
            }
            lines.append(orjson.dumps(line) + b"\n")
        with self._lock:
            log = self._open()
            log.write(b"".join(lines))
            log.flush()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def read_log(folder: Path) -> pd.DataFrame:
    """Every worker's log in ``folder`` as one table, oldest first: :data:`COLUMNS` and one
    column per feature. An empty table (those columns) when nothing was logged yet."""
    records = [
        orjson.loads(line)
        for path in sorted(Path(folder).glob("predictions-*.jsonl"))
        for line in path.read_bytes().splitlines()
        if line.strip()
    ]
    if not records:
        return pd.DataFrame(columns=list(COLUMNS))
    frame = pd.json_normalize(records, sep=".")
    frame.columns = [c.removeprefix("features.") for c in frame.columns]
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return frame.sort_values("time", kind="stable").reset_index(drop=True)
