"""`newsarchive index`: incremental, no duplicates, torn last lines, replaced files, bad lines, latest marks."""
from __future__ import annotations

import json
import os
import sqlite3

from hypothesis import HealthCheck, given, settings, strategies as st

from newsarchive.research.indexer import update_index
from newsarchive.research.schema import index_path, open_index
from tests.research.archive_factory import TORN_RECORD, SampleArchive, complete_torn_line


def rows(archive: SampleArchive, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(index_path(archive.root)) as conn:
        return conn.execute(sql, params).fetchall()


def indexed_urls(archive: SampleArchive) -> list[tuple[str, str]]:
    return sorted(rows(archive, "SELECT url, fetched_at FROM articles"))


def test_index_builds_then_a_rerun_changes_nothing(archive, cli):
    code, out, err = cli("index", str(archive.root), "--no-progress")
    assert code == 0, err
    assert "indexed 8 new records from 4 of 4 files" in out
    assert "8 records, 7 latest captures" in out
    assert "waiting for an incomplete last line in news/20261112T060000Z/articles.jsonl" in out
    expected = sorted((r["url"], r["fetched_at"]) for r in archive.records)
    assert indexed_urls(archive) == expected
    fts_rows = rows(archive, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'quasar'")[0][0]
    before = rows(archive, "SELECT * FROM articles ORDER BY id")

    code, out, _ = cli("index", str(archive.root), "--no-progress")
    assert code == 0
    assert "indexed 0 new records from 0 of 4 files" in out
    assert rows(archive, "SELECT * FROM articles ORDER BY id") == before
    assert rows(archive, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'quasar'")[0][0] == fts_rows == 2


def test_latest_capture_per_url_is_marked(archive, cli):
    cli("index", str(archive.root))
    marks = dict(rows(archive, "SELECT fetched_at, is_latest FROM articles WHERE url LIKE '%quasar-phone'"))
    assert marks == {"2026-11-01T08:01:00Z": 0, "2026-11-15T08:01:00Z": 1}
    assert rows(archive, "SELECT count(*) FROM articles WHERE is_latest = 1")[0][0] == 7


def test_an_older_capture_read_later_does_not_become_latest(archive, cli):
    cli("index", str(archive.root))
    older = dict(next(r for r in archive.records if r["url"].endswith("router-recall")))
    older.update(fetched_at="2026-10-01T00:00:00Z", crawl_id="20261001T000000Z", title="Router recall (early)")
    crawl = archive.root / "bytebulletin" / "20261001T000000Z"
    crawl.mkdir()
    (crawl / "articles.jsonl").write_text(json.dumps(older) + "\n", encoding="utf-8")
    cli("index", str(archive.root))
    marks = rows(archive, "SELECT title, is_latest FROM articles WHERE url LIKE '%router-recall' ORDER BY title")
    assert marks == [("Mesh router recall widens", 1), ("Router recall (early)", 0)]


def test_torn_last_line_waits_and_is_indexed_once_complete(archive, cli):
    cli("index", str(archive.root))
    assert rows(archive, "SELECT count(*) FROM articles WHERE url = ?", (TORN_RECORD["url"],))[0][0] == 0

    complete_torn_line(archive)
    code, out, _ = cli("index", str(archive.root))
    assert code == 0
    assert "indexed 1 new records from 1 of 4 files" in out
    assert "waiting for an incomplete" not in out
    assert rows(archive, "SELECT title, is_latest FROM articles WHERE url = ?", (TORN_RECORD["url"],)) == [
        (TORN_RECORD["title"], 1)]
    cli("index", str(archive.root))
    assert rows(archive, "SELECT count(*) FROM articles")[0][0] == 9


def test_appended_records_are_the_only_ones_read(archive, cli):
    cli("index", str(archive.root))
    path = archive.jsonl("gadgetwire", "20261115T080000Z")
    offset_before = rows(archive, "SELECT offset FROM sources WHERE path LIKE 'gadgetwire/20261115T080000Z/%'")[0][0]
    assert offset_before == path.stat().st_size
    extra = {**archive.records[0], "url": "https://gadgetwire.test/2026/11/new-one", "title": "A new one"}
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(extra) + "\n")
    code, out, _ = cli("index", str(archive.root))
    assert "indexed 1 new records from 1 of 4 files" in out
    assert rows(archive, "SELECT count(*) FROM articles WHERE url = ?", (extra["url"],))[0][0] == 1


def test_a_replaced_file_is_read_again_without_leftovers(archive, cli):
    cli("index", str(archive.root))
    path = archive.jsonl("bytebulletin", "20261110T120000Z")
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    replacement = path.with_name("articles.jsonl.new")
    replacement.write_text(first_line + "\n", encoding="utf-8")
    os.replace(replacement, path)  # a new inode, as an editor or a re-run export would leave

    code, out, err = cli("index", str(archive.root))
    assert "was replaced or truncated" in err
    assert "re-read 1 replaced or truncated files" in out
    urls = [u for u, _ in indexed_urls(archive) if "bytebulletin" in u]
    assert urls == ["https://www.bytebulletin.test/news/router-recall"]
    matching = ("SELECT count(*) FROM article_fts CROSS JOIN articles a ON a.id = article_fts.rowid "
                "WHERE article_fts MATCH 'offline'")
    assert rows(archive, matching)[0][0] == 0
    stale = "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'offline'"
    assert rows(archive, stale)[0][0] == 1  # left in the contentless FTS table, matching no row

    code, out, _ = cli("index", str(archive.root), "--rebuild")
    assert code == 0 and "indexed 7 new records from 4 of 4 files" in out
    assert rows(archive, stale)[0][0] == 0


def test_bad_lines_are_logged_counted_and_skipped(archive, cli):
    path = archive.jsonl("bytebulletin", "20261110T120000Z")
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], "{not json", "[1, 2]", '{"title": "no url"}', lines[1]]) + "\n",
                    encoding="utf-8")
    code, out, err = cli("index", str(archive.root))
    assert code == 1
    assert "skipped 3 bad lines" in out
    assert err.count("bad line at byte") == 3 and "invalid JSON" in err and "no url" in err
    assert rows(archive, "SELECT bad_lines, records FROM sources WHERE path LIKE 'bytebulletin/%'") == [(3, 2)]
    code, _, _ = cli("index", str(archive.root))
    assert code == 0  # skipped for good: a complete bad line never becomes valid


def test_an_invalid_but_complete_last_line_waits_until_lines_follow(archive, cli):
    path = archive.jsonl("gadgetwire", "20261115T080000Z")
    good = path.read_text(encoding="utf-8")
    path.write_text(good + '{"url": "https://gadgetwire.test/x", "tit\n', encoding="utf-8")
    cli("index", str(archive.root))
    assert rows(archive, "SELECT bad_lines FROM sources WHERE path LIKE 'gadgetwire/20261115T080000Z/%'") == [(0,)]
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(good)
    cli("index", str(archive.root))
    assert rows(archive, "SELECT bad_lines FROM sources WHERE path LIKE 'gadgetwire/20261115T080000Z/%'") == [(1,)]


def test_missing_archive_is_an_environment_error(tmp_path, cli):
    code, _, err = cli("index", str(tmp_path / "nowhere"))
    assert code == 3 and "no archive at" in err


def test_an_index_of_another_version_is_rebuilt(archive, cli):
    cli("index", str(archive.root))
    with sqlite3.connect(index_path(archive.root)) as conn:
        conn.execute("PRAGMA user_version = 999")
    code, out, _ = cli("index", str(archive.root))
    assert code == 0 and "indexed 8 new records" in out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6))
def test_indexing_a_growing_file_at_any_cut_points_indexes_each_record_once(tmp_path_factory, cuts):
    """A writer appends bytes; the indexer runs whenever: the result is every whole record, exactly once."""
    root = tmp_path_factory.mktemp("growing")
    lines = [json.dumps({"url": f"https://g.test/{n}", "title": f"Story {n}", "text": "word " * n,
                         "fetched_at": f"2026-11-0{1 + n % 9}T00:00:00Z"}) + "\n" for n in range(12)]
    data = "".join(lines).encode("utf-8")
    path = root / "s" / "20261101T000000Z" / "articles.jsonl"
    path.parent.mkdir(parents=True)
    conn = open_index(index_path(root))
    written = 0
    for cut in sorted(c % (len(data) + 1) for c in cuts) + [len(data)]:
        with open(path, "ab") as fh:
            fh.write(data[written:cut])
        written = max(written, cut)
        update_index(root, conn)
    urls = [row[0] for row in conn.execute("SELECT url FROM articles ORDER BY line_offset")]
    conn.close()
    assert urls == [f"https://g.test/{n}" for n in range(12)]


def test_a_line_that_is_not_utf8_is_a_bad_line(archive, cli):
    path = archive.jsonl("news", "20261112T060000Z")
    path.write_bytes(b'{"url": "https://x.test/\xff\xfe"}\n' + path.read_bytes())
    code, out, err = cli("index", str(archive.root))
    assert code == 1 and "bad line at byte 0" in err
    assert rows(archive, "SELECT count(*) FROM articles WHERE spider = 'news'")[0][0] == 2


def test_two_indexers_at_once_add_each_line_once(archive, caplog):
    """A second indexer runs while the first is between batches: the offset check keeps lines single."""
    first = open_index(index_path(archive.root))
    second = open_index(index_path(archive.root))
    from newsarchive.research.indexer import Indexer

    interrupted = []

    def meanwhile(bytes_read: int, records: int) -> None:
        if not interrupted:
            interrupted.append(update_index(archive.root, second))

    report = Indexer(archive.root, first, batch_size=1, progress=meanwhile).update()
    first.close()
    second.close()
    assert (report.records_added, interrupted[0].records_added) == (1, 7)
    assert "another indexer is updating it" in caplog.text
    assert rows(archive, "SELECT count(*), count(DISTINCT source_id || ':' || line_offset) FROM articles") == [(8, 8)]


def test_a_run_stopped_between_batches_is_resumed_by_the_next(archive):
    from newsarchive.research.indexer import Indexer

    class Stop(Exception):
        pass

    def stop_after_first_batch(bytes_read: int, records: int) -> None:
        raise Stop

    conn = open_index(index_path(archive.root))
    try:
        Indexer(archive.root, conn, batch_size=1, progress=stop_after_first_batch).update()
    except Stop:
        pass
    assert rows(archive, "SELECT count(*) FROM articles")[0][0] == 1
    report = update_index(archive.root, conn)
    conn.close()
    assert report.records_added == 7
    assert rows(archive, "SELECT count(*), count(DISTINCT source_id || ':' || line_offset) FROM articles") == [(8, 8)]
