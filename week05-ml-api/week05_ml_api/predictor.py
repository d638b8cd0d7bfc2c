"""The prediction core both transports share: the loaded model, its store, and the service.

REST and gRPC only translate to and from :class:`PredictionService`. A hot reload loads the new
model *first*, then swaps one reference (:class:`ModelStore`): a request reads
``store.current`` once and keeps that object, so requests in flight finish on the old model.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd

from week03_ml.artifact import Model
from week05_ml_api import metrics
from week05_ml_api.cache import PredictionCache, cache_key
from week05_ml_api.deploy import SharedState
from week05_ml_api.exceptions import ModelNotReady, UnknownCategory
from week05_ml_api.fastpath import FastModel
from week05_ml_api.schemas import EXAMPLE, FlightFeatures, ModelInfo, Prediction, ReloadResult

log = logging.getLogger(__name__)

Columns = Mapping[str, Sequence[Any]]  # feature -> its values, one per flight
#: A failed load is tried again after this many seconds, then twice as long each time, at most
#: RETRY_LONGEST: a worker heals by itself once its model can be read again.
RETRY_FIRST, RETRY_LONGEST = 1.0, 60.0

#: How a model source becomes a model: ``load(source) -> (model, version, pinned)``, where
#: ``version`` is what the answers name and ``pinned`` loads exactly this model again (a worker
#: following a deployment must not load a newer model that a moved alias now names).
Loader = Callable[[str], tuple[Model, str, str]]


def load_folder(source: str) -> tuple[Model, str, str]:
    """The default :data:`Loader`: a week-3 model folder, its content hash as the version.
    ``ValueError`` for a URI (``models:/...``): the registry is week 6's loader."""
    if ":/" in source:
        raise ValueError(
            f"{source} is not a model folder: serve a registry model with week 6's app "
            "(python -m week05_ml_api serve --app week06_mlflow.serving:create_app)"
        )
    model = Model.load(Path(source))
    return model, model.version, source


@dataclass(frozen=True)
class LoadedModel(Model):
    """Week 3's model (pipeline, metadata, version) ready to answer: with the fast path when
    the pipeline allows it, and the ``source`` that loads exactly this model again."""

    fast: FastModel | None
    source: str
    loaded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @classmethod
    def load(
        cls, source: str | Path, fast_path: bool = True, load: Loader = load_folder
    ) -> LoadedModel:
        """Load ``source`` with ``load`` and check that the model answers one example, so that a
        broken model fails here. ``ValueError`` when it needs a feature requests cannot carry."""
        model, version, pinned = load(str(source))
        unknown = [f for f in model.metadata["features"] if f not in FlightFeatures.model_fields]
        if unknown:
            raise ValueError(f"the model needs feature(s) {unknown} that requests cannot carry")
        fast = None
        if fast_path:
            try:
                fast = FastModel.from_pipeline(model.pipeline)
            except ValueError as exc:
                log.warning("fast path off, serving through the sklearn Pipeline: %s", exc)
        loaded = cls(model.pipeline, dict(model.metadata), version, fast, pinned)
        loaded.predict([EXAMPLE])  # warm-up and self-check
        log.info("loaded model %s from %s (fast path: %s)", version, pinned, bool(fast))
        return loaded

    @property
    def maps(self) -> dict[str, dict[str, float]]:
        """The categories training saw, by column (none known without the fast path)."""
        return self.fast.maps if self.fast else {}

    def predict(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Delay probabilities of ``rows`` (dicts of feature values)."""
        if self.fast is not None:
            return self.fast.predict(rows)
        frame = pd.DataFrame.from_records(list(rows), columns=self.features)
        numeric = {c: "float64" for c, t in self.metadata["dtypes"].items() if t != "object"}
        return self.predict_proba(frame.astype(numeric))

    def predict_columns(self, values: Columns, size: int) -> np.ndarray:
        """Delay probabilities of ``size`` flights given column by column."""
        if self.fast is not None:
            return self.fast.predict_matrix(self.fast.encode_columns(values, size))
        cells = zip(*values.values(), strict=True)
        return self.predict([dict(zip(values, row, strict=True)) for row in cells])

    def unknown_categories(self, values: Columns, size: int) -> list[tuple[str, ...]]:
        """For each of ``size`` flights, the categorical fields whose value (not missing)
        training never saw."""
        unknown: list[tuple[str, ...]] = [()] * size
        for column, known in self.maps.items():
            for i, value in enumerate(values[column]):
                if value is not None and value not in known:
                    unknown[i] = (*unknown[i], column)
        return unknown

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


@dataclass(frozen=True)
class BatchResult:
    """A batch's answers as plain lists (1,000 pydantic objects would cost more than the
    model); :meth:`to_json` writes :class:`~week05_ml_api.schemas.BatchPrediction`."""

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
        head = {"model_version": self.model_version, "threshold": self.threshold}
        return orjson.dumps({**head, "count": len(self.probabilities), "predictions": self.items()})


class ModelStore:
    """The model being served; :meth:`load` swaps it atomically. With a run folder (a server of
    several workers), :meth:`deploy` also publishes the new model in the deployment marker,
    ``{"source", "version"}``, and :meth:`follow` loads what another worker published."""

    def __init__(
        self, fast_path: bool = True, run_dir: Path | None = None, load: Loader = load_folder
    ) -> None:
        self.current: LoadedModel | None = None
        self.error: str | None = None
        self.fast_path = fast_path
        self.loader = load
        self.marker = SharedState(run_dir, "deployed") if run_dir else None
        self._reload_lock = threading.Lock()  # one load at a time; requests never wait on it
        self._follow_lock: asyncio.Lock | None = None  # made in the event loop that uses it
        self._wanted: dict[str, Any] | None = None  # published by another worker, not loaded yet
        self._retry_at = 0.0  # when a failed follow may try again (time.monotonic())
        self._wait = RETRY_FIRST  # how long the next failure waits
        #: called after each swap with the previous version and the new model
        self.on_swap: list[Callable[[str | None, LoadedModel], None]] = []

    @property
    def source(self) -> str | None:
        """What loads the current model again (``None`` before the first load)."""
        return self.current.source if self.current else None

    def load(self, source: str | Path) -> tuple[str | None, str]:
        """Load ``source`` and make it current; returns ``(previous_version, new_version)``. On
        failure the current model (if any) keeps serving, ``error`` says why, and the exception
        propagates."""
        with self._reload_lock:
            previous = self.current.version if self.current else None
            try:
                model = LoadedModel.load(source, self.fast_path, self.loader)
            except Exception as exc:
                self.error = f"loading {source} failed: {type(exc).__name__}: {exc}"
                log.error(self.error)
                raise
            self.current, self.error = model, None  # the swap
            for listener in self.on_swap:
                listener(previous, model)
            return previous, model.version

    def start(self, configured: str | Path) -> None:
        """The first load: the model another worker published, if any, else ``configured``."""
        published = self.marker.read() if self.marker else None
        self.load(published["source"] if published else configured)

    def deploy(self, source: str | Path) -> tuple[str | None, str]:
        """:meth:`load`, then publish the model for the other workers (if any)."""
        previous, version = self.load(source)
        if self.marker is not None and self.source is not None:
            self.marker.publish({"source": self.source, "version": version})
        return previous, version

    async def heal(self, configured: str | Path) -> None:
        """After a failed :meth:`start` (the registry or the disk was away): try again until a
        model is loaded, waiting :data:`RETRY_FIRST` seconds, then twice as long each time, at
        most :data:`RETRY_LONGEST`. The app runs it in the background; readiness says 503 and
        why until it succeeds."""
        while self.current is None:
            await asyncio.sleep(self._backoff())
            try:
                await asyncio.to_thread(self.start, configured)
            except Exception:  # error says why; the next try waits longer
                continue
            log.info("model %s loaded on a later try", self.require().version)
        self._wait = RETRY_FIRST

    def _backoff(self) -> float:
        wait, self._wait = self._wait, min(2 * self._wait, RETRY_LONGEST)
        return wait

    async def follow(self) -> None:
        """Before answering: load the model another worker published, unless this one serves
        it. Requests that arrive meanwhile wait for that load (the replaced model must not
        answer them). A failed load is tried again by a later request, after a wait that
        doubles each time (:meth:`heal`'s): meanwhile the old model keeps serving and ``error``
        (``/health/ready``) says why, and a worker whose load failed once still gets the
        deployed model once it loads."""
        if self.marker is None:
            return
        published = self.marker.changed()
        if published is not None:
            self._wanted, self._retry_at, self._wait = published, 0.0, RETRY_FIRST
        if self._wanted is None or self._serves(self._wanted):
            return
        if time.monotonic() < self._retry_at:
            return
        if self._follow_lock is None:
            self._follow_lock = asyncio.Lock()
        async with self._follow_lock:
            wanted = self._wanted  # read again: a request before this one may have loaded it
            if wanted is None or self._serves(wanted) or time.monotonic() < self._retry_at:
                return
            try:
                await asyncio.to_thread(self.load, wanted["source"])
            except Exception:  # the old model keeps serving; error says why
                log.exception("could not load %s, published by another worker", wanted["source"])
                self._retry_at = time.monotonic() + self._backoff()
                return
            if self._wanted is wanted:  # a newer deployment seen meanwhile is still to load
                self._wanted, self._wait = None, RETRY_FIRST

    def _serves(self, deployment: Mapping[str, Any]) -> bool:
        return self.current is not None and self.current.version == deployment["version"]

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
        run_dir: Path | None = None,
        load: Loader = load_folder,
    ) -> None:
        self.store = ModelStore(fast_path, run_dir, load)
        self.store.on_swap.append(self._swapped)
        self.cache = PredictionCache(cache_size)
        self.policy = unknown_categories

    def _swapped(self, previous: str | None, model: LoadedModel) -> None:
        if previous != model.version:
            self.cache.clear()  # keys carry the version; clearing just frees the memory
        metrics.model_swapped(previous, model.version)

    def _unknown(
        self, model: LoadedModel, values: Columns, size: int, prefix: str = ""
    ) -> list[tuple[str, ...]]:
        """:meth:`LoadedModel.unknown_categories`; under the ``reject`` policy, any of them is
        :class:`~week05_ml_api.exceptions.UnknownCategory` naming every cell."""
        unknown = model.unknown_categories(values, size)
        if self.policy == "reject" and any(unknown):
            raise UnknownCategory(
                [
                    {
                        "field": f"{prefix}[{i}].{c}" if prefix else c,
                        "rule": "unknown_category",
                        "message": f"the model never saw {c} {values[c][i]!r} in training",
                        "input": values[c][i],
                    }
                    for i, columns in enumerate(unknown)
                    for c in columns
                ]
            )
        return unknown

    def predict_one(self, flight: FlightFeatures) -> Prediction:
        model = self.store.require()  # read once: a reload meanwhile does not affect this call
        row = flight.__dict__  # the validated values, without model_dump's copy
        unknown = self._unknown(model, {c: [row[c]] for c in model.maps}, 1)
        key = cache_key(row, model.version) if self.cache.maxsize else ""
        probability = self.cache.get(key) if key else None
        if key:
            metrics.CACHE_LOOKUPS.labels("miss" if probability is None else "hit").inc()
        if probability is None:
            probability = float(model.predict([row])[0])
            self.cache.put(key, probability)
        self._count(model, [probability])
        return Prediction(
            model_version=model.version,
            probability=probability,
            delayed=probability >= model.threshold,
            threshold=model.threshold,
            unknown_categories=list(unknown[0]),
        )

    def predict_batch(self, rows: Sequence[Mapping[str, Any]]) -> BatchResult:
        """``rows``: validated flights as dicts (``FlightFeatures.__dict__``)."""
        model = self.store.require()
        columns = {c: [row[c] for row in rows] for c in model.maps}
        unknown = self._unknown(model, columns, len(rows), "flights")
        return self._answer(model, model.predict(rows), unknown)

    def predict_columns(self, values: Columns, size: int) -> BatchResult:
        """A validated columnar batch (``values[feature]``: ``size`` values): the same answers
        as :meth:`predict_batch` on the same flights as rows."""
        model = self.store.require()
        unknown = self._unknown(model, values, size, "data")
        return self._answer(model, model.predict_columns(values, size), unknown)

    def _answer(
        self, model: LoadedModel, predicted: np.ndarray, unknown: list[tuple[str, ...]]
    ) -> BatchResult:
        probabilities = predicted.tolist()
        self._count(model, probabilities)
        return BatchResult(model.version, model.threshold, probabilities, unknown)

    def _count(self, model: LoadedModel, probabilities: list[float]) -> None:
        metrics.PREDICTIONS.labels(model.version).inc(len(probabilities))
        metrics.PROBABILITY_SUM.labels(model.version).inc(sum(probabilities))

    def reload(self, source: str | Path) -> ReloadResult:
        """Load ``source``, swap it in and publish it to the other workers (if any)."""
        previous, version = self.store.deploy(source)
        return ReloadResult(previous_version=previous, model_version=version)
