"""Several uvicorn workers on one port, each with its own listening socket.

``uvicorn --workers N`` binds one socket in the parent and hands it to every worker. Whichever
worker wakes first accepts every connection that is waiting, and keep-alive clients then stay
on the worker they landed on. Measured here with 16 keep-alive clients sending 1,000-row
batches to 2 workers: when all 16 connections landed on one worker (it happens often), that
worker did all the work, the other idled, and throughput halved (80 instead of 160 req/s).

With ``SO_REUSEPORT`` each worker binds a socket of its own to the same port, and the Linux
kernel spreads new connections over them by a hash of the client's address and port. This
module starts the workers that way; elsewhere (macOS, Windows), or with one worker, it hands
over to ``uvicorn.run``.

The workers also share one counter of the requests being answered (:func:`answering`): a
large batch that arrives while it is the only one may use every core, instead of leaving the
other cores idle.

Several workers also means several copies of the model. ``POST /admin/reload`` reaches one
worker; that worker reloads, answers, and tells this supervisor (:func:`announce_reload`),
which passes the folder on to every other worker (:func:`listen_for_reloads`). They load it
in the background, so for about the time one load takes some answers still carry the old
version; a worker whose load fails keeps its model and says so on ``/health/ready``. Two
reloads of *different* models at the same moment may leave workers disagreeing: reload one
model at a time.

Only on Linux: elsewhere ``uvicorn.run`` shares one socket between the workers and this
module's relay and shared count do not exist (a reload reaches one worker).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from types import FrameType
from typing import Any

import uvicorn

log = logging.getLogger(__name__)

#: in a worker started by :func:`serve`: (to the supervisor, from the supervisor)
_PIPES: tuple[Connection, Connection] | None = None
#: requests being answered, by every worker of the server (shared memory); in a server of one
#: process, made on first use and counting that process's requests
_BUSY: Any = None


def _counter() -> Any:
    global _BUSY
    if _BUSY is None:
        _BUSY = multiprocessing.Value("i", 0)
    return _BUSY


@contextmanager
def answering() -> Iterator[None]:
    """Count one request as being answered while the block runs (see :func:`busy`)."""
    counter = _counter()
    with counter.get_lock():
        counter.value += 1
    try:
        yield
    finally:
        with counter.get_lock():
            counter.value -= 1


def busy() -> int:
    """How many requests the whole server is answering now (1: only the caller's own, the
    other cores are idle)."""
    return int(_counter().value)


def reuse_port_supported() -> bool:
    """Linux balances connections across ``SO_REUSEPORT`` sockets; other systems do not."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def check_port_free(host: str, port: int) -> int:
    """The port, after checking nothing else holds ``host:port`` (``OSError`` if something
    does); port 0 becomes a free port, the same for every worker.

    Checked with a plain socket first: a second server started with ``SO_REUSEPORT`` on a busy
    port would not fail, it would silently share the port with the first one.
    """
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        return int(probe.getsockname()[1])


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT``, listening."""
    # proto=IPPROTO_TCP: asyncio turns Nagle's algorithm off only on sockets that say TCP
    sock = socket.socket(_family(host), socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    # listening at once, before the model loads: the port is visibly taken (a second server's
    # check_port_free fails), and early connections wait in the backlog
    sock.listen(2048)
    return sock


def announce_reload(model_dir: str) -> None:
    """Called by the worker that reloaded: the supervisor tells the other workers. A no-op in
    a server with one process."""
    if _PIPES is not None:
        _PIPES[0].send(model_dir)


def listen_for_reloads(reload: Callable[[str], object]) -> None:
    """In a worker: call ``reload(model_dir)`` for every reload another worker announces (on a
    daemon thread; loading happens beside the requests, and the swap is atomic)."""
    if _PIPES is None:
        return
    inbox = _PIPES[1]

    def listen() -> None:
        while True:
            try:
                model_dir = inbox.recv()
            except (EOFError, OSError):  # the supervisor is gone (killed): do not live on
                log.error("the supervisor is gone: stopping this worker")
                os.kill(os.getpid(), signal.SIGTERM)
                return
            try:
                reload(model_dir)
            except Exception:  # the old model keeps serving; the log says why
                log.exception("reload of %s announced by another worker failed", model_dir)

    threading.Thread(target=listen, name="reload-listener", daemon=True).start()


def _worker(
    app: str,
    host: str,
    port: int,
    options: dict[str, Any],
    pipes: tuple[Connection, Connection],
    busy: Any,
) -> None:
    global _PIPES, _BUSY
    _PIPES, _BUSY = pipes, busy
    config = uvicorn.Config(app, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[reuse_port_socket(host, port)])


def serve(app: str, *, host: str, port: int, workers: int = 1, **options: Any) -> int:
    """Serve ``app`` (an import string) with ``workers`` processes; returns an exit code.

    ``options`` are ``uvicorn.Config`` arguments (``factory``, ``log_level``, ...). The parent
    only watches: when one worker exits (a crash, or the signal to stop), it stops the others
    and returns, so a container restarts as a whole instead of running with fewer workers.
    """
    if workers <= 1 or not reuse_port_supported():
        uvicorn.run(app, host=host, port=port, workers=workers, **options)
        return 0
    port = check_port_free(host, port)
    context = multiprocessing.get_context("spawn")  # no half-copied threads or event loops
    inboxes, outboxes = [], []  # the supervisor's ends: from each worker, to each worker
    busy = context.Value("i", 0)
    processes = []
    for i in range(workers):
        from_worker, to_supervisor = context.Pipe(duplex=False)
        from_supervisor, to_worker = context.Pipe(duplex=False)
        inboxes.append(from_worker)
        outboxes.append(to_worker)
        processes.append(
            context.Process(
                target=_worker,
                args=(app, host, port, options, (to_supervisor, from_supervisor), busy),
                name=f"worker-{i}",
            )
        )
    asked: list[int] = []  # the signal that asked us to stop, if any

    def stop(signum: int, frame: FrameType | None) -> None:
        asked.append(signum)
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for process in processes:
            process.start()
        if asked:  # a signal came while they were starting
            stop(asked[0], None)
        log.info("%d workers on %s:%d, one SO_REUSEPORT socket each", workers, host, port)
        sentinels = [process.sentinel for process in processes]
        while True:
            ready = wait([*sentinels, *inboxes])
            if any(sentinel in ready for sentinel in sentinels):
                break
            _relay(inboxes, outboxes)
        if not asked:
            log.error("a worker stopped on its own: stopping the others")
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join(timeout=30)  # uvicorn's graceful shutdown, then no more patience
            if process.is_alive():
                process.kill()
                process.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    # uvicorn re-raises the signal it stopped on, so a worker we stopped ends with -SIGTERM
    clean = {0, -signal.SIGTERM, -signal.SIGINT}
    return 0 if asked and all(process.exitcode in clean for process in processes) else 1


def _relay(inboxes: list[Connection], outboxes: list[Connection]) -> None:
    """Pass each announced reload on to every worker but the one that announced it."""
    for i, inbox in enumerate(inboxes):
        while inbox.poll():
            try:
                model_dir = inbox.recv()
            except (EOFError, OSError):  # that worker is exiting; its sentinel will say so
                break
            for j, outbox in enumerate(outboxes):
                if j != i:
                    outbox.send(model_dir)
