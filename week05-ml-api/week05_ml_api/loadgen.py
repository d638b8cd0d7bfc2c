"""A small closed-loop HTTP load generator: asyncio streams, keep-alive, fixed duration.

``concurrency`` connections each send a request, wait for the whole answer, and send the next,
until ``duration`` seconds have passed. Raw asyncio streams instead of an HTTP client library:
on a 2-core machine the generator shares the CPU with the servers it measures, and httpx costs
several times more CPU per request than writing pre-built request bytes does.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LoadResult:
    """What one run measured."""

    requests: int
    errors: int
    rows: int
    seconds: float
    latencies_ms: np.ndarray

    @property
    def req_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Latency percentile in ms (NaN when nothing succeeded)."""
        if self.latencies_ms.size == 0:
            return float("nan")
        return float(np.percentile(self.latencies_ms, q))


def build_request(host: str, port: int, path: str, body: bytes) -> bytes:
    """An HTTP/1.1 keep-alive POST of a JSON ``body``."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Content-Type: application/json\r\nAccept: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one response; return its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    code = int(lines[0].split(" ", 2)[1])
    headers = {
        k.strip().lower(): v.strip()
        for k, _, v in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return code


async def _worker(
    host: str,
    port: int,
    requests: Sequence[bytes],
    rows: int,
    start: int,
    deadline: float,
    out: list[tuple[float, bool]],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for payload in itertools.islice(itertools.cycle(requests), start, None):
            if time.perf_counter() >= deadline:
                break
            began = time.perf_counter()
            writer.write(payload)
            await writer.drain()
            code = await _read_response(reader)
            out.append(((time.perf_counter() - began) * 1000, code == 200))
    finally:
        writer.close()


async def run_load(
    host: str,
    port: int,
    requests: Sequence[bytes],
    *,
    rows_per_request: int,
    concurrency: int,
    duration: float,
) -> LoadResult:
    """Drive ``requests`` (cycled; each worker starts at a different one) for ``duration`` s."""
    out: list[tuple[float, bool]] = []
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(
            _worker(host, port, requests, rows_per_request, i * 97, deadline, out)
            for i in range(concurrency)
        )
    )
    seconds = time.perf_counter() - started
    ok = np.array([ms for ms, good in out if good], dtype=np.float64)
    errors = sum(1 for _, good in out if not good)
    return LoadResult(len(ok), errors, len(ok) * rows_per_request, seconds, ok)
