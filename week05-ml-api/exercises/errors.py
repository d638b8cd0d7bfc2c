"""Exercise 1 — validation errors a caller can act on (REST 422 and gRPC INVALID_ARGUMENT).

pydantic reports each problem as a dict such as::

    {"loc": ("body", "flights", 3, "dep_hour"), "type": "less_than_equal",
     "msg": "Input should be less than or equal to 23", "input": 25, "ctx": {...}}

The API's 422 body (and the gRPC error text) uses a stable, friendlier shape::

    {"field": "flights[3].dep_hour", "rule": "less_than_equal",
     "message": "Input should be less than or equal to 23", "input": 25}

Check your work with ``uv run course grade week05``; stuck? ``uv run course hint week05
error_details`` gives one hint step at a time. The reference solution lives in
``week05_ml_api/errors.py``: look only once you are done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Where FastAPI says a value came from; not part of the field's name.
SOURCES = frozenset({"body", "query", "path", "header", "cookie"})


def error_details(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Turn pydantic's error dicts into the API's ``{"field", "rule", "message", "input"}`` shape.

    A client that sent a batch of 500 flights needs to know *which* flight and *which* field to
    fix, and by which rule; pydantic knows, but says it in its own words (a location tuple that
    starts with where FastAPI read the value). This is the one place both transports word it.

    Args:
        errors: pydantic's errors, as ``ValidationError.errors()`` (or FastAPI) gives them: each
            a mapping with ``"loc"`` (a tuple of field names and list indices), ``"type"``,
            ``"msg"`` and, usually, ``"input"`` (other keys such as ``"ctx"`` are ignored).

    Returns:
        A new list with one dict per error, in the same order, each with exactly the keys
        ``"field"``, ``"rule"``, ``"message"`` and ``"input"``:

        - ``field``: the location written as a caller reads it. A first part that is one of
          :data:`SOURCES` (``"body"``, ``"query"``, ...) is left out; names are joined with
          ``.``; a list index is written ``[i]`` right after what it indexes, with no dot:
          ``("body", "flights", 3, "dep_hour")`` -> ``"flights[3].dep_hour"``,
          ``("query", "limit")`` -> ``"limit"``, ``("flights", 0, "origin")`` ->
          ``"flights[0].origin"``, ``("body", "matrix", 2, 0)`` -> ``"matrix[2][0]"``. An error
          about the whole body (``("body",)``, or an empty location) has field ``""``.
        - ``rule``: the error's ``"type"`` (``"less_than_equal"``, ``"missing"``, ...).
        - ``message``: the error's ``"msg"``, unchanged.
        - ``input``: the rejected value, or ``None`` when the error carries no ``"input"``.

    Raises:
        Nothing for well-formed pydantic errors; a missing ``"input"`` is not an error.

    Invariants (checked):
        - One detail per error, none merged or dropped, in pydantic's order.
        - A location that does not start with a request source keeps every part.
        - Real errors of :class:`~week05_ml_api.schemas.FlightFeatures` and
          :class:`~week05_ml_api.schemas.BatchRequest` give exactly the documented dicts.
    """
    # TODO: your code here
    raise NotImplementedError("error_details")
