"""The course's process helper (``week05_ml_api.process``): a server runs from the moment its
health URL answers to the end of the block, then it and every process it started are gone."""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from week05_ml_api.process import free_port, running, wait_until_up

# a server that starts a child of its own first (as uvicorn starts its workers)
SERVER = """
import http.server, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open(sys.argv[2], "w").write(str(child.pid))
time.sleep(float(sys.argv[3]))
handler = http.server.SimpleHTTPRequestHandler
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")  # a zombie (exited, not yet reaped) is gone too
    return not stat.exists() or stat.read_text().rsplit(")", 1)[-1].split()[0] != "Z"


def test_the_block_runs_while_the_server_answers_and_stops_it_with_its_children(tmp_path):
    port, pid_file = free_port(), tmp_path / "child.pid"
    command = [sys.executable, "-c", SERVER, str(port), str(pid_file), "0.5"]
    url = f"http://127.0.0.1:{port}/"
    with running(command, url, {"GREETING": "hi"}, tmp_path / "server.log") as process:
        assert urllib.request.urlopen(url, timeout=5).status == 200, "up when the block starts"
        child = int(pid_file.read_text())
        assert _alive(process.pid) and _alive(child)
    assert process.poll() is not None, "the server is stopped when the block ends"
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "and so is the process it started"


def test_a_server_that_exits_before_answering_is_an_error_naming_its_code(tmp_path):
    command = [sys.executable, "-c", "raise SystemExit(3)"]
    with (
        pytest.raises(RuntimeError, match="exited with code 3"),
        running(command, f"http://127.0.0.1:{free_port()}/", timeout=30),
    ):
        pytest.fail("the block must not run")


def test_waiting_gives_up_after_the_timeout():
    began = time.monotonic()
    with pytest.raises(RuntimeError, match="did not answer within 1 s"):
        wait_until_up(f"http://127.0.0.1:{free_port()}/", timeout=1.0)
    assert time.monotonic() - began < 10


# a run that holds a server in `running` and is then killed outright (SIGKILL: no finally runs)
PARENT = """
import sys, time
from pathlib import Path
from week05_ml_api.process import running
port, folder = sys.argv[1], Path(sys.argv[2])
command = [sys.executable, "-c", sys.argv[3], port, str(folder / "child.pid"), "0"]
with running(command, f"http://127.0.0.1:{port}/", log_file=folder / "server.log"):
    (folder / "up").touch()
    time.sleep(120)
"""
# the server stops its own child on SIGTERM, as uvicorn stops its workers
STOPPING_SERVER = SERVER.replace(
    "import http.server, subprocess, sys, time",
    "import http.server, signal, subprocess, sys, time\n"
    "signal.signal(signal.SIGTERM, lambda *_: (child.kill(), sys.exit(0)))",
)


@pytest.mark.budget(90)
def test_a_killed_run_leaves_no_server_answering(tmp_path):
    import signal
    import subprocess
    import urllib.error

    port = free_port()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(port), str(tmp_path), STOPPING_SERVER]
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "up").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "up").exists(), f"the server never came up: {parent.poll()}"
    child = int((tmp_path / "child.pid").read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    answering = True
    while answering and time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            time.sleep(0.1)
        except (urllib.error.URLError, OSError):
            answering = False
    assert not answering, "10 s after its run was killed, the server still answers"
    while _alive(child) and time.monotonic() < deadline + 5:
        time.sleep(0.05)
    assert not _alive(child), "the server's own child outlived the killed run"
