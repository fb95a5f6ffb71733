"""Shared fixtures: the repo's paths, a CLI runner, and one real crawl of the demo site per session."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300, env: dict | None = None,
            check: bool = False) -> subprocess.CompletedProcess:
    """Run `newsarchive ARGS…` in a fresh interpreter (Scrapy's reactor cannot restart in one process)."""
    proc = subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"newsarchive {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a server the test started: SIGTERM, then SIGKILL if it does not go in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def demo_server():
    from newsarchive.demo.server import DemoServer

    with DemoServer(host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture(scope="session")
def demo_crawl(tmp_path_factory, demo_server):
    """One full crawl of the demo site (served on loopback) through the real CLI; its crawl folder."""
    archive = tmp_path_factory.mktemp("archive")
    proc = run_cli("crawl", "demo", "--url", demo_server.url, "--archive", str(archive), "--no-progress",
                   "--crawl-id", "20261129T000000Z")
    crawl_dir = archive / "demo" / "20261129T000000Z"
    assert proc.returncode == 0, f"demo crawl failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-4000:]}"
    return crawl_dir


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session (tests/browser.py)."""
    from tests.browser import open_browser

    with open_browser() as driver:
        yield driver

