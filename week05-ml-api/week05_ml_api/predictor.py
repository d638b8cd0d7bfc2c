"""The prediction core both transports share: the loaded model, its store, and the service.

* :class:`LoadedModel` — one model folder (week 3's ``model.joblib`` + ``metadata.json``), its
  version (a hash of both files), and the fast path when the pipeline allows it;
* :class:`ModelStore` — the model being served. A hot reload loads the new model *first*, then
  swaps one reference: a request reads ``store.current`` once and keeps that object, so
  requests in flight finish on the old model and none sees a half-loaded one;
* :class:`PredictionService` — validation beyond the schema (unknown categories), the cache,
  and the answers; REST (:mod:`week05_ml_api.app`) and gRPC (:mod:`week05_ml_api.grpc_service`)
  only translate to and from it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd
from sklearn.pipeline import Pipeline

from week03_ml.artifact import METADATA_FILE, MODEL_FILE, load_model
from week05_ml_api import metrics
from week05_ml_api.cache import PredictionCache, cache_key
from week05_ml_api.deploy import DeployMarker, Deployment
from week05_ml_api.exceptions import ModelNotReady, UnknownCategory
from week05_ml_api.fastpath import FastModel
from week05_ml_api.registry import is_registry_uri, load_registered
from week05_ml_api.schemas import (
    BatchItem,
    BatchPrediction,
    FlightFeatures,
    ModelInfo,
    Prediction,
    ReloadResult,
)

log = logging.getLogger(__name__)


def model_version(folder: Path) -> str:
    """12 hex digits of the SHA-256 of ``model.joblib`` and ``metadata.json``: a retrained
    model always gets a new version, the same files always the same one."""
    digest = hashlib.sha256()
    for name in (MODEL_FILE, METADATA_FILE):
        digest.update((Path(folder) / name).read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to answer: pipeline, metadata, version and (maybe) the fast path."""

    pipeline: Pipeline
    metadata: dict[str, Any]
    version: str
    fast: FastModel | None
    source: str  # what it was loaded from: a folder, or the registry URI of its version
    loaded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @classmethod
    def load(cls, source: str | Path, fast_path: bool = True) -> LoadedModel:
        """Load a week-3 model folder, or a registry URI (``models:/<name>@<alias>`` or
        ``models:/<name>/<version>``, week 6), and check it answers one example (a broken model
        fails here, at load time, not on the first request). Raises ``ValueError`` when the
        model needs a feature the request schema does not have.

        A registry model's ``version`` reads ``<name>/v<N>`` and its ``source`` is the URI of
        that version, so another worker loading ``source`` gets exactly this model."""
        if is_registry_uri(source):
            registered = load_registered(source)
            pipeline, metadata = registered.pipeline, registered.metadata
            version = f"{registered.name}/v{registered.version}"
            source = registered.uri
        else:
            pipeline, metadata = load_model(Path(source))
            version = model_version(Path(source))
        unknown = [f for f in metadata["features"] if f not in FlightFeatures.model_fields]
        if unknown:
            raise ValueError(f"the model needs feature(s) {unknown} that requests cannot carry")
        fast = None
        if fast_path:
            try:
                fast = FastModel.from_pipeline(pipeline)
            except ValueError as exc:
                log.warning("fast path off, serving through the sklearn Pipeline: %s", exc)
        model = cls(pipeline, metadata, version, fast, str(source))
        example = FlightFeatures.model_json_schema()["examples"][0]
        model.predict([example])  # warm-up and self-check
        log.info("loaded model %s from %s (fast path: %s)", model.version, source, bool(fast))
        return model

    @property
    def features(self) -> list[str]:
        return list(self.metadata["features"])

    @property
    def threshold(self) -> float:
        return float(self.metadata["threshold"])

    def frame(self, rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
        """``rows`` as the Pipeline's input DataFrame (the slow, always-correct path)."""
        frame = pd.DataFrame.from_records(list(rows), columns=self.features)
        numeric = {
            c: "float64"
            for c, t in self.metadata["dtypes"].items()
            if c in frame.columns and t != "object"
        }
        return frame.astype(numeric)

    def predict(self, rows: Sequence[Mapping[str, Any]], parallel: bool = False) -> np.ndarray:
        """Delay probabilities of ``rows`` (dicts of feature values), fast path if possible
        (``parallel``: see :meth:`FastModel.predict_matrix`)."""
        if self.fast is not None:
            return self.fast.predict(rows, parallel)
        return np.asarray(self.pipeline.predict_proba(self.frame(rows))[:, 1], dtype=np.float64)

    def predict_columns(
        self, values: Mapping[str, Sequence[Any]], size: int, parallel: bool = False
    ) -> np.ndarray:
        """Delay probabilities of a columnar batch (``values[feature]``: ``size`` values)."""
        if self.fast is not None:
            return self.fast.predict_matrix(self.fast.encode_columns(values, size), parallel)
        return self.predict(rows_of(values, size))

    def runs_parallel(self, rows: int, parallel: bool) -> bool:
        return self.fast is not None and self.fast.runs_parallel(rows, parallel)

    def unknown_in_columns(
        self, values: Mapping[str, Sequence[Any]], size: int
    ) -> list[Sequence[str]]:
        """:meth:`unknown_categories` of each row of a columnar batch."""
        unknown: list[Sequence[str]] = [()] * size  # one shared empty tuple: usually all
        if self.fast is None:
            return unknown
        for c, known in self.fast.maps.items():
            column = values[c]
            new = {v for v in set(column) if v is not None and v not in known}
            if new:  # usually none: one set per column instead of a lookup per cell
                for i, value in enumerate(column):
                    if value in new:
                        unknown[i] = (*unknown[i], c)
        return unknown

    def unknown_categories(self, row: Mapping[str, Any]) -> list[str]:
        """The categorical fields of ``row`` whose (non-missing) value training never saw."""
        if self.fast is None:
            return []
        return [
            c
            for c, known in self.fast.maps.items()
            if row.get(c) is not None and row.get(c) not in known
        ]

    def info(self) -> ModelInfo:
        return ModelInfo(
            model_version=self.version,
            model=str(self.metadata.get("model", "")),
            features=self.features,
            threshold=self.threshold,
            training_window=[str(d) for d in self.metadata.get("training_window", [])],
            metrics={k: float(v) for k, v in self.metadata.get("metrics", {}).items()},
            loaded_at=self.loaded_at,
            fast_path=self.fast is not None,
        )


def rows_of(values: Mapping[str, Sequence[Any]], size: int) -> list[dict[str, Any]]:
    """A columnar batch as row dicts, ``None`` for missing values (for the Pipeline path)."""
    columns = {
        name: column.tolist() if isinstance(column, np.ndarray) else list(column)
        for name, column in values.items()
    }
    return [
        {
            name: None if isinstance(v := column[i], float) and v != v else v
            for name, column in columns.items()
        }
        for i in range(size)
    ]


@dataclass(frozen=True)
class BatchResult:
    """A batch's answers, kept as plain lists: 1,000 pydantic objects would cost more than the
    model call. :meth:`to_json` writes the :class:`BatchPrediction` shape directly."""

    model_version: str
    threshold: float
    probabilities: list[float]
    unknown: Sequence[Sequence[str]]

    def items(self) -> list[dict[str, Any]]:
        return [
            {"probability": p, "delayed": p >= self.threshold, "unknown_categories": u}
            for p, u in zip(self.probabilities, self.unknown, strict=True)
        ]

    def to_json(self) -> bytes:
        """The JSON of :class:`BatchPrediction` (orjson, no validation: what pydantic's
        serializer writes for finite probabilities, in half the time)."""
        return orjson.dumps(
            {
                "model_version": self.model_version,
                "threshold": self.threshold,
                "count": len(self.probabilities),
                "predictions": self.items(),
            }
        )

    def to_schema(self) -> BatchPrediction:
        return BatchPrediction(
            model_version=self.model_version,
            threshold=self.threshold,
            count=len(self.probabilities),
            predictions=[BatchItem(**item) for item in self.items()],
        )


class ModelStore:
    """Holds the model being served; :meth:`load` swaps it atomically.

    With a :class:`~week05_ml_api.deploy.DeployMarker` (a server of several workers),
    :meth:`deploy` also publishes the new model and :meth:`follow` loads what another worker
    published (see :mod:`week05_ml_api.deploy`).
    """

    def __init__(self, fast_path: bool = True, marker: DeployMarker | None = None) -> None:
        self.current: LoadedModel | None = None
        self.error: str | None = None
        self.source: str | None = None
        self.fast_path = fast_path
        self.marker = marker
        self._reload_lock = threading.Lock()  # one load at a time; requests never wait on it
        self._follow_lock: asyncio.Lock | None = None  # made in the event loop that uses it
        self._wanted: Deployment | None = None  # published by another worker, not loaded yet
        #: called with the new model after each successful swap (metrics, gRPC's health)
        self.on_swap: list[Callable[[LoadedModel], None]] = []

    def load(self, source: str | Path) -> tuple[str | None, str]:
        """Load ``source`` (a folder or a registry URI) and make it current; returns
        ``(previous_version, new_version)``.

        On failure the current model (if any) keeps serving, ``error`` says why, and the
        exception propagates.
        """
        with self._reload_lock:
            previous = self.current.version if self.current else None
            try:
                model = LoadedModel.load(source, self.fast_path)
            except Exception as exc:
                self.error = f"loading {source} failed: {type(exc).__name__}: {exc}"
                log.error(self.error)
                raise
            self.current, self.source, self.error = model, model.source, None  # the swap
            for listener in self.on_swap:
                listener(model)
            return previous, model.version

    def start(self, configured: str | Path) -> None:
        """The first load: the published model if another worker deployed one, else
        ``configured``."""
        published = self.marker.read() if self.marker else None
        self.load(published.source if published else configured)

    def deploy(self, source: str | Path) -> tuple[str | None, str]:
        """:meth:`load`, then publish the model for the other workers (if any)."""
        previous, version = self.load(source)
        if self.marker is not None and self.source is not None:
            self.marker.publish(Deployment(self.source, version))
        return previous, version

    async def follow(self) -> None:
        """Before answering: load the model another worker published, if it is not this one.

        Requests that arrive while the load runs wait for it (they must not be answered by
        the model that was replaced); a failed load is not retried on every request: the old
        model keeps serving and ``error`` (``/health/ready``) says why.
        """
        if self.marker is None:
            return
        published = self.marker.changed()
        if published is not None:
            self._wanted = published
        wanted = self._wanted
        if wanted is None or (self.current is not None and self.current.version == wanted.version):
            return
        if self._follow_lock is None:
            self._follow_lock = asyncio.Lock()
        async with self._follow_lock:
            if self._wanted is not wanted:  # another request of this worker did it meanwhile
                return
            try:
                await asyncio.to_thread(self.load, wanted.source)
            except Exception:  # the old model keeps serving; error says why
                log.exception("could not load %s, published by another worker", wanted.source)
            finally:
                self._wanted = None

    def require(self) -> LoadedModel:
        """The current model, or :class:`~week05_ml_api.exceptions.ModelNotReady`."""
        model = self.current
        if model is None:
            raise ModelNotReady(self.error or "no model loaded yet")
        return model


class PredictionService:
    """Single and batch predictions on the store's current model, with the cache; counts
    what it does in :mod:`week05_ml_api.metrics`."""

    def __init__(
        self,
        cache_size: int = 10_000,
        unknown_categories: str = "missing",
        fast_path: bool = True,
        marker: DeployMarker | None = None,
    ) -> None:
        self.store = ModelStore(fast_path, marker)
        self.store.on_swap.append(self._swapped)
        self.cache = PredictionCache(cache_size)
        self.policy = unknown_categories
        self._serving: str | None = None

    def _swapped(self, model: LoadedModel) -> None:
        if self._serving != model.version:
            self.cache.clear()  # keys carry the version; clearing just frees the memory
        metrics.model_swapped(self._serving, model.version)
        self._serving = model.version

    def _check_unknown(
        self, model: LoadedModel, rows: Sequence[Mapping[str, Any]], prefix: str = ""
    ) -> list[list[str]]:
        unknown = [model.unknown_categories(row) for row in rows]
        self._reject_unknown(unknown, lambda i, c: rows[i][c], prefix)
        return unknown

    def _reject_unknown(
        self, unknown: Sequence[Sequence[str]], value: Callable[[int, str], Any], prefix: str
    ) -> None:
        """Under the ``reject`` policy, :class:`~week05_ml_api.exceptions.UnknownCategory` naming
        every cell."""
        if self.policy == "reject" and any(unknown):
            details = [
                {
                    "field": f"{prefix}[{i}].{c}" if prefix else c,
                    "rule": "unknown_category",
                    "message": f"the model never saw {c} {value(i, c)!r} in training",
                    "input": value(i, c),
                }
                for i, cols in enumerate(unknown)
                for c in cols
            ]
            raise UnknownCategory(details)

    def predict_one(self, flight: FlightFeatures) -> Prediction:
        model = self.store.require()  # read once: a reload meanwhile does not affect this call
        row = flight.__dict__  # the validated values, without model_dump's copy
        unknown = self._check_unknown(model, [row])[0]
        key = cache_key(row, model.version) if self.cache.maxsize else ""
        probability = self.cache.get(key) if key else None
        if key:
            metrics.CACHE_LOOKUPS.labels("miss" if probability is None else "hit").inc()
        if probability is None:
            probability = float(model.predict([row])[0])
            if key:
                self.cache.put(key, probability)
        metrics.PREDICTIONS.labels(model.version).inc()
        metrics.PROBABILITY_SUM.labels(model.version).inc(probability)
        return Prediction(
            model_version=model.version,
            probability=probability,
            delayed=probability >= model.threshold,
            threshold=model.threshold,
            unknown_categories=unknown,
        )

    def predict_batch(
        self, rows: Sequence[Mapping[str, Any]], parallel: bool = False
    ) -> BatchResult:
        """``rows``: validated flights as dicts (``FlightFeatures.__dict__`` or ``FlightRow``);
        ``parallel``: the server is otherwise idle, a large batch may use every core."""
        model = self.store.require()
        unknown = self._check_unknown(model, rows, prefix="flights")
        predicted = model.predict(rows, parallel)
        self._count(model, predicted, parallel)
        return BatchResult(model.version, model.threshold, predicted.tolist(), unknown)

    def predict_columns(
        self, values: Mapping[str, Sequence[Any]], size: int, parallel: bool = False
    ) -> BatchResult:
        """A validated columnar batch (:class:`week05_ml_api.columnar.Columns`' ``values``):
        the same answers as :meth:`predict_batch` on the same flights as rows."""
        model = self.store.require()
        unknown = model.unknown_in_columns(values, size)
        self._reject_unknown(unknown, lambda i, c: values[c][i], "data")
        predicted = model.predict_columns(values, size, parallel)
        self._count(model, predicted, parallel)
        return BatchResult(model.version, model.threshold, predicted.tolist(), unknown)

    def _count(self, model: LoadedModel, predicted: np.ndarray, parallel: bool) -> None:
        metrics.PREDICTIONS.labels(model.version).inc(predicted.size)
        metrics.PROBABILITY_SUM.labels(model.version).inc(float(predicted.sum()))
        if model.runs_parallel(predicted.size, parallel):
            metrics.PARALLEL_BATCHES.inc()

    def reload(self, source: str | Path) -> ReloadResult:
        """Load ``source``, swap it in and publish it to the other workers (if any)."""
        previous, version = self.store.deploy(source)
        return ReloadResult(previous_version=previous, model_version=version)
