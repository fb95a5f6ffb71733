"""Repair of `.open` WARCs left by a crash: cut to the last whole record, index rebuilt, renamed."""
from __future__ import annotations

import shutil
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from newsarchive.warc import cdxj
from newsarchive.warc.members import scan_members
from newsarchive.warc.repair import repair_open_files
from newsarchive.warc.validate import validate_paths
from newsarchive.warc.writer import RollingWarcWriter, cdxj_path_for
from tests.warc.conftest import gzip_test, warcio_check
from tests.warc.exchanges import BASE, WARCINFO, exchange, write_exchange


def crashed_snapshot(source_dir: Path, crash_dir: Path, pages: int) -> tuple[Path, list[dict]]:
    """Copy a WARC (and its CDXJ) while it is still being written: the files a kill -9 leaves."""
    writer = RollingWarcWriter(source_dir, warcinfo_fields=WARCINFO)
    pointers = [write_exchange(writer, *exchange(f"/story/{n}")) for n in range(pages)]
    crash_dir.mkdir()
    for path in (writer.current_path, cdxj_path_for(writer.current_path)):
        shutil.copy(path, crash_dir / path.name)
    snapshot = crash_dir / writer.current_path.name
    writer.close()
    return snapshot, pointers


def response_uris(path: Path) -> list[str]:
    with open(path, "rb") as fh:
        return [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"]


def test_cut_mid_record_is_truncated_to_the_last_whole_record(tmp_path):
    snapshot, pointers = crashed_snapshot(tmp_path / "live", tmp_path / "crash", pages=4)
    last = pointers[-1]
    with open(snapshot, "r+b") as fh:  # the crash hit in the middle of the last response record
        fh.truncate(last["offset"] + last["length"] // 2)
    with open(cdxj_path_for(snapshot), "ab") as fh:
        fh.write(b'1,0,0,127:8765)/torn 2026112')  # and in the middle of an index line

    [report] = repair_open_files(snapshot.parent)

    repaired = Path(report["repaired_path"])
    assert repaired.name == snapshot.name.removesuffix(".open") and not snapshot.exists()
    assert report["action"].startswith("truncated") and report["size_after"] == last["offset"]
    assert repaired.stat().st_size == last["offset"]
    assert response_uris(repaired) == [f"{BASE}/story/{n}" for n in range(3)]
    assert validate_paths([snapshot.parent]) == []
    assert warcio_check(repaired).returncode == 0 and gzip_test(repaired).returncode == 0
    entries = cdxj.read_entries(cdxj_path_for(repaired))
    assert sorted(e.offset for e in entries) == [p["offset"] for p in pointers[:3]]


def test_a_response_whose_request_was_torn_off_goes_with_it(tmp_path):
    snapshot, pointers = crashed_snapshot(tmp_path / "live", tmp_path / "crash", pages=3)
    last = pointers[-1]
    members = scan_members(snapshot).members
    request_offset, request_length = next(m for m in members if m[0] == last["offset"] + last["length"])
    with open(snapshot, "r+b") as fh:  # the response reached the disk whole, its request only in part
        fh.truncate(request_offset + request_length // 2)

    [report] = repair_open_files(snapshot.parent)

    repaired = Path(report["repaired_path"])
    assert repaired.stat().st_size == last["offset"] and report["size_after"] == last["offset"]
    assert response_uris(repaired) == [f"{BASE}/story/{n}" for n in range(2)]
    assert last["record_id"] not in report["record_ids"] and pointers[0]["record_id"] in report["record_ids"]
    assert validate_paths([repaired]) == []  # no response left without its request


def test_whole_open_file_is_only_renamed_and_its_missing_index_lines_rebuilt(tmp_path):
    snapshot, pointers = crashed_snapshot(tmp_path / "live", tmp_path / "crash", pages=3)
    before = snapshot.read_bytes()
    index = cdxj_path_for(snapshot)
    index.write_text(index.read_text().splitlines(keepends=True)[0])  # killed before two lines were appended
    [report] = repair_open_files(snapshot.parent)
    repaired = Path(report["repaired_path"])
    assert report["action"].startswith("renamed") and repaired.read_bytes() == before
    assert report["cdxj_lines"] == 3 and validate_paths([repaired]) == []


def test_open_file_without_a_whole_record_is_removed(tmp_path):
    snapshot, _ = crashed_snapshot(tmp_path / "live", tmp_path / "crash", pages=1)
    with open(snapshot, "r+b") as fh:
        fh.truncate(scan_members(snapshot).members[0][1] - 5)  # even the warcinfo record is torn
    [report] = repair_open_files(snapshot.parent)
    assert report["action"].startswith("removed") and report["repaired_path"] is None
    assert list(snapshot.parent.iterdir()) == []


def test_nothing_to_repair(tmp_path):
    assert repair_open_files(tmp_path) == [] and repair_open_files(tmp_path / "missing") == []


def test_open_files_of_a_live_or_foreign_writer_are_left_alone(tmp_path):
    import os

    from newsarchive.warc.repair import repair_open_files, writer_may_be_alive
    from newsarchive.warc.writer import safe_hostname

    host = safe_hostname()
    live = tmp_path / f"NEWSARCHIVE-20261129000000000-00000-{host}-{os.getpid()}.warc.gz.open"
    foreign = tmp_path / "NEWSARCHIVE-20261129000000000-00000-other-host.example-1234.warc.gz.open"
    for path in (live, foreign):
        path.write_bytes(b"")
    assert writer_may_be_alive(live) and writer_may_be_alive(foreign)
    assert repair_open_files(tmp_path, skip_live_writers=True) == []
    assert live.exists() and foreign.exists()
    dead = tmp_path / f"NEWSARCHIVE-20261129000000000-00001-{host}-999999999.warc.gz.open"
    dead.write_bytes(b"")
    assert not writer_may_be_alive(dead)
    assert [r["path"] for r in repair_open_files(tmp_path, skip_live_writers=True)] == [str(dead)]


def test_a_file_another_process_is_repairing_is_left_to_it(tmp_path):
    # Workers of one distributed crawl on one machine all repair what a dead worker left, at once.
    import fcntl

    snapshot, _ = crashed_snapshot(tmp_path / "live", tmp_path / "crash", pages=2)
    before = snapshot.read_bytes()
    with open(snapshot, "rb") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert repair_open_files(snapshot.parent) == []
        assert snapshot.read_bytes() == before
    [report] = repair_open_files(snapshot.parent)
    assert Path(report["repaired_path"]).exists() and not snapshot.exists()


def test_a_file_repaired_by_another_process_meanwhile_is_no_error(tmp_path):
    from newsarchive.warc.repair import repair_alone

    snapshot, _ = crashed_snapshot(tmp_path / "live", tmp_path / "crash", pages=2)
    assert repair_alone(snapshot)["repaired_path"]
    assert repair_alone(snapshot) is None  # gone: the other process renamed it


def test_processes_repairing_one_folder_at_once_repair_each_file_once(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    crash = tmp_path / "crash"
    crash.mkdir()
    names = []
    for n in range(12):
        snapshot, _ = crashed_snapshot(tmp_path / f"live{n}", tmp_path / f"c{n}", pages=3)
        names.append(f"{n:02d}-{snapshot.name}")
        shutil.move(snapshot, crash / names[-1])
        shutil.move(cdxj_path_for(snapshot), cdxj_path_for(crash / names[-1]))
    with ProcessPoolExecutor(4) as pool:
        reports = [r for batch in pool.map(repair_open_files, [crash] * 4) for r in batch]
    assert sorted(Path(r["path"]).name for r in reports) == names
    assert not list(crash.glob("*.open")) and validate_paths([crash]) == []
