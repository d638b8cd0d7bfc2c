"""Exercises 5 and 6: the promotion rule with its margin, and moving the aliases.

The graded checks are plain Python: numbers for the rule, and a small fake of ``MlflowClient``
that records the aliases. The reference checks run the whole registry workflow in a temporary
store: register, promote, refuse a worse challenger, load ``models:/<name>@champion``.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
import pytest

# ---------------------------------------------------------------- exercise 5: the rule


RULE = ("champion", "challenger", "margin", "promote")
RULE_HINT = "promote when challenger >= champion + margin; no champion: promote; NaN: no"


def _check_rule(registry, champion, challenger, margin, promote):
    decision = registry.promotion_decision(champion, challenger, margin)
    why = ""
    if champion is None and challenger != challenger:
        why = ": with no champion, an unmeasured (NaN) challenger still must not become champion"
    elif promote is False and challenger == challenger and challenger < champion:
        why = ": a WORSE challenger replaced the champion"
    elif promote is False:
        why = f": a gain below the margin ({margin}) is noise, not an improvement"
    assert decision.promote is promote, (
        f"champion {champion}, challenger {challenger}, margin {margin}: expected "
        f"promote={promote}, got {decision.promote}{why}"
    )


@pytest.mark.exercise("promotion_decision")
@pytest.mark.points(1)
@pytest.mark.parametrize(
    RULE,
    [
        pytest.param(0.70, 0.72, 0.01, True, id="better-by-more-than-margin"),
        pytest.param(0.70, 0.71, 0.01, True, id="better-by-exactly-margin"),
        pytest.param(0.70, 0.70, 0.0, True, id="tie-with-zero-margin"),
        pytest.param(0.70, 0.70, 0.01, False, id="tie-with-a-margin"),
        pytest.param(0.70, 0.65, 0.0, False, id="worse-with-zero-margin"),
        pytest.param(None, 0.60, 0.01, True, id="no-champion-yet"),
        pytest.param(None, float("nan"), 0.01, False, id="no-champion-and-not-measured"),
    ],
)
@pytest.mark.hint(RULE_HINT)
def test_rule(registry, champion, challenger, margin, promote):
    _check_rule(registry, champion, challenger, margin, promote)


@pytest.mark.exercise("promotion_decision")
@pytest.mark.points(2)
@pytest.mark.parametrize(
    RULE,
    [
        pytest.param(0.70, 0.705, 0.01, False, id="better-but-within-margin"),
        pytest.param(0.70, 0.65, 0.01, False, id="worse"),
        pytest.param(0.70, float("nan"), 0.01, False, id="challenger-not-measured"),
    ],
)
@pytest.mark.hint(RULE_HINT)
def test_rule_refuses(registry, champion, challenger, margin, promote):
    _check_rule(registry, champion, challenger, margin, promote)


@pytest.mark.exercise("promotion_decision")
@pytest.mark.points(1)
@pytest.mark.hint("give margin a default value: the module's DEFAULT_MARGIN")
def test_default_margin(registry):
    from week06_mlflow.registry import DEFAULT_MARGIN

    tie = registry.promotion_decision(0.70, 0.70)
    small = registry.promotion_decision(0.70, 0.70 + DEFAULT_MARGIN / 2)
    assert not tie.promote and not small.promote, (
        f"called without a margin, a tie promoted={tie.promote} and a gain of half the default "
        f"margin promoted={small.promote}: the default margin is DEFAULT_MARGIN "
        f"({DEFAULT_MARGIN}), not 0"
    )
    big = registry.promotion_decision(0.70, 0.70 + 2 * DEFAULT_MARGIN)
    assert big.promote, (
        f"a gain of twice DEFAULT_MARGIN ({DEFAULT_MARGIN}) was refused without a margin given: "
        f"{big.reason!r}"
    )


@pytest.mark.exercise("promotion_decision")
@pytest.mark.points(2)
@pytest.mark.hint("the reason names both scores and the margin, formatted with :.4f")
def test_refusal_says_why(registry):
    decision = registry.promotion_decision(0.7, 0.695, 0.005)
    assert not decision.promote
    for number in ("0.6950", "0.7000", "0.0050"):
        assert number in str(decision.reason), (
            f"the reason should name both scores and the margin ({number} missing): "
            f"{decision.reason!r}"
        )


@pytest.mark.exercise("promotion_decision")
@pytest.mark.points(1)
@pytest.mark.parametrize(
    ("champion", "challenger", "numbers"),
    [
        pytest.param(0.70, 0.72, ("0.7200", "0.7000", "0.0050"), id="promoted"),
        pytest.param(None, 0.61, ("0.6100",), id="first-champion"),
        pytest.param(0.70, float("nan"), (), id="not-measured"),
    ],
)
@pytest.mark.hint("every Decision carries a reason (a str): it is written on the model version")
def test_every_decision_says_why(registry, champion, challenger, numbers):
    decision = registry.promotion_decision(champion, challenger, 0.005)
    assert isinstance(decision.reason, str) and decision.reason.strip(), (
        f"champion {champion}, challenger {challenger}: the reason is {decision.reason!r}; a "
        "promotion is recorded on the model version with its reason, accepted ones too"
    )
    missing = [n for n in numbers if n not in decision.reason]
    assert not missing, (
        f"the reason should name the scores and the margin (:.4f), {missing} missing: "
        f"{decision.reason!r}"
    )


@pytest.mark.exercise("promotion_decision")
@pytest.mark.points(1)
@pytest.mark.hint("a negative margin would promote worse models: raise ValueError naming it")
def test_negative_margin_is_refused(registry):
    with pytest.raises(ValueError, match=r"-0\.01"):
        registry.promotion_decision(0.7, 0.8, -0.01)


# ---------------------------------------------------------------- exercise 6: the aliases


class FakeModel:
    def __init__(self, aliases: dict[str, Any]) -> None:
        self.aliases = aliases


class FakeClient:
    """Just enough of MlflowClient: the aliases of the registered model ``name`` (the only one
    in this fake registry), and a log of calls. ``int_versions=True`` hands the versions back
    as ``int``, as MLflow's SQLite store does; deleting an alias that is not there does
    nothing, as in MLflow's stores."""

    def __init__(
        self, aliases: dict[str, str], name: str = "flight-delay", int_versions: bool = False
    ) -> None:
        self.name = name
        self.aliases = {alias: str(v) for alias, v in aliases.items()}
        self.int_versions = int_versions
        self.calls: list[tuple[Any, ...]] = []

    def _check(self, name: str) -> None:
        if name != self.name:
            raise LookupError(
                f"registered model {name!r} does not exist (the registry holds "
                f"{self.name!r}): pass the model's name to every client call"
            )

    def get_registered_model(self, name: str) -> FakeModel:
        self._check(name)
        if self.int_versions:
            return FakeModel({a: int(v) for a, v in self.aliases.items()})
        return FakeModel(dict(self.aliases))

    def set_registered_model_alias(self, name: str, alias: str, version: str) -> None:
        self._check(name)
        self.calls.append(("set", alias, str(version)))
        self.aliases[alias] = str(version)

    def delete_registered_model_alias(self, name: str, alias: str) -> None:
        self._check(name)
        self.calls.append(("delete", alias))
        self.aliases.pop(alias, None)


@pytest.mark.exercise("move_aliases")
@pytest.mark.points(2)
@pytest.mark.hint("read .aliases first; the old champion becomes 'previous' before you move it")
def test_old_champion_becomes_previous(registry):
    client = FakeClient({"champion": "1", "challenger": "2"})
    old = registry.move_aliases(client, "flight-delay", "2")
    assert client.aliases.get("champion") == "2", f"aliases after: {client.aliases}"
    assert client.aliases.get("previous") == "1", (
        f"version 1 should keep the alias 'previous' for a rollback, aliases: {client.aliases}"
    )
    assert old == "1", f"return the old champion's version, got {old!r}"


@pytest.mark.exercise("move_aliases")
@pytest.mark.points(1)
@pytest.mark.hint("delete the 'challenger' alias when it pointed at the promoted version")
def test_challenger_alias_is_removed(registry):
    client = FakeClient({"champion": "1", "challenger": "2"})
    registry.move_aliases(client, "flight-delay", "2")
    assert "challenger" not in client.aliases, (
        f"version 2 is champion now, not challenger: aliases {client.aliases}"
    )
    other = FakeClient({"champion": "1", "challenger": "3"})
    registry.move_aliases(other, "flight-delay", "2")
    assert other.aliases.get("challenger") == "3", "a challenger on another version stays"


@pytest.mark.exercise("move_aliases")
@pytest.mark.points(1)
@pytest.mark.hint("no champion yet: set it, set no 'previous', return None")
def test_first_champion(registry):
    client = FakeClient({"challenger": "1"})
    assert registry.move_aliases(client, "flight-delay", "1") is None
    assert client.aliases == {"champion": "1"}, f"aliases after: {client.aliases}"


@pytest.mark.exercise("move_aliases")
@pytest.mark.points(2)
@pytest.mark.hint("a rollback is move_aliases(previous version): champion and previous swap")
def test_rollback_loses_nothing(registry):
    client = FakeClient({"champion": "2", "previous": "1"}, name="churn")
    old = registry.move_aliases(client, "churn", "1")
    assert client.aliases == {"champion": "1", "previous": "2"}, (
        f"rolling back to version 1 should swap champion and previous, got {client.aliases}: "
        "the version rolled back from must stay reachable as 'previous'"
    )
    assert old == "2", f"return the champion that was replaced ('2'), got {old!r}"
    registry.move_aliases(client, "churn", "2")
    assert client.aliases == {"champion": "2", "previous": "1"}, (
        f"rolling forward again should swap them back, got {client.aliases}"
    )


@pytest.mark.exercise("move_aliases")
@pytest.mark.points(1)
@pytest.mark.hint("promoting the version that already is champion: no 'previous' move, None")
def test_promoting_the_champion_again_changes_nothing(registry):
    client = FakeClient({"champion": "2", "previous": "1"})
    old = registry.move_aliases(client, "flight-delay", "2")
    assert client.aliases == {"champion": "2", "previous": "1"}, (
        f"version 2 already was champion: 'previous' must still point at 1 (the rollback "
        f"target), got {client.aliases}"
    )
    assert old is None, f"no champion was replaced: return None, got {old!r}"


@pytest.mark.exercise("move_aliases")
@pytest.mark.points(2)
@pytest.mark.parametrize(
    ("before", "version", "after", "returned"),
    [
        pytest.param(
            {"champion": "1", "challenger": "2"},
            "2",
            {"champion": "2", "previous": "1"},
            "1",
            id="promote",
        ),
        pytest.param(
            {"champion": "2", "previous": "1"},
            "2",
            {"champion": "2", "previous": "1"},
            None,
            id="same-version",
        ),
    ],
)
@pytest.mark.hint("the SQLite store hands versions back as int: compare them as str")
def test_versions_compared_as_text(registry, before, version, after, returned):
    client = FakeClient(before, int_versions=True)
    old = registry.move_aliases(client, "flight-delay", version)
    assert client.aliases == after, (
        f"aliases {before} (versions read back as int, as MLflow's SQLite store returns them), "
        f"promoting {version!r}: expected {after}, got {client.aliases}: is 2 == '2'?"
    )
    assert (None if old is None else str(old)) == returned, (
        f"expected the old champion {returned!r}, got {old!r}"
    )


# ---------------------------------------------------------------- the real thing (reference)


def _name() -> str:
    return f"flight-delay-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def baseline_uri(store, experiment_id, split, config) -> str:
    """The majority model (ROC-AUC 0.5), logged: a challenger that must never win."""
    from week06_mlflow.tracking import train_and_track

    run = train_and_track(
        split,
        config,
        model="baseline",
        experiment_id=experiment_id,
        run_name="baseline",
        plots=False,
    )
    assert run.model_uri is not None
    return run.model_uri


@pytest.mark.slow
def test_champion_predicts_like_the_saved_artifact(
    tracked, local_store, experiment_id, split, config, tmp_path
):
    from week03_ml.artifact import Model, build_metadata, save_model
    from week03_ml.train import metadata_for
    from week06_mlflow.registry import load_champion, promote, register
    from week06_mlflow.tracking import log_saved_model

    folder = save_model(
        tracked.result.pipeline,
        build_metadata(**metadata_for(tracked.result, split, config)),
        tmp_path / "week03",
    )
    run = log_saved_model(folder, split.train, experiment_id=experiment_id, run_name="from-folder")
    name = _name()
    register(run.model_uri, name)
    decision = promote(name, split.test, who="pytest")
    assert decision.promote, decision.reason
    champion = load_champion(name)
    saved = Model.load(folder)
    np.testing.assert_allclose(
        champion.predict_proba(split.test),
        saved.predict_proba(split.test),
        err_msg="models:/...@champion predicts unlike its artifact",
    )
    assert champion.features == saved.features
    assert champion.threshold == saved.threshold
    assert (champion.name, champion.version) == (name, "1")


@pytest.mark.slow
def test_worse_challenger_is_refused_and_recorded(tracked, baseline_uri, local_store, split):
    from mlflow import MlflowClient

    from week06_mlflow.registry import describe, load_champion, promote, register

    name = _name()
    first = register(tracked.model_uri, name)
    assert promote(name, split.test, who="pytest").promote
    worse = register(baseline_uri, name)
    decision = promote(name, split.test, who="alice")
    assert not decision.promote, f"the majority model (AUC 0.5) was promoted: {decision.reason}"
    client = MlflowClient()
    aliases = {a: str(v) for a, v in client.get_registered_model(name).aliases.items()}
    assert aliases["champion"] == str(first.version), f"the champion moved: {aliases}"
    assert aliases["challenger"] == str(worse.version)
    tags = client.get_model_version(name, worse.version).tags
    assert tags["promotion.decision"] == "refused"
    assert tags["promotion.by"] == "alice"
    assert "champion" in tags["promotion.reason"] and tags["promotion.at"]
    assert float(tags["promotion.challenger_roc_auc"]) == pytest.approx(0.5)
    assert "refused by alice" in client.get_model_version(name, worse.version).description
    table = describe(name)
    assert list(table["decision"]) == ["refused", "promoted"]
    pipeline = load_champion(name).pipeline
    assert pipeline.named_steps["model"].__class__.__name__ == "XGBClassifier"


@pytest.mark.slow
def test_better_challenger_is_promoted_and_rollback_is_kept(
    tracked, baseline_uri, local_store, split
):
    from mlflow import MlflowClient

    from week06_mlflow.registry import promote, register

    name = _name()
    old = register(baseline_uri, name)
    assert promote(name, split.test).promote
    new = register(tracked.model_uri, name)
    decision = promote(name, split.test, margin=0.01)
    assert decision.promote, decision.reason
    aliases = {a: str(v) for a, v in MlflowClient().get_registered_model(name).aliases.items()}
    assert aliases == {"champion": str(new.version), "previous": str(old.version)}


@pytest.mark.slow
def test_move_aliases_on_a_real_registry(local_store, tmp_path):
    from mlflow import MlflowClient

    from week06_mlflow.registry import move_aliases

    client = MlflowClient()
    name = _name()
    client.create_registered_model(name)
    for _ in range(2):
        client.create_model_version(name, source=str(tmp_path))
    client.set_registered_model_alias(name, "challenger", "1")
    assert move_aliases(client, name, "1") is None
    client.set_registered_model_alias(name, "challenger", "2")
    assert move_aliases(client, name, "2") == "1"
    aliases = {a: str(v) for a, v in client.get_registered_model(name).aliases.items()}
    assert aliases == {"champion": "2", "previous": "1"}


def test_promote_without_challenger_is_an_error(local_store):
    from mlflow import MlflowClient

    from week06_mlflow.registry import promote

    name = _name()
    MlflowClient().create_registered_model(name)
    with pytest.raises(LookupError, match="challenger"):
        promote(name, None)  # type: ignore[arg-type]
