"""Exercise 3: readiness — never "ready" without a model; a failed reload keeps serving."""

from __future__ import annotations

import pytest


@pytest.mark.exercise("readiness")
@pytest.mark.points(1)
@pytest.mark.hint("no model_version means no model: 503, whatever else you know")
@pytest.mark.parametrize(
    ("version", "error", "code", "state"),
    [
        pytest.param(None, None, 503, "loading", id="still-loading"),
        pytest.param(None, "FileNotFoundError: model.joblib", 503, "failed", id="load-failed"),
        pytest.param("abc123", None, 200, "ready", id="loaded"),
        pytest.param("abc123", "reload failed", 200, "ready", id="reload-failed-old-serves"),
    ],
)
def test_status_code_and_state(health, version, error, code, state):
    got_code, body = health.readiness(version, error)
    assert got_code == code, (
        f"model_version={version!r}, load_error={error!r}: expected HTTP {code}, got {got_code}"
        + (" — a replica without a model must not get traffic" if version is None else "")
        + (" — the old model still answers, keep the replica in rotation" if version else "")
    )
    assert body.status == state, f"expected status {state!r}, got {body.status!r}"


@pytest.mark.exercise("readiness")
@pytest.mark.points(1)
@pytest.mark.hint("put model_version in the body when ready, and the error in detail")
def test_body_says_which_model_and_why(health):
    _, ready = health.readiness("abc123", None)
    assert ready.model_version == "abc123", "the ready body names the version being served"
    _, failed = health.readiness(None, "FileNotFoundError: model.joblib")
    assert failed.detail and "model.joblib" in failed.detail, (
        "a failed load must say why (detail), or the on-call engineer has to read the logs"
    )


@pytest.mark.exercise("readiness")
@pytest.mark.points(2)
@pytest.mark.hint("ready with a load error: keep the version AND report the error in detail")
def test_failed_reload_is_reported_while_ready(health):
    code, body = health.readiness("abc123", "reload failed: FileNotFoundError: model.joblib")
    assert (code, body.status, body.model_version) == (200, "ready", "abc123"), (
        f"the old model abc123 still serves after a failed reload, got {code} {body}"
    )
    assert body.detail and "model.joblib" in body.detail, (
        f"detail {body.detail!r}: a failed reload must still be reported, or nobody learns that "
        "the new model never went live"
    )
