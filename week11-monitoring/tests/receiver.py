"""A local HTTP receiver standing in for Slack's incoming webhook: it records every POST and
answers with the statuses it is told to (then 200)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    url: str
    failures: list[int] = field(default_factory=list)  # statuses to answer first, in order
    attempts: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)  # bodies answered with 200
    paths: list[str] = field(default_factory=list)


@contextmanager
def webhook_receiver(path: str = "/services/T000/B000/s3cr3tT0ken") -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 (a free port) whose URL has a Slack-like secret path."""
    state = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                state.attempts += 1
                state.paths.append(self.path)
                status = state.failures.pop(0) if state.failures else 200
                if status == 200:
                    state.received.append(json.loads(body))
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"error")

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
