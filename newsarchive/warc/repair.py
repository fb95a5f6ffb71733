"""Repair of WARC files a crashed crawl left open (`*.warc.gz.open`), and of what pointed into them.

Each file is cut after its last complete exchange (each gzip member is one whole record; a response
or revisit whose request record did not survive goes too: the writer writes them together), synced,
its CDXJ index is rebuilt from the records that remain, sorted, and the file is renamed to its final
name. A file with no complete record left is removed.

A cut can take records that something else names. The report lists the WARC-Record-IDs that remain
(`record_ids`), so the incremental state can forget the captures it no longer holds
(state/consistency.py), and the crawl's own `articles.jsonl` loses the lines whose `warc` pointer
led into the cut: they move to `articles.lost.jsonl` beside it (the state forgets their capture, so
the next crawl fetches and exports those articles again, with a pointer that resolves). A torn last
line of `articles.jsonl` is cut as the feed storage would.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import re
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from newsarchive.base import layout
from newsarchive.warc import cdxj
from newsarchive.warc.members import scan_members
from newsarchive.warc.writer import OPEN_SUFFIX, cdxj_path_for, safe_hostname

logger = logging.getLogger(__name__)


def _record_type_at(path: Path, offset: int) -> str | None:
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)), None)
        return record.rec_type if record is not None else None


def record_ids(path: Path | str) -> set[str]:
    """The WARC-Record-ID of every record of a (whole) WARC file."""
    with open(path, "rb") as fh:
        return {record.rec_headers.get_header("WARC-Record-ID") for record in ArchiveIterator(fh)}


def repair_open_file(path: Path | str) -> dict:
    """Repair one `.open` WARC; returns a report {path, repaired_path, filename, action, records, record_ids,
    size_before, size_after, cdxj_lines, articles_set_aside}."""
    path = Path(path)
    scan = scan_members(path)
    while len(scan.members) > 1 and _record_type_at(path, scan.members[-1][0]) in ("response", "revisit"):
        scan.members.pop()  # its request record was torn off: the exchange is not whole
        scan.error = scan.error or "an exchange without its request record"
    keep = scan.good_size
    index = cdxj_path_for(path)
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    report = {"path": str(path), "repaired_path": None, "filename": final.name, "records": len(scan.members),
              "record_ids": [], "size_before": scan.size, "size_after": keep, "cdxj_lines": 0, "action": "",
              "articles_set_aside": 0}
    if not scan.members:
        path.unlink()
        index.unlink(missing_ok=True)
        report["action"] = "removed: no complete record"
        logger.warning("removed %s: it held no complete WARC record", path)
    else:
        with open(path, "r+b") as fh:
            if keep < scan.size:
                fh.truncate(keep)
                report["action"] = f"truncated {scan.size - keep} bytes ({scan.error}) and renamed"
            else:
                report["action"] = "renamed (all records complete)"
            fh.flush()
            os.fsync(fh.fileno())  # what the repair keeps is on disk before anything may name it
        # Rebuilt from the records that remain: lines past the cut go, and a record whose line the
        # crash kept from being appended gets one.
        report["cdxj_lines"] = cdxj.write_index(index, cdxj.index_warc(path, final.name))
        report["record_ids"] = sorted(record_ids(path))
        os.replace(path, final)
        report["repaired_path"] = str(final)
        logger.warning("repaired leftover WARC %s: %s; %d records kept", path, report["action"], len(scan.members))
    report["articles_set_aside"] = set_aside_lost_articles(final, set(report["record_ids"]))
    return report


def crawl_dir_of(warc_path: Path) -> Path | None:
    """The crawl folder of a WARC in the archive layout (<crawl>/warc/<file>), else None."""
    return warc_path.parent.parent if warc_path.parent.name == layout.WARC_SUBDIR else None


def set_aside_lost_articles(warc_path: Path, kept_ids: set[str]) -> int:
    """Move the lines of the crawl's articles.jsonl that point into `warc_path` at a record it no longer
    holds to articles.lost.jsonl; returns how many moved.

    articles.jsonl is rewritten in place, never replaced: a resumed crawl's feed storage may hold it
    open for appending already.
    """
    crawl_dir = crawl_dir_of(warc_path)
    articles = crawl_dir / layout.ARTICLES_FILE if crawl_dir else None
    if articles is None or not articles.is_file():
        return 0
    data = articles.read_bytes()
    lines = data.splitlines(keepends=True)
    torn = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
    kept, lost = [], []
    for line in lines:
        (lost if _points_at_lost_record(line, warc_path.name, kept_ids) else kept).append(line)
    if not lost and not torn:
        return 0
    if lost:
        with open(crawl_dir / layout.LOST_ARTICLES_FILE, "ab") as fh:
            fh.writelines(lost)
            fh.flush()
            os.fsync(fh.fileno())
    with open(articles, "r+b") as fh:
        fh.writelines(kept)
        fh.truncate()
        fh.flush()
        os.fsync(fh.fileno())
    if torn:
        logger.warning("cut a torn last line (%d bytes) from %s", len(torn), articles)
    if lost:
        logger.warning("moved %d article record(s) whose WARC record the repair of %s cut off from %s to %s; "
                       "the next crawl fetches and exports them again", len(lost), warc_path.name, articles,
                       layout.LOST_ARTICLES_FILE)
    return len(lost)


def _points_at_lost_record(line: bytes, filename: str, kept_ids: set[str]) -> bool:
    try:
        pointer = json.loads(line).get("warc")
    except (ValueError, AttributeError):
        return False  # not ours to judge: validate reports it
    return (isinstance(pointer, dict) and pointer.get("filename") == filename
            and pointer.get("record_id") not in kept_ids)


_WRITER = re.compile(r"-\d{17}-\d{5}-(?P<host>.+)-(?P<pid>\d+)\.warc(?:\.gz)?" + re.escape(OPEN_SUFFIX) + "$")


def writer_may_be_alive(path: Path) -> bool:
    """Whether the process named in an `.open` file's name may still be writing it.

    Only a writer on this host whose pid is gone is known dead; a file from another host (a
    shared archive in distributed mode) or from a live pid is left alone, since cutting a file
    under a live writer would corrupt it.
    """
    match = _WRITER.search(path.name)
    if match is None:
        return False  # not our naming: nobody we know writes it
    if match["host"] != safe_hostname():
        return True
    pid = int(match["pid"])
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def repair_open_files(directory: Path | str, *, skip_live_writers: bool = False) -> list[dict]:
    """Repair every `*.warc.gz.open` (or `*.warc.open`) file directly in `directory`; one report each.

    With `skip_live_writers`, files whose writer may still be running are left as they are.
    """
    directory = Path(directory)
    if not directory.is_dir():
        return []
    reports = []
    for path in sorted(directory.glob("*.warc*" + OPEN_SUFFIX)):
        if skip_live_writers and writer_may_be_alive(path):
            logger.info("left %s alone: its writer may still be running", path)
            continue
        report = repair_alone(path)
        if report is not None:
            reports.append(report)
    return reports


def repair_alone(path: Path) -> dict | None:
    """repair_open_file, unless another process is repairing `path` or has just repaired it (None).

    Workers of a distributed crawl on one machine all repair what a dead worker left, when they open
    and when they close: an exclusive lock on the file lets one of them do it.
    """
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return None  # renamed or removed by the process that repaired it
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("left %s alone: another process is repairing it", path)
            return None
        try:
            same_file = os.stat(path).st_ino == os.fstat(fh.fileno()).st_ino
        except FileNotFoundError:
            same_file = False
        if not same_file:
            return None  # repaired between our open and our lock
        return repair_open_file(path)
