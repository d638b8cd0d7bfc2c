"""A bound on request bodies, counted while they stream: without one, a 50 MB string in one
field is read, parsed and echoed back in full by the error answer before anything refuses it.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Room per batch row: a flight with every feature is about 620 bytes of JSON (examples/).
BYTES_PER_ROW = 2048
#: Room for the envelope of a body and for a one-flight request.
BASE_BYTES = 64 * 1024


def body_limit(max_batch: int) -> int:
    """The largest body the API reads, sized so that the largest batch it accepts always fits:
    ``max_batch`` rows of :data:`BYTES_PER_ROW`, plus :data:`BASE_BYTES`."""
    return BASE_BYTES + max_batch * BYTES_PER_ROW


class BodyLimit:
    """Refuse (413) an HTTP request whose body is over ``max_bytes``, before the app has parsed
    anything: at once when its ``Content-Length`` says so, else (a chunked body declares no
    length) as soon as the bytes received pass it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        detail = f"the request body is over {max_bytes:,} bytes: send smaller batches"
        self.refusal = JSONResponse({"detail": detail}, 413, headers={"connection": "close"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self.refusal(scope, receive, send)
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
                        await self.refusal(scope, receive, send)
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
