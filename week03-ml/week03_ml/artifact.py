"""The saved model, and the one model type every later week uses.

A model folder holds two files::

    model.skops     the fitted scikit-learn Pipeline in skops format: loading it builds only
                    the classes it is allowed to (scikit-learn's, NumPy's, and the ones in
                    TRUSTED_MODULES), never runs arbitrary code as a pickle can
    metadata.json   how to use it and where it came from (see build_metadata)

:class:`Model` is a loaded model: its pipeline, metadata and version, and
:meth:`Model.predict_proba` on a frame. Week 5 serves it, week 6's registry loads the same type
(:func:`week06_mlflow.registry.load_registered`), weeks 9-13 score with it.

``metadata.json`` keys: ``format_version``, ``model`` (name), ``target``, ``features``
(ordered list), ``dtypes`` (column -> pandas dtype), ``threshold`` (chosen on validation),
``metrics`` (test window), ``metrics_by_month``, ``training_window`` / ``validation_window`` /
``test_window`` (first and last flight date), ``params`` (hyper-parameters), ``versions``
(python and libraries) and ``created_at`` (UTC, ISO 8601).
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

#: 2: the pipeline in skops format (1 was a joblib pickle)
FORMAT_VERSION = 2
MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
#: Libraries whose versions must match when the model is loaded elsewhere.
LIBRARIES = ("scikit-learn", "xgboost", "pandas", "numpy", "skops")
#: What a skops file may build besides the types skops trusts itself (scikit-learn's
#: estimators, NumPy's arrays): the pipelines' own pieces (week 3's LeakageGuard, XGBoost's
#: classifier and booster) and NumPy's dtype objects (the logistic regression's encoder keeps
#: one as its output type).
TRUSTED_MODULES = ("week03_ml.", "xgboost.", "numpy.dtype")
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


def _outside_trusted(types: list[str]) -> list[str]:
    return [name for name in types if not name.startswith(TRUSTED_MODULES)]


def trusted_types(pipeline: Pipeline) -> list[str]:
    """The classes of ``pipeline`` that skops does not trust by default and we do (those of
    :data:`TRUSTED_MODULES`). Raises ``ValueError`` naming any other, so a surprise class is
    never trusted blindly."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(data=sio.dumps(pipeline))
    unknown = _outside_trusted(untrusted)
    if unknown:
        raise ValueError(
            f"pipeline holds classes outside {TRUSTED_MODULES}: {unknown}; "
            "review them before adding them to TRUSTED_MODULES"
        )
    return list(untrusted)


def load_pipeline(path: Path) -> Pipeline:
    """The pipeline in the skops file ``path``, built from trusted classes only: a file that
    asks for any other class is refused (``ValueError`` naming it), nothing of it runs."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    unknown = _outside_trusted(untrusted)
    if unknown:
        raise ValueError(f"{path} asks for classes outside {TRUSTED_MODULES}: {unknown}")
    pipeline = sio.load(path, trusted=untrusted)
    if not isinstance(pipeline, Pipeline):
        raise ValueError(f"{path} holds a {type(pipeline).__name__}, not a scikit-learn Pipeline")
    return pipeline


@dataclass(frozen=True)
class Model:
    """A trained delay model, loaded: the pipeline, its metadata (see :func:`build_metadata`)
    and the version that answers and logs name it by."""

    pipeline: Pipeline
    metadata: Mapping[str, Any]
    version: str

    @property
    def features(self) -> list[str]:
        """The columns the pipeline reads, in its order."""
        return list(self.metadata["features"])

    @property
    def threshold(self) -> float:
        """The probability from which a flight is called delayed (chosen on validation)."""
        return float(self.metadata["threshold"])

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """The delay probability of each row of ``frame`` (float64, in row order). Only the
        model's features are read, so extra columns are fine; a missing one is a ``KeyError``
        naming it."""
        missing = [c for c in self.features if c not in frame.columns]
        if missing:
            raise KeyError(f"the frame lacks the model's feature(s) {missing}")
        proba = self.pipeline.predict_proba(frame[self.features])[:, 1]
        return np.asarray(proba, dtype=np.float64)

    @classmethod
    def load(cls, folder: Path) -> Model:
        """The model in a folder written by :func:`save_model`; its version is
        :func:`folder_version`."""
        pipeline, metadata = load_model(folder)
        return cls(pipeline, metadata, folder_version(folder))


def save_model(pipeline: Pipeline, metadata: dict[str, Any], folder: Path) -> Path:
    """Write ``model.skops`` and ``metadata.json`` into ``folder`` (created if needed).

    Raises ``ValueError`` naming the missing keys when ``metadata`` lacks a required one, or
    the classes when the pipeline holds one outside :data:`TRUSTED_MODULES`. Returns the folder.
    """
    import skops.io as sio

    missing = [k for k in REQUIRED_KEYS if k not in metadata]
    if missing:
        raise ValueError(f"metadata is missing {missing}: build it with build_metadata")
    trusted_types(pipeline)  # refuses a class no loader would trust, before writing anything
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sio.dump(pipeline, folder / MODEL_FILE)
    text = json.dumps(metadata, indent=2, sort_keys=False, default=str)
    (folder / METADATA_FILE).write_text(text + "\n", encoding="utf-8")
    log.info("saved %s model to %s", metadata["model"], folder)
    return folder


def folder_version(folder: Path) -> str:
    """12 hex digits of a SHA-256 of what the folder's model is: its metadata (less the time it
    was saved) and the arrays and booster bytes stored in its skops file. A model trained on
    other data or with other settings gets a new version; the same model saved twice, a second
    apart or a year, gets the same one (a skops file's member names and object ids are random,
    so its raw bytes differ from one save to the next: they are not hashed)."""
    folder = Path(folder)
    metadata = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    metadata.pop("created_at", None)  # when it was saved is not what it is
    digest = hashlib.sha256(json.dumps(metadata, sort_keys=True).encode())
    with zipfile.ZipFile(folder / MODEL_FILE) as stored:
        members = [stored.read(name) for name in stored.namelist() if name != "schema.json"]
    for content in sorted(hashlib.sha256(member).digest() for member in members):
        digest.update(content)
    return digest.hexdigest()[:12]


def load_model(folder: Path) -> tuple[Pipeline, dict[str, Any]]:
    """``(pipeline, metadata)`` from a folder written by :func:`save_model` (most callers want
    :meth:`Model.load`, which adds the version).

    Raises ``FileNotFoundError`` naming the missing file, and ``ValueError`` when the folder's
    format version is not this code's (a folder of an older course version: train again) or
    its file asks for an untrusted class. Logs a warning when a library version differs.
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
            f"model format_version must be {FORMAT_VERSION}, got "
            f"{metadata.get('format_version')!r}: train it again (python -m week03_ml train)"
        )
    now = library_versions()
    for lib, version in metadata.get("versions", {}).items():
        if lib in now and now[lib] != version:
            log.warning("%s was %s when the model was saved, is %s now", lib, version, now[lib])
    return load_pipeline(folder / MODEL_FILE), metadata
