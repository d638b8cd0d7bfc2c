"""Exercise 2: the batch cap — 413 beyond it, never a 500, never a silent truncation."""

from __future__ import annotations

import pytest

from week05_ml_api.exceptions import BatchTooLarge


@pytest.mark.exercise("check_batch_size")
@pytest.mark.points(1)
@pytest.mark.hint("exactly `cap` rows is allowed: compare with >, not >=")
@pytest.mark.parametrize("size", [1, 999, 1000], ids=lambda s: f"{s}-rows")
def test_up_to_the_cap_is_fine(batch, size):
    assert batch.check_batch_size(size, 1000) is None


@pytest.mark.exercise("check_batch_size")
@pytest.mark.points(2)
@pytest.mark.hint(
    "too many rows is the client's mistake: only BatchTooLarge (week05_ml_api.exceptions) "
    "becomes a 413; a ValueError or an assert becomes a 500"
)
@pytest.mark.parametrize("size", [1001, 50_000], ids=lambda s: f"{s}-rows")
def test_beyond_the_cap_is_413(batch, size):
    try:
        batch.check_batch_size(size, 1000)
    except BatchTooLarge as exc:
        assert (exc.size, exc.cap) == (size, 1000), (
            f"BatchTooLarge takes the size first, then the cap: got size={exc.size}, cap={exc.cap}"
        )
    except NotImplementedError:
        raise
    except Exception as exc:
        pytest.fail(
            f"{type(exc).__name__} would be a 500 Internal Server Error: the client sent"
            " too much, and only BatchTooLarge is answered with 413"
        )
    else:
        pytest.fail(f"{size} rows passed a cap of 1000: nothing was refused")


@pytest.mark.exercise("check_batch_size")
@pytest.mark.points(1)
@pytest.mark.hint(
    "BatchTooLarge writes the message from the two numbers it is given: give it both, the size "
    "first"
)
def test_detail_names_size_and_cap(batch):
    with pytest.raises(BatchTooLarge) as caught:
        batch.check_batch_size(1234, 1000)
    detail = str(caught.value)
    assert "1234" in detail and "1000" in detail, (
        f"a caller needs the size and the cap to fix the request, got {detail!r}"
    )


@pytest.mark.exercise("check_batch_size")
@pytest.mark.points(1)
@pytest.mark.hint("a cap below 1 is the programmer's mistake: ValueError, naming the value")
@pytest.mark.parametrize("cap", [0, -5], ids=lambda c: f"cap-{c}")
def test_cap_below_one_is_a_value_error(batch, cap):
    with pytest.raises(ValueError) as caught:
        batch.check_batch_size(1, cap)
    assert str(cap) in str(caught.value), (
        f"the ValueError should name the bad cap {cap}, got {str(caught.value)!r}"
    )


@pytest.mark.exercise("check_batch_size")
@pytest.mark.points(1)
@pytest.mark.hint("1 is the smallest valid cap: only a cap *below* 1 is a ValueError")
def test_a_cap_of_one_allows_one_row(batch):
    try:
        got = batch.check_batch_size(1, 1)
    except (ValueError, BatchTooLarge) as exc:
        pytest.fail(
            f"a cap of 1 with 1 row raised {type(exc).__name__}: a cap of 1 is valid "
            "(one flight per request) and exactly `cap` rows are allowed"
        )
    assert got is None
    with pytest.raises(BatchTooLarge) as caught:
        batch.check_batch_size(2, 1)
    assert (caught.value.size, caught.value.cap) == (2, 1), (
        f"2 rows over a cap of 1: {caught.value}"
    )


@pytest.mark.exercise("chunked")
@pytest.mark.points(2)
@pytest.mark.hint(
    "every item once, in order; only the last chunk may be shorter, and an exact multiple "
    "ends without an empty chunk"
)
@pytest.mark.parametrize(
    ("n", "size", "lengths"),
    [
        pytest.param(2500, 1000, [1000, 1000, 500], id="remainder"),
        pytest.param(2000, 1000, [1000, 1000], id="exact-no-empty-tail"),
        pytest.param(0, 1000, [], id="nothing"),
        pytest.param(3, 1, [1, 1, 1], id="size-1"),
    ],
)
def test_chunks_keep_every_item_in_order(batch, n, size, lengths):
    items = list(range(n))
    chunks = list(batch.chunked(items, size))
    assert [len(c) for c in chunks] == lengths, f"chunk sizes {[len(c) for c in chunks]}"
    assert [x for c in chunks for x in c] == items, "every item once, in order"


@pytest.mark.exercise("chunked")
@pytest.mark.points(1)
@pytest.mark.hint("check size before yielding: size 0 would loop forever")
def test_chunk_size_below_one_is_refused(batch):
    with pytest.raises(ValueError, match="size"):
        list(batch.chunked([1, 2], 0))
