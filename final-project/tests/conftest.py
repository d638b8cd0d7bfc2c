"""Fixtures for the capstone's checks.

``traffic`` and ``policy`` are the graded modules, loaded through the grader's ``solution``
fixture: the reference package by default, your ``exercises/`` file under ``uv run course
grade final-project``. Those checks build small frames and numbers here: no data, no services.

``production`` (not graded, ``slow``) is one short run shared by the reference checks: the
warehouse's history from January to March, a first champion, the composed service live on two
workers, and two weeks of April run day by day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from types import ModuleType, SimpleNamespace

import pytest


@pytest.fixture
def traffic(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("traffic")


@pytest.fixture
def policy(solution: Callable[[str], ModuleType]) -> ModuleType:
    return solution("policy")


@pytest.fixture(scope="session")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """A short production run, shared: 1-14 April 2013 on embedded defaults, the composed
    service live on two workers (``production.service``) until the session ends.

    The policy is week13's with lower levels, so that two weeks show every step: the drift
    alert fires at a share of 0.3, a schedule retrains after 7 days, an A/B test lasts at most
    5 days; the guard watches a promotion for 2 days. Small models (30 trees) keep it fast.
    """
    from capstone import live
    from capstone.production import Production
    from capstone.settings import Guard, Plan, Settings
    from week09_data_pipeline.context import backfill_days
    from week11_monitoring.alerts import AlertRule
    from week13_retrain.settings import Policy
    from week13_retrain.triggers import TriggerRules

    out = tmp_path_factory.mktemp("capstone")
    rules = TriggerRules(
        drift=AlertRule("drift", "drift_share", fire_at=0.3, clear_below=0.2), schedule_days=7
    )
    policy = Policy(window="expanding", n_estimators=30, rules=rules, max_test_days=5)
    plan = Plan(
        start=dt.date(2013, 4, 1), end=dt.date(2013, 4, 14), policy=policy,
        guard=Guard(days=2, min_flights=200),
    )  # fmt: skip
    settings = Settings(out_dir=out, requests_per_day=8, workers=2, seed=7)
    run = Production(settings, plan, out)
    run.prepare()
    champion = f"models:/{settings.model_name}/{run.policy.champion.version}"
    with live.start(
        out / "service", model_uri=champion, tracking_uri=run.tracking_uri,
        database_url=run.database_url, workers=2,
    ) as service:  # fmt: skip
        for day in backfill_days(plan.start, plan.end):
            run.run_day(day, service)
        yield SimpleNamespace(run=run, service=service, out=out, plan=plan, settings=settings)
