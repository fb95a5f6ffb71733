"""One crawl per crawl folder: claim ARCHIVE/<spider>/<crawl-id>/ for a new crawl, and lock it while it runs.

Two crawls started in the same second would otherwise get the same crawl id (the UTC start time), write
into one folder, append to one articles.jsonl, and take each other's running marker for a crash. So:

- a new crawl creates its folder with one atomic mkdir; when the id is taken (an earlier crawl of that
  second, or a `--crawl-id` used before), it takes the first free `<id>-2`, `<id>-3`, ... and says so;
- the crawl holds an exclusive lock (flock) on the folder's `.lock` file until its engine stops. The
  kernel drops the lock when the process dies, kill -9 included, so a crashed crawl can be resumed at
  once, while `--resume` refuses a crawl that is still running and never picks one as "unfinished";
- a resumed crawl (`--resume`, or `scrapy crawl -s CRAWL_ID=... -s JOBDIR=<that folder>/job`) claims its
  existing folder, under the same lock;
- the workers of a distributed crawl (WORKER_ID, newsarchive/distributed/) share their crawl's folder by
  design: each holds a shared lock, so they run side by side, and a one-process crawl can take the folder
  neither from them nor while they run.

`newsarchive crawl` claims in the runner, before its log file opens; `CrawlFolderLock` (an extension,
built before every other) claims for `scrapy crawl` and Scrapyd, and finds the runner's claim when there
is one. Which names are safe is base/safe_names.py's to say; a name is checked before its folder is made.
"""
from __future__ import annotations

import fcntl
import logging
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals

from newsarchive.base import layout, safe_names

logger = logging.getLogger(__name__)

MAX_SUFFIX = 999

# Folders this process holds, and the descriptor of each one's locked file.
_held: dict[Path, int] = {}


class CrawlFolderBusy(RuntimeError):
    """Another live crawl holds the crawl folder."""


def _key(folder: Path) -> Path:
    return Path(os.path.abspath(folder))


def lock_folder(folder: Path, *, shared: bool = False) -> bool:
    """Take the folder's lock for this process (True), or find another process holding it (False).

    `shared`: a distributed worker's lock, which other workers' shared locks do not exclude. A few tries
    ride over the instant another process spends probing the lock (is_running)."""
    folder = _key(folder)
    if folder in _held:
        return True
    fd = os.open(folder / layout.LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    for attempt in range(20 if shared else 1):
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            break
        except OSError:
            if attempt == (19 if shared else 0):
                os.close(fd)
                return False
            time.sleep(0.05)
    if not shared:  # the one holder says who it is (shared holders are many: the file stays as it is)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n".encode())
    _held[folder] = fd
    return True


def release_folder(folder: Path) -> None:
    """Let go of a folder this process holds (the lock file stays: removing it would race a new locker)."""
    fd = _held.pop(_key(folder), None)
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def is_running(folder: Path) -> bool:
    """True when a live crawl, in another process, holds the folder's lock."""
    folder = _key(folder)
    if folder in _held or not (folder / layout.LOCK_FILE).exists():
        return False
    try:
        fd = os.open(folder / layout.LOCK_FILE, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while anyone, one crawl or many workers, holds it
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def holder(folder: Path) -> str:
    """Who holds the folder, as its lock file says ("pid 123 since ...")."""
    try:
        return (Path(folder) / layout.LOCK_FILE).read_text(encoding="utf-8").strip() or "another process"
    except OSError:
        return "another process"


def claim_crawl_folder(spider_dir: Path, crawl_id: str, *, resume: bool = False, shared: bool = False) -> str:
    """Create (or, with `resume`, reopen) and lock the folder of a crawl; return the crawl id it got.

    A new crawl gets `crawl_id` when its folder does not exist yet, else the first free `crawl_id-N`.
    `shared`: a distributed worker joins `crawl_id`'s folder beside the other workers.
    Raises CrawlFolderBusy when `resume` (or `shared`) names a crawl a one-process crawl is running.
    """
    spider_dir = Path(spider_dir)
    if resume or shared or _key(spider_dir / crawl_id) in _held:
        folder = spider_dir / crawl_id
        folder.mkdir(parents=True, exist_ok=True)
        if not lock_folder(folder, shared=shared):
            raise CrawlFolderBusy(f"crawl {crawl_id} in {spider_dir} is running ({holder(folder)}); "
                                  "it can be resumed once it stops")
        return crawl_id
    spider_dir.mkdir(parents=True, exist_ok=True)
    for n in range(1, MAX_SUFFIX + 1):
        candidate = crawl_id if n == 1 else f"{crawl_id}-{n}"
        folder = spider_dir / candidate
        try:
            folder.mkdir()  # atomic: of two crawls asking at once, exactly one creates it
        except FileExistsError:
            continue
        if lock_folder(folder):
            return candidate
    raise CrawlFolderBusy(f"crawl ids {crawl_id} to {crawl_id}-{MAX_SUFFIX} are all taken in {spider_dir}")


def _continues(jobdir: str | None, folder: Path) -> bool:
    """True when Scrapy's JOBDIR is this crawl folder's job/ folder and has state: a crawl continued."""
    if not jobdir:
        return False
    job = _key(Path(jobdir))
    return job.parent == _key(folder) and job.is_dir()


class CrawlFolderLock:
    """The extension that claims and locks the crawl folder (first of all extensions, see settings.py)."""

    def __init__(self, crawler, folder: Path):
        self.crawler = crawler
        self.folder = folder

    @classmethod
    def from_crawler(cls, crawler) -> CrawlFolderLock:
        spider = crawler.spider
        configured = getattr(spider, "crawl_id", None) or crawler.settings.get("CRAWL_ID")
        # The names become folders: checked (base/safe_names.py) before any folder is made.
        wanted = safe_names.crawl_id(configured or layout.new_crawl_id())
        safe_names.spider_name(spider.name)
        spider_dir = layout.spider_dir(spider)
        resume = bool(configured) and _continues(crawler.settings.get("JOBDIR"), spider_dir / wanted)
        crawl_id = claim_crawl_folder(spider_dir, wanted, resume=resume,
                                      shared=bool(crawler.settings.get("WORKER_ID")))
        if configured and crawl_id != configured:
            logger.warning("crawl id %s is taken in %s: this crawl writes to %s instead", configured, spider_dir,
                           crawl_id)
        spider.crawl_id = crawl_id
        lock = cls(crawler, spider_dir / crawl_id)
        # Released only when the engine has stopped: feeds, WARC files and crawl.json are all closed by then.
        crawler.signals.connect(lock.engine_stopped, signal=signals.engine_stopped)
        return lock

    def engine_stopped(self) -> None:
        release_folder(self.folder)
