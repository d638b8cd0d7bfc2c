"""An S3 server on 127.0.0.1 for tests, notebooks and first runs: moto's threaded server.

It speaks the real S3 protocol over HTTP, so the code under test is exactly the code that runs
against AWS or MinIO: only ``AWS_ENDPOINT_URL`` differs. It keeps its buckets in memory and
forgets them when it stops (use MinIO for a store that outlives the process)::

    with s3_emulator() as endpoint:          # http://127.0.0.1:<free port>
        settings = get_settings(endpoint_url=endpoint, access_key_id="testing", ...)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from week06_mlflow.server import free_port

log = logging.getLogger(__name__)

#: moto accepts any credentials; these make it obvious in a log that nothing real was used.
FAKE_CREDENTIALS = {"access_key_id": "testing", "secret_access_key": "testing"}


@contextmanager
def s3_emulator(port: int | None = None) -> Iterator[str]:
    """Start moto's S3 server on 127.0.0.1 (a free port by default); yield its endpoint URL;
    always stop it."""
    from moto.server import ThreadedMotoServer

    port = port or free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    log.info("S3 emulator (moto) listening on %s", endpoint)
    try:
        yield endpoint
    finally:
        server.stop()
        log.info("S3 emulator on %s stopped", endpoint)
