"""Does the state claim only captures the WARC files hold? The invariant behind crash safety.

Every capture the state names (a URL's latest capture, a payload's first capture) must be a whole
record, with that WARC-Record-ID, at that offset of that file under archive/<spider>/*/warc/.
`forget_lost_captures` keeps it so after a repair cut records off a file: the claims on them go.
"""
from __future__ import annotations

from pathlib import Path

from newsarchive.base import layout
from newsarchive.state.store import SqliteCrawlState
from newsarchive.warc.pointer import Capture
from newsarchive.warc.members import scan_members
from newsarchive.warc.reader import RecordNotFound, read_record
from newsarchive.warc.writer import OPEN_SUFFIX


def warc_files_by_name(spider_dir: Path) -> dict[str, Path]:
    """Final file name -> path, for every WARC of every crawl of the spider (.open files included)."""
    found = {}
    for path in sorted(spider_dir.glob(f"*/{layout.WARC_SUBDIR}/*.warc.gz*")):
        found[path.name.removesuffix(OPEN_SUFFIX)] = path
    return found


def capture_problem(capture: Capture, files: dict[str, Path], member_offsets: dict[Path, set[int]]) -> str | None:
    """Why `capture` is not in the WARC files, or None when it is.

    `member_offsets` caches, per file, where its whole gzip members start; it is filled as files are scanned.
    """
    path = files.get(capture.filename or "")
    if path is None:
        return f"{capture.record_id} ({capture.url}): WARC file {capture.filename!r} not found"
    if path not in member_offsets:
        member_offsets[path] = {offset for offset, _ in scan_members(path).members}
    if capture.offset not in member_offsets[path]:
        return f"{capture.record_id} ({capture.url}): no whole record at offset {capture.offset} of {path.name}"
    try:
        record = read_record(path, capture.offset)
    except RecordNotFound as exc:
        return f"{capture.record_id} ({capture.url}): {exc}"
    if record.rec_headers.get_header("WARC-Record-ID") != capture.record_id:
        return f"{capture.record_id} ({capture.url}): another record at offset {capture.offset} of {path.name}"
    return None


def missing_captures(spider_dir: Path | str) -> list[str]:
    """Problems with the captures the spider's state.sqlite claims; empty when all are archived."""
    spider_dir = Path(spider_dir)
    files = warc_files_by_name(spider_dir)
    members: dict[Path, set[int]] = {}
    problems = []
    with SqliteCrawlState(spider_dir / layout.STATE_FILE) as store:
        claims = [capture for _, capture in store.payloads()]
        claims += [state.capture for state in store.tracked() if state.capture is not None]
        for state in store.tracked():
            for entry in store.revisions(state.url):
                # A revision whose record a repair cut off names none until the URL is fetched again.
                if entry.warc_record_id is None and state.capture is not None:
                    problems.append(f"revision {entry.number} of {entry.url} names no WARC record")
        for capture in claims:
            problem = capture_problem(capture, files, members)
            if problem:
                problems.append(problem)
    return problems


def forget_lost_captures(store, reports: list[dict]) -> list[str]:
    """After a repair (warc/repair.py reports), forget every capture the repaired files no longer hold;
    returns the URLs whose latest capture went, which the next crawl fetches and exports again."""
    forgotten = []
    for report in reports:
        forgotten += store.forget_captures(report["filename"], set(report["record_ids"]))
    return forgotten
