"""A throw-away Airflow for checks, notebooks and ``airflow dags test``: settings, metadata DB.

Airflow reads its configuration when it is first imported, so :func:`configure` must run before
anything imports ``airflow``: it sets ``AIRFLOW_HOME`` (a SQLite metadata database in it), the
DAGs folder (this week's ``dags/``: ``dag.test()`` refuses a DAG it cannot find there) and a few
quiet defaults. :func:`init_metadata_db` creates the tables (~2 s); :func:`dag_bag` parses the
DAG files the way the scheduler does.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: This week's DAG files.
DAGS_FOLDER = Path(__file__).resolve().parent.parent / "dags"


def airflow_env(home: Path, dags_folder: Path = DAGS_FOLDER) -> dict[str, str]:
    """The environment variables of an Airflow living in ``home``: what the README exports."""
    home = Path(home).resolve()
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(Path(dags_folder).resolve()),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        # the DAGs are in New York time: so are the dates Airflow shows
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "America/New_York",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
    }


def configure(home: Path, dags_folder: Path = DAGS_FOLDER) -> dict[str, str]:
    """Set :func:`airflow_env` in ``os.environ`` (before ``airflow`` is imported)."""
    import sys

    if "airflow" in sys.modules:
        log.warning("airflow was imported before configure(): its settings may be stale")
    Path(home).mkdir(parents=True, exist_ok=True)
    env = airflow_env(home, dags_folder)
    os.environ.update(env)
    return env


def init_metadata_db() -> None:
    """Create Airflow's metadata tables in the configured database (safe to call again)."""
    from airflow.utils import db

    db.initdb()


def dag_bag(dags_folder: Path = DAGS_FOLDER) -> Any:
    """Parse every DAG file of ``dags_folder``; ``.import_errors`` says what failed."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(dags_folder))
