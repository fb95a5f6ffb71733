"""A torn WARC tail (an OS crash or power loss under a crawl), repaired by the next crawl at several cut
points: afterwards the state names only what the files hold, no revisit or article pointer dangles,
`validate` is clean, and the next crawl fetches and exports again what was lost.

Also: the state waits for the WARC to reach the disk before it names a capture, whatever the fsync interval.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.state.consistency import missing_captures
from newsarchive.state.store import SqliteCrawlState
from newsarchive.warc.members import scan_members
from tests.conftest import read_jsonl, run_cli
from tests.incremental.crawl import FAST

SPIDER = "demo"
FIRST, SECOND = "20261201T000000Z", "20261202T000000Z"


def crawl(site_url: str, archive: Path, crawl_id: str, *settings: str) -> dict:
    sets = [arg for setting in (*FAST, *settings) for arg in ("--set", setting)]
    proc = run_cli("crawl", SPIDER, "--url", site_url, "--archive", str(archive), "--crawl-id", crawl_id,
                   "--no-progress", "--json", *sets, timeout=180)
    assert proc.returncode == 0, f"crawl {crawl_id} exited {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return json.loads((archive / SPIDER / crawl_id / "crawl.json").read_text())


def warc_of(archive: Path, crawl_id: str) -> Path:
    [path] = sorted((archive / SPIDER / crawl_id / "warc").glob("*.warc.gz*"))
    return path


def responses(path: Path) -> dict[str, str]:
    """Target URI -> record type of every response and revisit record."""
    with open(path, "rb") as fh:
        return {r.rec_headers.get_header("WARC-Target-URI"): r.rec_type for r in ArchiveIterator(fh)
                if r.rec_type in ("response", "revisit")}


def response_ids(path: Path) -> set[str]:
    """The record IDs of every response and revisit record (a URL may have several: a 500, then a 200)."""
    with open(path, "rb") as fh:
        return {r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(fh)
                if r.rec_type in ("response", "revisit")}


@pytest.fixture(scope="module")
def first_crawl(demo_server, tmp_path_factory) -> Path:
    """An archive holding one whole crawl of the demo site."""
    archive = tmp_path_factory.mktemp("pristine")
    crawl(demo_server.url, archive, FIRST)
    return archive


def crash(archive: Path, keep: str) -> tuple[Path, int]:
    """Leave the first crawl's WARC as an OS crash would: still `.open`, its tail gone. Returns the file and
    how many bytes stay."""
    path = warc_of(archive, FIRST)
    members = scan_members(path).members
    warcinfo_end = members[0][1]
    with open(path, "rb") as fh:
        kinds = {it.get_record_offset(): record.rec_type for it in [ArchiveIterator(fh)] for record in it}
    responses_at = [offset for offset, kind in kinds.items() if kind == "response"]
    requests_at = [offset for offset, kind in kinds.items() if kind == "request"]
    last_offset, last_length = next(member for member in members if member[0] == responses_at[-1])
    # Halfway through the file, an exchange whose response reached the disk but not all of its request.
    middle_offset, middle_length = next(member for member in members if member[0] == requests_at[len(requests_at) // 2])
    size = {"inside the last response record": last_offset + last_length // 2,
            "inside a request record halfway": middle_offset + middle_length // 3,
            "right after the warcinfo record": warcinfo_end}[keep]
    torn = path.with_name(path.name + ".open")
    os.replace(path, torn)
    with open(torn, "r+b") as fh:
        fh.truncate(size)
    return torn, size


@pytest.mark.slow
@pytest.mark.parametrize("keep", ["inside the last response record", "inside a request record halfway",
                                  "right after the warcinfo record"])
def test_next_crawl_repairs_forgets_what_was_cut_and_fetches_it_again(demo_server, first_crawl, tmp_path, keep):
    archive = tmp_path / "archive"
    shutil.copytree(first_crawl, archive)
    exported = {row["url"]: row for row in read_jsonl(archive / SPIDER / FIRST / "articles.jsonl")}
    before = response_ids(warc_of(archive, FIRST))
    torn, _ = crash(archive, keep)

    report = crawl(demo_server.url, archive, SECOND, "RECHECK_POLICY=[[36500, 24]]")  # nothing due by the clock

    spider_dir = archive / SPIDER
    lost = before - response_ids(warc_of(archive, FIRST))
    assert lost, "the cut took no capture: the test would prove nothing"
    assert not torn.exists()

    # The state names only what the files hold.
    assert missing_captures(spider_dir) == []
    # Article lines whose record went were set aside; the rest stayed, each still resolving.
    kept = {row["url"] for row in read_jsonl(spider_dir / FIRST / "articles.jsonl")}
    lost_file = spider_dir / FIRST / "articles.lost.jsonl"
    set_aside = {row["url"] for row in read_jsonl(lost_file)} if lost_file.exists() else set()
    assert kept | set_aside == set(exported) and not kept & set_aside
    assert set_aside == {url for url, row in exported.items() if row["warc"]["record_id"] in lost}

    # The second crawl fetched every lost article again in full and exported it again; a page fetched again
    # whose first capture was lost is a full response too, never a revisit of nothing (validate, below).
    second = responses(warc_of(archive, SECOND))
    for url in set_aside:
        assert second.get(url) == "response", url
    again = {row["url"]: row for row in read_jsonl(spider_dir / SECOND / "articles.jsonl")}
    assert set_aside <= set(again)
    for url in set_aside:
        assert again[url]["warc"]["filename"] == warc_of(archive, SECOND).name
        assert again[url]["text_digest"] == exported[url]["text_digest"]
    # What survived was only re-checked: not due, so not fetched again, and not exported twice.
    assert not (set(again) - set_aside)
    assert report["counts"]["new"] == len(set_aside)

    proc = run_cli("validate", str(archive))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    with SqliteCrawlState(spider_dir / "state.sqlite") as store:
        tracked = {state.url: state for state in store.tracked()}
    assert set(tracked) == set(exported) and all(state.capture is not None for state in tracked.values())


@pytest.mark.slow
def test_state_waits_for_the_disk_whatever_the_fsync_interval(demo_server, tmp_path):
    # With an hour between fsyncs, every commit after the first write waits for the sync at close.
    report = crawl(demo_server.url, tmp_path, FIRST, "WARC_FSYNC_INTERVAL=3600")
    assert report["counts"]["new"] == 36
    with SqliteCrawlState(tmp_path / SPIDER / "state.sqlite") as store:
        assert len(list(store.tracked())) == 36
    assert missing_captures(tmp_path / SPIDER) == []
    log = (tmp_path / SPIDER / FIRST / "crawl.log").read_text()
    waited = re.search(r"'newsarchive/state/commits_waited': (\d+)", log)
    assert waited and int(waited.group(1)) >= 30, "commits should have waited for the fsync at close"
    assert "newsarchive/state/commits_dropped" not in log
