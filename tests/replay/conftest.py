"""A demo crawl whose server logs every request, `newsarchive replay` running over it, and py-wacz."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsarchive.demo.server import DemoRequestHandler, DemoServer
from tests.conftest import REPO, run_cli, stop_process

CRAWL_ID = "20261129T010000Z"
ARTIFACTS = REPO / "test-artifacts"  # screenshots a person can look at after the run (git-ignored)


class LoggedDemoHandler(DemoRequestHandler):
    def do_GET(self) -> None:
        with self.app.log_lock:
            self.app.log.append(self.path)
        super().do_GET()

    do_HEAD = do_GET


class LoggedDemoServer(DemoServer):
    """The demo site, remembering every request it answers: replay must leave it silent."""

    handler_class = LoggedDemoHandler

    def __init__(self):
        super().__init__(host="127.0.0.1", port=0)
        self.log: list[str] = []
        self.log_lock = threading.Lock()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def venv_bin(env_name: str, default: str, program: str) -> Path:
    venv = Path(os.environ.get(env_name) or REPO / default)
    if not (venv / "bin" / program).exists():
        pytest.fail(f"{program} is not installed in {venv} (run `make {default}/.installed`, or point {env_name} at it)")
    return venv / "bin"


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    print(f"\nartifact: {path}")
    return path


@pytest.fixture(scope="module")
def logged_demo():
    with LoggedDemoServer() as server:
        yield server


@pytest.fixture(scope="module")
def logged_archive(tmp_path_factory, logged_demo):
    """A whole crawl of the logging demo server; the archive root."""
    archive = tmp_path_factory.mktemp("archive")
    run_cli("crawl", "demo", "--url", logged_demo.url, "--archive", str(archive), "--no-progress",
            "--crawl-id", CRAWL_ID, check=True)
    return archive


@pytest.fixture(scope="module")
def replay(logged_archive):
    """`newsarchive replay ARCHIVE --port N` running; (base URL, the lines it printed)."""
    venv_bin("NEWSARCHIVE_PYWB_VENV", ".venv-pywb", "wayback")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive", "replay", str(logged_archive), "--port", str(port),
                             "--newest", "3"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    lines: list[str] = []
    deadline = time.monotonic() + 90
    try:
        while not any(line.startswith("article") for line in lines) or len(lines) < 5:
            line = proc.stdout.readline()
            if not line:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"newsarchive replay ended: {proc.stderr.read()[-2000:]}")
                continue
            lines.append(line.rstrip("\n"))
        yield f"http://127.0.0.1:{port}", lines
    finally:
        stop_process(proc)
