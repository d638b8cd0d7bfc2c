"""Reference checks of the decisions, on the ``production`` fixture after its two weeks: a
worse challenger is never promoted, and a bad champion is rolled back by the guard, the live
service following each move without a restart."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

pytestmark = pytest.mark.slow


def _answers_since(run, day: dt.date) -> list[dict]:
    return [a for a in run.answers if a["day"] >= day.isoformat()]


@pytest.fixture(scope="module")
def worse(production):
    """A challenger trained on one week with two trees, on 15 April; then the day runs."""
    run = production.run
    assert run.policy.test is None, "the fixture's A/B test should have ended by 14 April"
    champion = run.policy.champion.version
    weak = replace(run.policy.policy, window="rolling", train_weeks=1, n_estimators=2)
    run.policy.policy = weak
    made = run.policy.retrain(dt.date(2013, 4, 15), "check: a weak challenger")
    run.run_day(dt.date(2013, 4, 15), production.service)
    return made, champion


def test_a_worse_challenger_is_not_promoted(production, worse):
    made, champion = worse
    run = production.run
    assert not made.admitted and made.version is None, (
        f"a 2-tree model on one week was admitted: AUC {made.valid_auc:.3f} against the "
        f"champion's {made.champion_auc:.3f} on the same validation flights"
    )
    assert run.policy.champion.version == champion and run.policy.test is None
    versions = {a["model_version"] for a in _answers_since(run, dt.date(2013, 4, 15))}
    assert versions == {f"{production.settings.model_name}/v{champion}"}, versions


def test_a_bad_champion_is_rolled_back(production, worse):
    from week06_mlflow.registry import CHAMPION, PREVIOUS, register
    from week13_retrain.aliases import mlflow_client

    made, good = worse
    run, service, name = production.run, production.service, production.settings.model_name
    bad = str(register(made.model_uri, name).version)
    run.promote(dt.date(2013, 4, 16), bad, service, "check: a bad model promoted by hand")
    run.run_day(dt.date(2013, 4, 16), service)
    served_bad = {a["model_version"] for a in _answers_since(run, dt.date(2013, 4, 16))}
    assert served_bad == {f"{name}/v{bad}"}, (
        f"the service did not follow the promotion: {served_bad}"
    )
    for day in (17, 18):
        run.run_day(dt.date(2013, 4, day), service)
    watch = [e for e in run.policy.events if e["kind"] == "watch"]
    assert watch and watch[-1]["decision"] == "rolled back", (
        f"two days of a 2-tree champion were not rolled back: {watch}"
    )
    aliases = mlflow_client(run.tracking_uri).get_registered_model(name).aliases
    assert str(aliases[CHAMPION]) == good and str(aliases[PREVIOUS]) == bad, aliases
    after = {a["model_version"] for a in _answers_since(run, dt.date(2013, 4, 18))}
    assert after == {f"{name}/v{good}"}, f"after the rollback the service answered with {after}"
