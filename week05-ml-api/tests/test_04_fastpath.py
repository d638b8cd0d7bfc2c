"""Exercise 4: the fast path gives the Pipeline's probabilities, to 1e-6, on real flights."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import OrdinalEncoder

from week05_ml_api.fastpath import FastModel


def _layout(fastpath, pipeline):
    prepare = pipeline.named_steps["prepare"]
    encoder = prepare.named_transformers_["cat"]
    categorical = list(prepare.transformers_[0][2])
    numeric = list(prepare.transformers_[1][2])
    return [*categorical, *numeric], fastpath.category_maps(encoder, categorical)


@pytest.mark.exercise("fast path")
@pytest.mark.points(1)
@pytest.mark.hint("enumerate(encoder.categories_[i]) gives (index, category)")
def test_category_maps_match_the_encoder(fastpath, pipeline):
    _, maps = _layout(fastpath, pipeline)
    encoder = pipeline.named_steps["prepare"].named_transformers_["cat"]
    assert set(maps) == {"carrier", "origin", "dest", "plane_engine"}, sorted(maps)
    assert maps["carrier"]["B6"] == list(encoder.categories_[0]).index("B6")
    for column, categories in zip(["carrier", "origin", "dest"], encoder.categories_, strict=False):
        expected = {value: float(i) for i, value in enumerate(categories)}
        assert maps[column] == expected, f"{column}: every category at its encoder index"
        kinds = {type(i).__name__ for i in maps[column].values()}
        assert kinds == {"float"}, f"{column}: indices are {kinds}; the docstring says floats"


@pytest.mark.exercise("fast path")
@pytest.mark.points(1)
@pytest.mark.hint("the encoder lists a missing value (None/NaN) last: skip it, it has no index")
def test_missing_is_not_a_category(fastpath, pipeline):
    _, maps = _layout(fastpath, pipeline)
    for column, mapping in maps.items():
        bad = [k for k in mapping if k is None or (isinstance(k, float) and math.isnan(k))]
        assert not bad, f"{column}: a missing value got index {mapping[bad[0]]}; it must be NaN"


@pytest.mark.exercise("fast path")
@pytest.mark.points(1)
@pytest.mark.hint("a missing value may be listed as None or as a float NaN: skip both")
@pytest.mark.parametrize("missing", [None, math.nan], ids=["None", "NaN"])
def test_missing_is_skipped_in_either_form(fastpath, missing):
    frame = pd.DataFrame({"a": ["y", "x", missing, "y"], "b": ["p", "q", "p", missing]})
    encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan)
    encoder.fit(frame)
    maps = fastpath.category_maps(encoder, ["a", "b"])
    assert maps == {"a": {"x": 0.0, "y": 1.0}, "b": {"p": 0.0, "q": 1.0}}, (
        f"the encoder's categories are {[list(c) for c in encoder.categories_]}; the last one "
        f"(missing, as {missing!r}) must get no index, got {maps}"
    )


@pytest.mark.exercise("fast path")
@pytest.mark.points(1)
@pytest.mark.hint("np.array of an empty list has shape (0,): reshape to (len(rows), len(columns))")
def test_no_rows_is_an_empty_matrix_of_the_right_width(fastpath, pipeline):
    columns, maps = _layout(fastpath, pipeline)
    got = fastpath.encode_rows([], columns, maps)
    assert got.shape == (0, len(columns)), (
        f"shape {got.shape}: the docstring promises (len(rows), len(columns)) = "
        f"(0, {len(columns)}), what the booster expects"
    )


@pytest.mark.exercise("fast path")
@pytest.mark.points(1)
@pytest.mark.hint(
    "an unseen carrier is NaN (what handle_unknown='use_encoded_value' gives), "
    "not -1 and not 0 (index 0 is a real carrier)"
)
def test_unknown_category_is_nan(fastpath, pipeline, rows):
    columns, maps = _layout(fastpath, pipeline)
    got = fastpath.encode_rows([{**rows[0], "carrier": "ZZ"}], columns, maps)
    assert math.isnan(got[0, columns.index("carrier")]), (
        f"carrier 'ZZ' was never seen: expected NaN, got {got[0, columns.index('carrier')]}"
    )


@pytest.mark.exercise("fast path")
@pytest.mark.points(1)
@pytest.mark.hint("None (JSON null) must become NaN, for categories and numbers alike")
def test_missing_values_are_nan(fastpath, pipeline, rows):
    columns, maps = _layout(fastpath, pipeline)
    row = {**rows[0], "plane_engine": None, "temp": None}
    got = fastpath.encode_rows([row], columns, maps)
    assert got.dtype == np.float64, f"dtype should be float64, got {got.dtype}"
    for name in ("plane_engine", "temp"):
        assert math.isnan(got[0, columns.index(name)]), f"{name}=None should be NaN"


@pytest.mark.exercise("fast path")
@pytest.mark.points(2)
@pytest.mark.hint(
    "cell [i, j] encodes rows[i][columns[j]]: the message names the first cell that differs "
    "from the ColumnTransformer's, and what it should have been"
)
def test_rows_encode_like_the_column_transformer(fastpath, pipeline, rows):
    columns, maps = _layout(fastpath, pipeline)
    sample = rows[:300]
    got = fastpath.encode_rows(sample, columns, maps)
    expected = pipeline.named_steps["prepare"].transform(_frame(pipeline, sample))
    assert got.shape == expected.shape, f"shape {got.shape}, the Pipeline gives {expected.shape}"
    problem = _first_difference(got, expected, columns, sample, maps)
    assert problem is None, f"your matrix differs from the ColumnTransformer's: {problem}"


@pytest.mark.exercise("fast path")
@pytest.mark.points(2)
@pytest.mark.hint(
    "one cell unlike the Pipeline's moves the probability: most often an unseen category or a "
    "missing value encoded as a number instead of NaN"
)
def test_probabilities_equal_the_pipeline(fastpath, pipeline, rows):
    columns, maps = _layout(fastpath, pipeline)
    # real flights, plus some with a new carrier / destination: where -1 and NaN part ways
    sample = [
        *rows[:500],
        *({**r, "carrier": "ZZ"} for r in rows[500:600]),
        *({**r, "dest": "QQQ", "plane_engine": None} for r in rows[600:700]),
    ]
    booster = pipeline.named_steps["model"].get_booster()
    fast = booster.inplace_predict(fastpath.encode_rows(sample, columns, maps))
    slow = pipeline.predict_proba(_frame(pipeline, sample))[:, 1]
    worst = float(np.max(np.abs(fast - slow)))
    assert worst < 1e-6, f"largest difference {worst:.2e} over {len(sample)} flights (limit 1e-6)"


def _first_difference(got, expected, columns, sample, maps) -> str | None:
    """The first cell where ``got`` and ``expected`` differ, with its likely cause; None when
    they are equal (NaN where NaN)."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"its cells are not numbers (dtype {got.dtype}): the booster needs float64"
    same = (got == expected) | (np.isnan(got) & np.isnan(expected))
    if same.all():
        return None
    wrong_columns = [columns[j] for j in np.flatnonzero(~same.all(axis=0))]
    i, j = (int(k) for k in np.argwhere(~same)[0])
    column, value, want, have = columns[j], sample[i].get(columns[j]), expected[i, j], got[i, j]
    where = f"row {i}, column {j} ({column}={value!r}): expected {want}, got {have}"
    if len(wrong_columns) > len(columns) // 2:
        cause = (
            f"{len(wrong_columns)} of {len(columns)} columns differ: is column j of your matrix "
            "the value of columns[j], in the order of `columns`?"
        )
    elif math.isnan(want) and value is None:
        cause = f"{column} is missing (None): expected NaN, for categories and numbers alike"
    elif math.isnan(want):
        cause = (
            f"{column} {value!r} was never seen in training: expected NaN "
            "(not -1, not 0: index 0 is a real category)"
        )
    elif column in maps:
        cause = f"{value!r} should be its index in maps[{column!r}]"
    else:
        cause = f"{column} is a number column: its value passes through unchanged"
    shown = ", ".join(wrong_columns[:5]) + (", ..." if len(wrong_columns) > 5 else "")
    return f"{where}. {cause} (columns that differ: {shown})"


def _frame(pipeline, rows) -> pd.DataFrame:
    """``rows`` as the Pipeline's input: a DataFrame, numbers as float64 (None -> NaN)."""
    prepare = pipeline.named_steps["prepare"]
    categorical, numeric = list(prepare.transformers_[0][2]), list(prepare.transformers_[1][2])
    frame = pd.DataFrame.from_records(list(rows), columns=[*categorical, *numeric])
    return frame.astype(dict.fromkeys(numeric, "float64"))


def test_reference_fast_model_matches_pipeline_on_every_scoring_flight(pipeline, rows):
    fast = FastModel.from_pipeline(pipeline)
    slow = pipeline.predict_proba(_frame(pipeline, rows))[:, 1]
    assert np.max(np.abs(fast.predict(rows) - slow)) < 1e-6
    assert len(rows) > 5000


def test_fast_model_refuses_other_pipelines():
    from week03_ml.models import make_baseline

    with pytest.raises(ValueError, match="fast path"):
        FastModel.from_pipeline(make_baseline())


def test_columns_encode_like_rows(pipeline, rows):
    """The columnar body (and week 10's Spark scoring) encodes column by column: the same
    matrix, NaN where NaN, as the rows."""
    from week05_ml_api.fastpath import encode_rows

    fast = FastModel.from_pipeline(pipeline)
    sample = [*rows[:200], {**rows[0], "carrier": "ZZ", "plane_engine": None, "temp": None}]
    columns = {c: [r[c] for r in sample] for c in fast.columns}
    columns["temp"] = np.array(columns["temp"], dtype=np.float64)  # NaN for a missing number
    np.testing.assert_array_equal(
        fast.encode_columns(columns, len(sample)), encode_rows(sample, fast.columns, fast.maps)
    )


def test_small_batches_through_treelite_equal_the_pipeline(pipeline, rows):
    from week05_ml_api.fastpath import SMALL_BATCH

    fast = FastModel.from_pipeline(pipeline)
    assert fast.trees is not None, "week 3's booster converts to treelite"
    sample = [*rows[:300], *({**r, "carrier": "ZZ", "temp": None} for r in rows[300:400])]
    slow = pipeline.predict_proba(_frame(pipeline, sample))[:, 1]
    one_by_one = np.array([fast.predict([row])[0] for row in sample])
    assert np.max(np.abs(one_by_one - slow)) < 1e-6, "one flight: treelite's predictor"
    small = np.concatenate([fast.predict(sample[i : i + SMALL_BATCH]) for i in range(0, 400, 4)])
    assert np.max(np.abs(small - slow)) < 1e-6
    booster_only = FastModel(fast.columns, fast.maps, fast.booster)  # as week 10 builds it
    assert np.max(np.abs(booster_only.predict(sample[:1]) - slow[:1])) < 1e-6
