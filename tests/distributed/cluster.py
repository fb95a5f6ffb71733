"""Running a distributed crawl through the real CLI: a seeding `crawl --redis` and `worker` processes."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from tests.conftest import REPO, read_jsonl

SPIDER = "news"
# Loopback only, every known article due again at once (recurring crawls), short leases and idle exits.
# No depth limit: with one, what a crawl reaches depends on the order it found links in, which differs
# from run to run when several workers share the work (REFERENCE_SETTINGS does the same for the reference).
# WARC_FSYNC_INTERVAL stays at its default, as users run it: with 0, every record's fsync falls between
# its write and its payload digest's entry in Redis, and a kill -9 in that fsync (slow on a loaded disk)
# leaves a payload that the next worker stores whole again (docs/distributed.md, the windows that remain).
BASE_SETTINGS = {
    "DEPTH_LIMIT": 0,
    "ADDRESS_GUARD_ALLOW": ["127.0.0.1"],
    "AUTOTHROTTLE_ENABLED": False,
    "RECHECK_POLICY": [[36500, 0]],
    "DISTRIBUTED_LEASE": 4,
}


REFERENCE_SETTINGS = {"ADDRESS_GUARD_ALLOW": ["127.0.0.1"], "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DEPTH_LIMIT": 0}


def set_args(settings: dict) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("--set", f"{name}={json.dumps(value)}")]


def popen(args: list[str], log: Path) -> subprocess.Popen:
    out = open(log, "w")
    return subprocess.Popen([sys.executable, "-m", "newsarchive", *args], cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


class Cluster:
    """One seeding `crawl --redis` plus `workers` more `worker` processes, each with its own settings."""

    def __init__(self, redis_url: str, archive: Path, urls: list[str], *, workers: int = 2, settings: dict | None = None,
                 worker_settings: dict[int, dict] | None = None, idle_exit: float = 3, crawl_id: str | None = None):
        self.redis_url = redis_url
        self.archive = archive
        self.urls = urls
        self.settings = {**BASE_SETTINGS, **(settings or {})}
        self.worker_settings = worker_settings or {}
        self.workers = workers
        self.idle_exit = idle_exit
        self.crawl_id = crawl_id
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def args(self, index: int) -> list[str]:
        common = ["--redis", self.redis_url, "--archive", str(self.archive), "--no-progress", "--idle-exit",
                  str(self.idle_exit), *set_args({**self.settings, **self.worker_settings.get(index, {})})]
        if index == 0:
            seeds = [arg for url in self.urls for arg in ("--url", url)]
            return ["crawl", SPIDER, *seeds, *(["--crawl-id", self.crawl_id] if self.crawl_id else []), *common]
        return ["worker", SPIDER, *common]

    def start(self) -> Cluster:
        """Workers first (`--wait`), then the seeding crawl once they are up: a machine busy starting
        Python processes would blur the politeness the servers measure."""
        self.archive.mkdir(parents=True, exist_ok=True)
        for index in range(1, self.workers + 1):
            self.procs.append(popen([*self.args(index), "--wait", "120"], self._log()))
        for log in self.logs:
            wait_for_line(log, "waiting up to")
        self.procs.insert(0, popen(self.args(0), self._log()))
        self.logs.insert(0, self.logs.pop())
        return self

    def _log(self) -> Path:
        log = self.archive / f"process-{len(self.logs)}.out"
        self.logs.append(log)
        return log

    def wait(self, timeout: float = 180) -> list[int | None]:
        """Wait for every process; a worker that died is reaped at once (a zombie's pid looks alive to
        the survivors, which then leave its WARC file unrepaired), as a shell or systemd would."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(proc.poll() is None for proc in self.procs):
            time.sleep(0.1)
        codes = [proc.poll() for proc in self.procs]
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return codes

    def output(self) -> str:
        return "\n".join(f"--- process {i}\n{log.read_text(errors='replace')[-3000:]}" for i, log in enumerate(self.logs))


def wait_for_line(log: Path, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in (log.read_text(errors="replace") if log.exists() else ""):
        assert time.monotonic() < deadline, f"{log.name} did not print {text!r} in {timeout} s"
        time.sleep(0.05)


def current_crawl(redis_url: str) -> str | None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        crawl_id = client.get(f"na:{SPIDER}:current")
    finally:
        client.close()
    return crawl_id.decode() if crawl_id else None


def wait_for_crawl(redis_url: str, previous: str | None, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        crawl_id = current_crawl(redis_url)
        if crawl_id and crawl_id != previous:
            return crawl_id
        assert time.monotonic() < deadline, "the seeding crawl did not create a crawl in Redis"
        time.sleep(0.05)


def crawl_dirs(archive: Path) -> list[Path]:
    return sorted(p for p in (archive / SPIDER).iterdir() if p.is_dir())


def articles(crawl_dir: Path) -> list[dict]:
    return [record for path in sorted(crawl_dir.glob("articles-*.jsonl")) for record in read_jsonl(path)]


def warc_records(crawl_dir: Path) -> list[dict]:
    found = []
    for path in sorted((crawl_dir / "warc").glob("*.warc.gz")):
        with gzip.open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                headers = record.rec_headers
                found.append({
                    "file": path.name,
                    "type": record.rec_type,
                    "uri": headers.get_header("WARC-Target-URI"),
                    "id": headers.get_header("WARC-Record-ID"),
                    "digest": headers.get_header("WARC-Payload-Digest"),
                    "refers_to": headers.get_header("WARC-Refers-To"),
                    "status": record.http_headers.get_statuscode() if record.http_headers else None,
                })
    return found


def host_and_path(url: str) -> tuple[str, str]:
    """(server, path): the demo pages' "CDN" name, localhost, is the same server as 127.0.0.1."""
    parts = urlsplit(url)
    return parts.netloc.replace("localhost:", "127.0.0.1:"), parts.path
