"""The model registry: versions of one named model, and aliases that say which one is in use.

* ``champion``: the version production serves (``models:/flight-delay@champion``);
* ``challenger``: the candidate waiting to be compared with it;
* ``previous``: the champion before the last promotion (a rollback is one alias move).

A challenger replaces the champion only when it scores better *by a margin* on the same,
recent data (:func:`promotion_decision`, the "condition step"); every decision, refused ones
included, is written on the challenger's version as tags and in its description: who, when,
both scores and why.

Any later week loads the champion with :func:`load_champion` (week 5's service through
:mod:`week06_mlflow.serving`)::

    from week06_mlflow.registry import load_champion
    model = load_champion("flight-delay", tracking_uri="sqlite:///mlruns.db")
    model.predict_proba(flights)

It returns week 3's model type (:class:`~week03_ml.artifact.Model`), as a folder's
``Model.load`` does, with the registered name added.
"""

from __future__ import annotations

import getpass
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from week01_data.target import TARGET, labelled
from week03_ml.artifact import Model
from week03_ml.evaluate import ranking_scores

if TYPE_CHECKING:
    from mlflow import MlflowClient
    from mlflow.entities.model_registry import ModelVersion

log = logging.getLogger(__name__)

CHAMPION = "champion"
CHALLENGER = "challenger"
PREVIOUS = "previous"
#: A challenger must beat the champion's ROC-AUC by at least this much to replace it.
DEFAULT_MARGIN = 0.005


class AliasClient(Protocol):
    """The part of ``mlflow.MlflowClient`` that moving aliases needs."""

    def get_registered_model(self, name: str) -> Any: ...

    def set_registered_model_alias(self, name: str, alias: str, version: str) -> None: ...

    def delete_registered_model_alias(self, name: str, alias: str) -> None: ...


@dataclass(frozen=True)
class Decision:
    """The outcome of comparing a challenger with the champion: ``promote`` or not, and why."""

    promote: bool
    reason: str


def promotion_decision(
    champion: float | None, challenger: float, margin: float = DEFAULT_MARGIN
) -> Decision:
    """Should the challenger (score ``challenger``) replace the champion (score ``champion``,
    ``None`` when there is no champion yet)? (exercise 5)

    * no champion: promote (the first model becomes champion);
    * a challenger score that is NaN: refuse (it could not be measured);
    * promote only when ``challenger >= champion + margin``: a tie, or a gain smaller than the
      margin, is noise, and swapping models has a cost;
    * the reason names both scores and the margin, e.g.
      ``"challenger 0.6410 < champion 0.6500 + margin 0.0050"``.

    Raises ``ValueError`` when ``margin`` is negative (it would promote worse models).
    """
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    if challenger is None or math.isnan(challenger):
        return Decision(False, f"challenger score is {challenger}: it could not be measured")
    if champion is None or math.isnan(champion):
        return Decision(True, f"no champion yet: challenger {challenger:.4f} becomes champion")
    if challenger >= champion + margin:
        return Decision(
            True, f"challenger {challenger:.4f} >= champion {champion:.4f} + margin {margin:.4f}"
        )
    return Decision(
        False, f"challenger {challenger:.4f} < champion {champion:.4f} + margin {margin:.4f}"
    )


def move_aliases(client: AliasClient, name: str, version: str) -> str | None:
    """Make ``version`` of model ``name`` the champion (exercise 6).

    The old champion (if any, and if it is another version) gets the ``previous`` alias, so a
    rollback is one alias move; the ``challenger`` alias is removed when it pointed at
    ``version`` (it is no longer a challenger). Aliases are read from
    ``client.get_registered_model(name).aliases`` (a dict alias -> version). Returns the old
    champion's version, or ``None`` when there was no champion or it already was ``version``
    (``previous`` is then left as it was).
    """
    version = str(version)
    aliases = {a: str(v) for a, v in client.get_registered_model(name).aliases.items()}
    old = aliases.get(CHAMPION)
    if old is not None and old != version:
        client.set_registered_model_alias(name, PREVIOUS, old)
    client.set_registered_model_alias(name, CHAMPION, version)
    if aliases.get(CHALLENGER) == version:
        client.delete_registered_model_alias(name, CHALLENGER)
    return old if old != version else None


def _client(tracking_uri: str | None = None) -> MlflowClient:
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)


def register(
    model_uri: str,
    name: str,
    *,
    alias: str | None = CHALLENGER,
    description: str | None = None,
    tracking_uri: str | None = None,
) -> ModelVersion:
    """Register the model at ``model_uri`` (``runs:/<id>/model`` or ``models:/m-...``) as a new
    version of ``name`` (created if needed) and point ``alias`` at it (default ``challenger``;
    ``None`` sets no alias)."""
    import mlflow

    with _using(tracking_uri):
        mv = mlflow.register_model(model_uri, name)
    client = _client(tracking_uri)
    if description:
        client.update_model_version(name, mv.version, description=description)
    if alias is not None:
        client.set_registered_model_alias(name, alias, mv.version)
    log.info(
        "registered %s as %s version %s%s",
        model_uri,
        name,
        mv.version,
        f" @{alias}" if alias else "",
    )
    return mv


@contextmanager
def _using(tracking_uri: str | None) -> Iterator[None]:
    """Make ``tracking_uri`` MLflow's tracking and registry URI inside the block only."""
    import mlflow

    if tracking_uri is None:
        yield
        return
    before = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    try:
        yield
    finally:
        mlflow.set_tracking_uri(before[0])
        mlflow.set_registry_uri(before[1])


def alias_uri(name: str, alias: str) -> str:
    """``models:/<name>@<alias>``, the URI every MLflow loader understands."""
    return f"models:/{name}@{alias}"


@dataclass(frozen=True)
class RegisteredModel(Model):
    """One version of a registered model, loaded: week 3's :class:`~week03_ml.artifact.Model`
    (its ``version`` is the registry's version number, ``"3"``) and the name it is registered
    under."""

    name: str

    @property
    def uri(self) -> str:
        """``models:/<name>/<version>``: this exact version, wherever the aliases move."""
        return f"models:/{self.name}/{self.version}"


def load_registered(uri: str, tracking_uri: str | None = None) -> RegisteredModel:
    """Load ``models:/<name>@<alias>`` or ``models:/<name>/<version>``.

    An alias is resolved to its version *first*, and that version is loaded: the model and
    the version reported with it always agree, even if the alias moves meanwhile. Raises
    ``ValueError`` for a URI of another shape, ``LookupError`` for an alias that points
    nowhere, and MLflow's exception for a name or version that does not exist.
    """
    import mlflow.sklearn
    from mlflow import MlflowClient
    from mlflow.models import get_model_info

    rest = uri.removeprefix("models:/")
    if rest == uri or not rest:
        raise ValueError(f"expected models:/<name>@<alias> or models:/<name>/<version>, got {uri}")
    with _using(tracking_uri):
        if "@" in rest:
            name, alias = rest.split("@", 1)
            found = _version_of(MlflowClient(), name, alias)
            if found is None:
                raise LookupError(f"model {name!r} has no alias {alias!r}")
            version = str(found.version)
        else:
            name, _, version = rest.rpartition("/")
            if not name or not version.isdigit():
                raise ValueError(f"expected models:/<name>/<version>, got {uri}")
        pinned = f"models:/{name}/{version}"
        pipeline = mlflow.sklearn.load_model(pinned)
        metadata = dict(get_model_info(pinned).metadata or {})
    return RegisteredModel(pipeline=pipeline, metadata=metadata, version=version, name=name)


def load_by_alias(name: str, alias: str, tracking_uri: str | None = None) -> RegisteredModel:
    """The version of ``name`` that ``alias`` points at. ``tracking_uri`` (default: the current
    one) is used for this call only."""
    return load_registered(alias_uri(name, alias), tracking_uri)


def load_champion(name: str, tracking_uri: str | None = None) -> RegisteredModel:
    """``models:/<name>@champion``: what week 5 serves. ``model.predict_proba(flights)`` is the
    delay probability and ``model.threshold`` the decision threshold. Raises ``LookupError``
    when ``name`` is not registered or has no champion yet."""
    return load_by_alias(name, CHAMPION, tracking_uri)


def score_on(model: Model, flights: pd.DataFrame) -> float:
    """ROC-AUC of ``model`` on the labelled flights of ``flights``."""
    known = labelled(flights)
    if known.empty:
        raise ValueError("flights hold no labelled flight: nothing to compare the models on")
    proba = model.predict_proba(known)
    return ranking_scores(np.asarray(known[TARGET], dtype="int64"), proba)["roc_auc"]


def _version_of(client: MlflowClient, name: str, alias: str) -> ModelVersion | None:
    from mlflow.exceptions import MlflowException

    try:
        aliases = client.get_registered_model(name).aliases
    except MlflowException as error:  # RESOURCE_DOES_NOT_EXIST
        raise LookupError(f"model {name!r} is not registered: {error.message}") from error
    if alias not in aliases:
        return None
    return client.get_model_version(name, str(aliases[alias]))


def promote(
    name: str,
    flights: pd.DataFrame,
    *,
    margin: float = DEFAULT_MARGIN,
    who: str | None = None,
    tracking_uri: str | None = None,
) -> Decision:
    """Compare ``challenger`` with ``champion`` on ``flights`` (ROC-AUC, same rows for both)
    and move the aliases only when :func:`promotion_decision` says so.

    The decision is recorded on the challenger's version either way: tags
    ``promotion.decision`` (``promoted``/``refused``), ``promotion.reason``, ``promotion.by``,
    ``promotion.at`` (UTC), ``promotion.challenger_roc_auc``, ``promotion.champion_roc_auc``,
    ``promotion.champion_version``, ``promotion.rows``, and a line in its description.
    Raises ``LookupError`` when ``name`` is not registered or has no challenger.
    """
    client = _client(tracking_uri)
    challenger = _version_of(client, name, CHALLENGER)
    if challenger is None:
        raise LookupError(f"model {name!r} has no {CHALLENGER!r} alias: register one first")
    champion = _version_of(client, name, CHAMPION)
    rows = len(labelled(flights))
    challenger_score = score_on(load_by_alias(name, CHALLENGER, tracking_uri), flights)
    champion_score = (
        None if champion is None else score_on(load_by_alias(name, CHAMPION, tracking_uri), flights)
    )
    decision = promotion_decision(champion_score, challenger_score, margin)
    who = who or _user()
    when = datetime.now(UTC).isoformat(timespec="seconds")
    verdict = "promoted" if decision.promote else "refused"
    tags = {
        "promotion.decision": verdict,
        "promotion.reason": decision.reason,
        "promotion.by": who,
        "promotion.at": when,
        "promotion.margin": f"{margin:.4f}",
        "promotion.rows": str(rows),
        "promotion.challenger_roc_auc": f"{challenger_score:.6f}",
        "promotion.champion_roc_auc": "" if champion_score is None else f"{champion_score:.6f}",
        "promotion.champion_version": "" if champion is None else str(champion.version),
    }
    for key, value in tags.items():
        client.set_model_version_tag(name, challenger.version, key, value)
    line = f"{when} {verdict} by {who}: {decision.reason} ({rows} labelled flights)"
    description = "\n".join(filter(None, [challenger.description, line]))
    client.update_model_version(name, challenger.version, description=description)
    if decision.promote:
        move_aliases(client, name, str(challenger.version))
    log.info("version %s of %s %s: %s", challenger.version, name, verdict, decision.reason)
    return decision


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "unknown"


def describe(name: str, tracking_uri: str | None = None) -> pd.DataFrame:
    """One row per version of ``name``: version, aliases, run id, creation time and the last
    promotion decision, newest version first."""
    client = _client(tracking_uri)
    model = client.get_registered_model(name)
    by_version: dict[str, list[str]] = {}
    for alias, version in model.aliases.items():
        by_version.setdefault(str(version), []).append(alias)
    rows = []
    for mv in client.search_model_versions(f"name = '{name}'"):
        rows.append(
            {
                "version": int(mv.version),
                "aliases": ",".join(sorted(by_version.get(str(mv.version), []))),
                "run_id": mv.run_id or "",
                "created": datetime.fromtimestamp(mv.creation_timestamp / 1000, UTC).isoformat(
                    timespec="seconds"
                ),
                "decision": mv.tags.get("promotion.decision", ""),
                "reason": mv.tags.get("promotion.reason", ""),
            }
        )
    columns = ["version", "aliases", "run_id", "created", "decision", "reason"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("version", ascending=False, ignore_index=True)
