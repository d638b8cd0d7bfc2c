"""Reference checks of a short production run (the ``production`` fixture: 1-14 April on
embedded defaults, the composed service live): the pipeline ran each day, the live answers
are the policy's own, drift triggers a challenger that takes traffic, re-running a day changes
nothing, and the three outputs say what happened."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


def test_the_pipeline_ran_every_day(production):
    days = pd.DataFrame(production.run.days)
    assert list(days["day"]) == [f"2013-04-{d:02d}" for d in range(1, 15)]
    assert (days["loaded"] > 600).all(), days[["day", "loaded"]]
    assert (days["loaded"] + days["quarantined"] + days["rejected"] == days["landed"]).all(), (
        "every landed flight is loaded, quarantined or set aside: none lost"
    )
    assert (days["scored_next_day"] > 600).all(), "each evening scores the next day in batch"


def test_live_answers_are_the_policys_own(production):
    from capstone.production import agreement, answers_table

    answers = answers_table(production.run.answers)
    assert len(answers) == 14 * 8
    bad = answers[answers["status"] != 200]
    assert bad.empty, f"the service refused or failed live requests:\n{bad}"
    seen = agreement(answers)
    assert seen["same_arm"] == seen["same_version"] == len(answers), (
        "the service chose another arm or version than the policy's record for the same "
        f"flight: {seen}"
    )
    assert seen["max_abs_probability_difference"] < 1e-6, (
        "the service's probability (features from the online store, schedule only) differs "
        f"from the policy's (week03's features): {seen['max_abs_probability_difference']:.2e}: "
        "training/serving skew"
    )


def test_a_drifting_window_triggers_a_challenger(production):
    looks = production.run.policy.monitoring
    fire_at = production.plan.policy.rules.drift.fire_at
    drifting = [look for look in looks if look["drift_share"] >= fire_at]
    assert drifting, f"no look drifted past {fire_at} in two weeks of April: {looks}"
    first = drifting[0]
    assert "drift" in first["trigger"] and first["alerts"].get("drift") == "firing", first
    kinds = [(e["kind"], e.get("decision")) for e in production.run.policy.events]
    assert ("retrain", "testing") in kinds, f"the trigger's challenger never took traffic: {kinds}"


def test_the_split_reached_the_live_service(production):
    from week05_ml_api.predlog import read_log
    from week13_retrain.service import read_assignments

    answers = pd.DataFrame(production.run.answers)
    arms = set(answers["arm"])
    assert arms == {"champion", "challenger"}, f"live answers came from {arms}"
    from capstone.simulate import metric_samples

    counted = metric_samples(production.service.metrics(), "week13_ab_requests_total", "arm")
    answered = answers["arm"].value_counts().to_dict()
    assert counted == {arm: float(n) for arm, n in answered.items()}, (
        f"/metrics counts {counted} requests by arm, the run's client got {answered}"
    )
    folder = production.out / "service" / "predictions"
    logged = read_log(folder)
    assert len(logged) == len(answers), "one prediction log line per answered flight"
    assert set(read_assignments(folder)["arm"]) == arms


def test_running_a_day_again_changes_nothing(production):
    from week09_data_pipeline.pipeline import run_day, snapshot

    run = production.run
    last = run.days[-1]
    assert last["batch_version"] == run.policy.champion.version or last["challenger"] == ""
    before = snapshot(run.pipeline)
    run_day(production.plan.end, run.pipeline, train=False)
    assert snapshot(run.pipeline) == before, (
        "re-running the last day changed the warehouse, the store or the predictions"
    )


def test_the_outputs_say_what_happened(production):
    from capstone.report import markdown, stable, write_all
    from capstone.simulate import collect

    out = production.out
    results = collect(production.run, production.service.metrics(), command="check", out=out)
    paths = write_all(results, out)
    saved = json.loads(paths["json"].read_text())
    assert paths["md"].read_text() == markdown(saved), "results.md is made from results.json"
    assert saved["days"] == 14 and saved["flights_served"] > 10_000
    assert {m["month"] for m in saved["months"]} == {4}
    assert saved["decisions"][0]["kind"] == "champion"
    assert saved["service"]["metrics_requests_by_arm"].keys() >= {"champion", "challenger"}
    assert "timings" not in stable(saved) and "latency" not in stable(saved)["service"]
    page = paths["html"].read_text()
    assert page.count('src="data:image/png;base64,') == 5, "five plots, inlined"
    assert not re.search(r'(src|href)="https?://', page), "the report is one self-contained file"
