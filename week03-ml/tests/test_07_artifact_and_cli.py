"""Reference-only checks (not graded): the saved model's format, the command line, and the
stubs' signatures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from course.testing import expected_error
from week03_ml.artifact import (
    METADATA_FILE,
    MODEL_FILE,
    Model,
    build_metadata,
    load_model,
    save_model,
)
from week03_ml.features import FEATURES

WEEK = Path(__file__).resolve().parents[1]


def _metadata(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "model": "xgboost",
        "target": "is_delayed",
        "features": FEATURES,
        "dtypes": {c: "float64" for c in FEATURES},
        "threshold": 0.3,
        "metrics": {"roc_auc": 0.7},
        "training_window": ("2013-01-01", "2013-06-30"),
    }
    return build_metadata(**{**base, **overrides})  # type: ignore[arg-type]


def test_saved_model_round_trips_with_its_metadata(tmp_path, xgb_model, year_split):
    folder = save_model(xgb_model, _metadata(), tmp_path / "model")
    assert {p.name for p in folder.iterdir()} == {MODEL_FILE, METADATA_FILE}
    pipeline, metadata = load_model(folder)
    rows = year_split.test[FEATURES].head(50)
    np.testing.assert_allclose(pipeline.predict_proba(rows), xgb_model.predict_proba(rows))
    assert metadata["features"] == FEATURES
    assert metadata["threshold"] == 0.3
    assert metadata["training_window"] == ["2013-01-01", "2013-06-30"]
    assert {"python", "scikit-learn", "xgboost", "pandas"} <= set(metadata["versions"])
    json.loads((folder / METADATA_FILE).read_text())  # plain JSON, readable by any service


def test_the_model_type_scores_a_frame_by_its_own_features(tmp_path, xgb_model, year_split):
    folder = save_model(xgb_model, _metadata(), tmp_path / "model")
    model = Model.load(folder)
    rows = year_split.test.head(50)  # every column of the table, not only the features
    p = model.predict_proba(rows)
    assert p.dtype == np.float64 and p.shape == (50,)
    np.testing.assert_allclose(p, xgb_model.predict_proba(rows[FEATURES])[:, 1])
    assert model.features == FEATURES and model.threshold == 0.3
    with pytest.raises(KeyError, match="carrier"):
        model.predict_proba(rows.drop(columns="carrier"))


def test_a_version_names_the_files(tmp_path, xgb_model):
    first = Model.load(save_model(xgb_model, _metadata(), tmp_path / "a")).version
    later = {**_metadata(), "created_at": "2014-01-01T00:00:00+00:00"}  # saved again, later
    again = Model.load(save_model(xgb_model, later, tmp_path / "b")).version
    other = Model.load(save_model(xgb_model, _metadata(threshold=0.4), tmp_path / "c")).version
    assert len(first) == 12 and first == again != other


class Sneaky:
    """A class no model needs: a file asking for it must not be loaded."""


def test_loading_never_builds_an_untrusted_class(tmp_path, xgb_model):
    import skops.io as sio
    from sklearn.pipeline import Pipeline

    with pytest.raises(ValueError, match="Sneaky"):
        save_model(Pipeline([("odd", Sneaky())]), _metadata(), tmp_path / "refused")
    assert not (tmp_path / "refused").exists(), "nothing is written for a refused pipeline"
    folder = save_model(xgb_model, _metadata(), tmp_path / "model")
    sio.dump(Pipeline([("odd", Sneaky())]), folder / MODEL_FILE)  # swapped behind our back
    with pytest.raises(ValueError, match="Sneaky"):
        load_model(folder)


def test_a_one_row_request_with_extra_columns_is_served(xgb_model, year_split):
    # week 05 posts one flight at a time, possibly with more fields than the model reads
    row = year_split.test.head(1)  # every raw column, tail number and dep_delay included
    p = xgb_model.predict_proba(row)[:, 1]
    assert 0.0 < p[0] < 1.0


def test_save_refuses_incomplete_metadata(tmp_path):
    with pytest.raises(ValueError, match="threshold"):
        save_model(object(), {"model": "x"}, tmp_path)  # type: ignore[arg-type]


def test_load_names_the_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=MODEL_FILE):
        load_model(tmp_path)


def test_load_refuses_another_format_version(tmp_path, xgb_model):
    folder = save_model(xgb_model, _metadata(), tmp_path)
    metadata = json.loads((folder / METADATA_FILE).read_text())
    metadata["format_version"] = 99
    (folder / METADATA_FILE).write_text(json.dumps(metadata))
    with pytest.raises(ValueError, match="format_version"):
        load_model(folder)


@pytest.mark.slow
def test_cli_trains_saves_and_evaluates(tmp_path, year, monkeypatch):
    from week03_ml import cli

    monkeypatch.setattr(cli, "load_flights", lambda: year)  # the session's copy: no re-read
    runner = CliRunner()
    out = tmp_path / "week03"
    # short windows keep the check fast: train January-February, validate March, test April-
    trained = runner.invoke(
        cli.app,
        [
            "train",
            "--model",
            "logreg",
            "--out",
            str(out),
            "--valid-start",
            "2013-03-01",
            "--test-start",
            "2013-04-01",
        ],
    )
    assert trained.exit_code == 0, trained.output
    assert "logreg" in trained.output and f"saved to {out}" in trained.output.replace("\n", "")
    _, metadata = load_model(out)
    assert metadata["model"] == "logreg"
    assert metadata["training_window"] == ["2013-01-01", "2013-02-28"]
    assert metadata["validation_window"] == ["2013-03-01", "2013-03-31"]
    assert metadata["test_window"] == ["2013-04-01", "2013-12-31"]
    assert metadata["metrics"]["roc_auc"] > 0.65
    evaluated = runner.invoke(cli.app, ["evaluate", "--model-dir", str(out), "--months", "9,10"])
    assert evaluated.exit_code == 0, evaluated.output
    assert {"roc.png", "pr.png", "calibration.png", "monthly_auc.png"} <= {
        p.name for p in (out / "plots").iterdir()
    }


def test_cli_refuses_an_unknown_model():
    from week03_ml.cli import app

    result = CliRunner().invoke(app, ["train", "--model", "forest"])
    assert result.exit_code != 0
    assert "forest" in result.output


@pytest.mark.budget(120)
@pytest.mark.parametrize(
    ("args", "cause", "fix"),
    [
        pytest.param(
            ["evaluate", "--model-dir", "no-model-here"],
            "no saved model in no-model-here",
            "python -m week03_ml train --out no-model-here",
            id="no-model-yet",
        ),
        pytest.param(
            ["train", "--valid-start", "2014-07-01"],
            "--valid-start 2014-07-01",
            "--valid-start 2013-07-01",
            id="date-outside-2013",
        ),
        pytest.param(
            ["evaluate", "--months", "13"],
            "--months must be numbers 1-12",
            "--months 9,10,11,12",
            id="month-13",
        ),
    ],
)
def test_cli_expected_errors_are_one_line_and_exit_2(request, tmp_path, args, cause, fix):
    from week03_ml.cli import app

    # one case through the real command (python -m week03_ml), where run_cli turns the error
    # into one line; the others in-process (the same CourseError, without a Python start-up)
    shell = request.node.callspec.id == "no-model-yet"
    output = expected_error("week03_ml", args, cwd=tmp_path, app=None if shell else app)
    assert cause in output, output
    assert "(fix: python -m week03_ml" in output and fix in output, output
    assert not any(tmp_path.iterdir()), "a refused command wrote into the current folder"


def test_stubs_match_the_reference_signatures():
    from course.grading.signatures import compare_stubs

    assert compare_stubs(WEEK) == []


def test_cached_flights_are_what_a_fresh_build_gives(year):
    from week03_ml.train import load_flights

    fresh = load_flights(months=[1])  # a subset is never cached
    january = year[year["month"] == 1].reset_index(drop=True)
    # the aggregates of January only depend on January: the same with or without the rest
    pd.testing.assert_frame_equal(
        january[FEATURES], fresh[FEATURES].reset_index(drop=True), check_dtype=False
    )
