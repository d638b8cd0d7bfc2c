"""The sixteen weeks: which folder teaches what, for the README table and ``course progress``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course.paths import REPO_ROOT


@dataclass(frozen=True)
class Module:
    weeks: str
    folder: str
    question: str
    tools: str

    @property
    def key(self) -> str:
        """What ``course grade`` takes: ``week03`` for ``week03-ml``."""
        return self.folder.split("-", 1)[0] if self.folder.startswith("week") else self.folder

    def path(self, root: Path = REPO_ROOT) -> Path:
        return root / self.folder

    def exists(self, root: Path = REPO_ROOT) -> bool:
        return self.path(root).is_dir()

    def gradable(self, root: Path = REPO_ROOT) -> bool:
        return (self.path(root) / "exercises").is_dir() and (self.path(root) / "tests").is_dir()


SYLLABUS: tuple[Module, ...] = (
    Module(
        "1-2", "week01-data", "Is the raw data fit to learn from?", "pandas, pandera, matplotlib"
    ),
    Module("3-4", "week03-ml", "Which model, honestly measured?", "scikit-learn, XGBoost"),
    Module("4-5", "week04-sql", "Features straight from the database", "SQLAlchemy, PostgreSQL"),
    Module("5", "week05-ml-api", "Serve it", "FastAPI, pydantic, gRPC, Docker"),
    Module("6-7", "week06-mlflow", "Which run made this model?", "MLflow"),
    Module("8", ".github", "Every push tested, graded, built", "GitHub Actions, pytest-cov"),
    Module("9-10", "week09-data-pipeline", "Daily ETL and weekly training as DAGs", "Airflow"),
    Module(
        "10-11",
        "week10-cloud",
        "Object storage, config, deployment, scale-out",
        "boto3, Kubernetes manifests, Spark",
    ),
    Module(
        "11-12", "week11-monitoring", "Is the model still right?", "Evidently, Prometheus, Grafana"
    ),
    Module("13-14", "week13-retrain", "When and how to replace it", "MLflow registry, SciPy"),
    Module("15-16", "final-project", "All of it, end to end", "everything above"),
)
