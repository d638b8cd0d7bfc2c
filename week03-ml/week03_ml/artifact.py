"""The saved model: what week 5 serves and week 6 logs.

A model folder holds two files::

    model.joblib    the fitted scikit-learn Pipeline (joblib); input: a DataFrame with the
                    columns listed in metadata["features"], output: predict_proba(X)[:, 1]
    metadata.json   how to use it and where it came from (see build_metadata)

``metadata.json`` keys: ``format_version``, ``model`` (name), ``target``, ``features``
(ordered list), ``dtypes`` (column -> pandas dtype), ``threshold`` (chosen on validation),
``metrics`` (test window), ``metrics_by_month``, ``training_window`` / ``validation_window`` /
``test_window`` (first and last flight date), ``params`` (hyper-parameters), ``versions``
(python and libraries) and ``created_at`` (UTC, ISO 8601).
"""

from __future__ import annotations

import json
import logging
import platform
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import joblib
from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
#: Libraries whose versions must match when the model is loaded elsewhere.
LIBRARIES = ("scikit-learn", "xgboost", "pandas", "numpy", "joblib")
#: The distributions a library may be installed as: on Linux the course installs XGBoost's
#: CPU-only build, ``xgboost-cpu`` (the same ``import xgboost``, without 470 MB of CUDA).
DISTRIBUTIONS = {"xgboost": ("xgboost", "xgboost-cpu")}
#: Keys every metadata file has.
REQUIRED_KEYS = (
    "format_version",
    "model",
    "target",
    "features",
    "dtypes",
    "threshold",
    "metrics",
    "training_window",
)


def installed_distribution(library: str) -> tuple[str, str] | None:
    """Which distribution provides ``library`` here and its version (``("xgboost-cpu",
    "3.2.0")``), or None when none is installed."""
    for distribution in DISTRIBUTIONS.get(library, (library,)):
        try:
            return distribution, importlib_metadata.version(distribution)
        except importlib_metadata.PackageNotFoundError:
            continue
    return None


def pinned_requirement(library: str) -> str:
    """A pip requirement for the installed ``library``: ``"xgboost-cpu==3.2.0"`` (the bare name
    when it is not installed)."""
    found = installed_distribution(library)
    return f"{found[0]}=={found[1]}" if found else library


def library_versions() -> dict[str, str]:
    """``{"python": "3.11.9", "scikit-learn": "1.6.1", ...}`` for the libraries the model needs."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        found = installed_distribution(name)
        versions[name] = found[1] if found else "not installed"
    return versions


def build_metadata(
    *,
    model: str,
    target: str,
    features: list[str],
    dtypes: dict[str, str],
    threshold: float,
    metrics: dict[str, float],
    training_window: tuple[str, str],
    **extra: Any,
) -> dict[str, Any]:
    """The metadata dictionary (JSON-ready) with versions and a creation time added."""
    return {
        "format_version": FORMAT_VERSION,
        "model": model,
        "target": target,
        "features": list(features),
        "dtypes": dict(dtypes),
        "threshold": float(threshold),
        "metrics": {k: float(v) for k, v in metrics.items()},
        "training_window": list(training_window),
        **extra,
        "versions": library_versions(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def save_model(pipeline: Pipeline, metadata: dict[str, Any], folder: Path) -> Path:
    """Write ``model.joblib`` and ``metadata.json`` into ``folder`` (created if needed).

    Raises ``ValueError`` naming the missing keys when ``metadata`` lacks a required one.
    Returns the folder.
    """
    missing = [k for k in REQUIRED_KEYS if k not in metadata]
    if missing:
        raise ValueError(f"metadata is missing {missing}: build it with build_metadata")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, folder / MODEL_FILE)
    text = json.dumps(metadata, indent=2, sort_keys=False, default=str)
    (folder / METADATA_FILE).write_text(text + "\n", encoding="utf-8")
    log.info("saved %s model to %s", metadata["model"], folder)
    return folder


def load_model(folder: Path) -> tuple[Pipeline, dict[str, Any]]:
    """``(pipeline, metadata)`` from a folder written by :func:`save_model`.

    Raises ``FileNotFoundError`` naming the missing file, and ``ValueError`` when the folder's
    format version is not this code's. Logs a warning when a library version differs.
    """
    folder = Path(folder)
    for name in (MODEL_FILE, METADATA_FILE):
        if not (folder / name).exists():
            raise FileNotFoundError(
                f"{folder / name} not found: train a model first (python -m week03_ml train)"
            )
    metadata = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    if metadata.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"model format_version must be {FORMAT_VERSION}, got {metadata.get('format_version')!r}"
        )
    now = library_versions()
    for lib, version in metadata.get("versions", {}).items():
        if lib in now and now[lib] != version:
            log.warning("%s was %s when the model was saved, is %s now", lib, version, now[lib])
    pipeline = joblib.load(folder / MODEL_FILE)
    return pipeline, metadata
