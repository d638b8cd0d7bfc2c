"""Where runs and models are stored: one ``Settings`` object read from the environment / ``.env``.

The names are MLflow's own where MLflow has one, so the same shell works for ``mlflow ui`` and
for this package::

    MLFLOW_TRACKING_URI=sqlite:///mlruns.db      # default: a SQLite file in the current folder
    MLFLOW_TRACKING_URI=http://127.0.0.1:5000    # a real tracking server (mlflow server ...)
    MLFLOW_EXPERIMENT_NAME=flight-delays
    MLFLOW_ARTIFACT_ROOT=mlartifacts             # local store only: where files go
    MLFLOW_MODEL_NAME=flight-delay               # the registered model

Nothing is read or set on import: call :func:`get_settings` and :func:`use_store`.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)


class Settings(BaseSettings):
    """``MLFLOW_TRACKING_URI``, ``MLFLOW_EXPERIMENT_NAME``, ``MLFLOW_ARTIFACT_ROOT``,
    ``MLFLOW_MODEL_NAME`` (see the module docstring)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    mlflow_tracking_uri: str = Field(
        default="sqlite:///mlruns.db",
        description="sqlite:///file.db (local, the default) or http://host:port (a server)",
    )
    mlflow_experiment_name: str = Field(default="flight-delays", min_length=1)
    mlflow_artifact_root: Path = Field(
        default=Path("mlartifacts"),
        description="folder for run artifacts when the store is local (a server keeps its own)",
    )
    mlflow_model_name: str = Field(default="flight-delay", min_length=1)

    @property
    def is_remote(self) -> bool:
        """True when runs go to a tracking server (``http(s)://``) rather than a local file."""
        return self.mlflow_tracking_uri.startswith(("http://", "https://"))


def get_settings(**overrides: object) -> Settings:
    """The settings from the environment, with ``overrides`` (``None`` values ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]


def use_store(settings: Settings) -> str:
    """Point MLflow (tracking *and* registry) at ``settings.mlflow_tracking_uri`` and make sure
    the experiment exists; returns its id.

    A new experiment on a local store gets ``settings.mlflow_artifact_root`` as artifact
    location; on a server the server decides (``--artifacts-destination``).
    """
    import mlflow

    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    mlflow.set_registry_uri(settings.mlflow_tracking_uri)
    return ensure_experiment(
        settings.mlflow_experiment_name,
        None if settings.is_remote else settings.mlflow_artifact_root,
    )


def ensure_experiment(name: str, artifact_root: Path | None = None) -> str:
    """The id of experiment ``name`` in the current store, created when missing (its artifacts
    under ``artifact_root/<name>`` when given)."""
    import mlflow

    found = mlflow.get_experiment_by_name(name)
    if found is not None:
        return str(found.experiment_id)
    location = None
    if artifact_root is not None:
        folder = Path(artifact_root).resolve() / name
        folder.mkdir(parents=True, exist_ok=True)
        location = folder.as_uri()
    experiment_id = mlflow.create_experiment(name, artifact_location=location)
    log.info(
        "created experiment %s (id %s), artifacts at %s",
        name,
        experiment_id,
        location or "the server's default",
    )
    return str(experiment_id)


def empty_store_template() -> Path:
    """An empty, fully migrated MLflow SQLite database for the installed MLflow version, built
    once in the course's cache folder.

    A brand-new ``sqlite:///`` store runs every schema migration of MLflow's history when it is
    first opened (~5-8 s here); copying a migrated file takes milliseconds, which is what
    :func:`new_local_store` does for tests, notebooks and :mod:`week06_mlflow.server`.
    """
    import mlflow
    from mlflow import MlflowClient

    from course.paths import cache_dir

    template = cache_dir() / "mlflow" / f"empty-{mlflow.__version__}.db"
    if not template.exists():
        template.parent.mkdir(parents=True, exist_ok=True)
        building = template.with_name(f"{template.stem}-{uuid.uuid4().hex}.tmp")
        MlflowClient(tracking_uri=f"sqlite:///{building}").search_experiments()
        building.replace(template)  # atomic: a half-built template is never copied
        log.info("built an empty MLflow store template at %s", template)
    return template


def new_local_store(
    folder: Path, file_name: str = "mlflow.db", default_artifacts: str | None = None
) -> str:
    """A fresh SQLite tracking store in ``folder`` (a copy of :func:`empty_store_template`);
    returns its ``sqlite:///`` URI. Refuses to overwrite an existing database.

    The ``Default`` experiment (id 0) keeps its files in ``default_artifacts`` (default:
    ``folder/mlartifacts/0``), never where the template happened to be built.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / file_name
    if db.exists():
        raise FileExistsError(f"{db} already exists: pick an empty folder for a new store")
    shutil.copyfile(empty_store_template(), db)
    location = default_artifacts or (folder / "mlartifacts" / "0").resolve().as_uri()
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute(
            "UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0", (location,)
        )
    return f"sqlite:///{db.resolve()}"
