"""Validation errors a caller can act on: the field, the rule, the message — for REST and gRPC.

pydantic reports an error as ``{"loc": ("body", "flights", 3, "dep_hour"), "type":
"less_than_equal", "msg": "Input should be less than or equal to 23", "input": 25, ...}``.
:func:`error_details` turns that into the API's stable shape::

    {"field": "flights[3].dep_hour", "rule": "less_than_equal",
     "message": "Input should be less than or equal to 23", "input": 25}

The REST app answers 422 with ``{"detail": [...]}`` of these; the gRPC service answers
INVALID_ARGUMENT with :func:`describe` of the same list, so both transports say the same thing.
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
    """
    details = []
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc and loc[0] in SOURCES:
            loc = loc[1:]
        field = ""
        for part in loc:
            if isinstance(part, int):
                field += f"[{part}]"
            else:
                field += f".{part}" if field else str(part)
        details.append(
            {
                "field": field,
                "rule": str(error.get("type", "")),
                "message": str(error.get("msg", "")),
                "input": error.get("input"),
            }
        )
    return details


def describe(details: Sequence[Mapping[str, Any]]) -> str:
    """One line for logs and gRPC status messages: ``field: rule (message); ...``."""
    return "; ".join(f"{d['field'] or '<request>'}: {d['rule']} ({d['message']})" for d in details)
