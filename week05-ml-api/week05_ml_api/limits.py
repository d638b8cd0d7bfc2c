"""A bound on request bodies, counted while they stream.

Without one, a 50 MB string in one field is read, parsed and echoed back in full by the error
answer before anything refuses it. :class:`BodyLimit` answers 413 as soon as the declared
``Content-Length`` or the bytes received so far (a chunked body declares no length) pass
``max_bytes``, before the app has parsed anything. :func:`body_limit` sizes it from the batch
cap: the largest batch the API accepts always fits.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Room per batch row: a flight with every feature is about 620 bytes of JSON (examples/).
BYTES_PER_ROW = 2048
#: Room for the envelope of a body and for a one-flight request.
BASE_BYTES = 64 * 1024


def body_limit(max_batch: int) -> int:
    """The largest body the API reads: ``max_batch`` rows of :data:`BYTES_PER_ROW`, plus
    :data:`BASE_BYTES`."""
    return BASE_BYTES + max_batch * BYTES_PER_ROW


class BodyLimit:
    """Refuse (413) an HTTP request whose body is over ``max_bytes``: at once when its
    ``Content-Length`` says so, else when the bytes received pass it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = refused = False

        async def counted() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    if not started:
                        await self._refuse(send)
                    refused = True
                    # to the app, the client is gone: it stops reading and answers no one
                    return {"type": "http.disconnect"}
            return message

        async def noted(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the client has its 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, noted)
        except Exception:
            if not refused:  # the app's own failure: not ours to hide
                raise

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"detail": f"the request body is over {self.max_bytes:,} bytes: send smaller batches"}
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
