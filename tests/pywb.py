"""pywb, the replay tool archivists use, run for real: the venv the Makefile sets up for it
(`.venv-pywb`, or NEWSARCHIVE_PYWB_VENV) and a `wayback` server on a free loopback port."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import REPO, stop_process


def pywb_bin() -> Path:
    venv = Path(os.environ.get("NEWSARCHIVE_PYWB_VENV") or REPO / ".venv-pywb")
    if not (venv / "bin" / "wayback").exists():
        pytest.fail(f"pywb is not installed in {venv} (run `make .venv-pywb/.installed`, "
                    "or point NEWSARCHIVE_PYWB_VENV at a venv with pywb)")
    return venv / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@contextmanager
def running_wayback(bin_dir: Path, root: Path, timeout: float = 30) -> Iterator[str]:
    """`wayback` serving the collections under `root`, answering on its base URL (yielded); stopped after."""
    port = free_port()
    log_path = root / "wayback.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([str(bin_dir / "wayback"), "-b", "127.0.0.1", "-p", str(port)], cwd=root,
                                stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fetch(base + "/")
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"wayback did not start: {log_path.read_text()[-2000:]}")
                    time.sleep(0.2)
            yield base
        finally:
            stop_process(proc)
