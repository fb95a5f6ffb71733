"""Repair of WARC files a crashed crawl left open (`*.warc.gz.open`).

Each file is cut after its last complete gzip member (each member is one whole record), its CDXJ index
is rebuilt from the records that remain, sorted, and the file is renamed to its final name. A file
with no complete record left is removed.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from newsarchive.warc import cdxj
from newsarchive.warc.members import scan_members
from newsarchive.warc.writer import OPEN_SUFFIX, cdxj_path_for, safe_hostname

logger = logging.getLogger(__name__)


def repair_open_file(path: Path | str) -> dict:
    """Repair one `.open` WARC; returns a report {path, repaired_path, action, records, size_before, size_after}."""
    path = Path(path)
    scan = scan_members(path)
    keep = scan.good_size
    index = cdxj_path_for(path)
    report = {"path": str(path), "repaired_path": None, "records": len(scan.members),
              "size_before": scan.size, "size_after": keep, "cdxj_lines": 0, "action": ""}
    if not scan.members:
        path.unlink()
        index.unlink(missing_ok=True)
        report["action"] = "removed: no complete record"
        logger.warning("removed %s: it held no complete WARC record", path)
        return report
    if keep < scan.size:
        with open(path, "r+b") as fh:
            fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())
        report["action"] = f"truncated {scan.size - keep} bytes ({scan.error}) and renamed"
    else:
        report["action"] = "renamed (all records complete)"
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    # Rebuilt from the records that remain: lines past the cut go, and a record whose line the
    # crash kept from being appended gets one.
    report["cdxj_lines"] = cdxj.write_index(index, cdxj.index_warc(path, final.name))
    os.replace(path, final)
    report["repaired_path"] = str(final)
    logger.warning("repaired leftover WARC %s: %s; %d records kept", path, report["action"], len(scan.members))
    return report


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
        reports.append(repair_open_file(path))
    return reports
