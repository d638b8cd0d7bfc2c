"""Exercise 1 — validation errors a caller can act on (REST 422 and gRPC INVALID_ARGUMENT).

pydantic reports each problem as a dict such as::

    {"loc": ("body", "flights", 3, "dep_hour"), "type": "less_than_equal",
     "msg": "Input should be less than or equal to 23", "input": 25, "ctx": {...}}

The API's 422 body (and the gRPC error text) uses a stable, friendlier shape::

    {"field": "flights[3].dep_hour", "rule": "less_than_equal",
     "message": "Input should be less than or equal to 23", "input": 25}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Where FastAPI says a value came from; not part of the field's name.
SOURCES = frozenset({"body", "query", "path", "header", "cookie"})


def error_details(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One ``{"field", "rule", "message", "input"}`` dict per pydantic error, in order.

    ``field`` joins the location with dots, list indices in brackets (``flights[3].dep_hour``)
    and leaves out the request part (``body``, ``query``...); an error about the whole body has
    ``field`` ``""``. ``rule`` is the error's ``type``, ``message`` its ``msg``, ``input`` the
    rejected value (``None`` when pydantic gives none).

    Steps:
      1. For each error, take ``loc`` as a list; drop its first part if it is in ``SOURCES``.
      2. Build the field name: strings joined with ``.``, integers written as ``[i]`` glued to
         what comes before (``("flights", 3, "dep_hour")`` -> ``"flights[3].dep_hour"``).
      3. Use ``error.get(...)``: not every error has an ``input``.
    """
    # TODO: your code here
    raise NotImplementedError("error_details")
