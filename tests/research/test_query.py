"""`newsarchive query`: every filter against known answers, output formats, sorting, errors."""
from __future__ import annotations

import csv
import io

import pytest

from tests.research.conftest import jsonl

QUASAR = "https://gadgetwire.test/2026/11/quasar-phone"
BATTERY = "https://gadgetwire.test/2026/11/solid-state-battery"
TELESCOPE = "https://gadgetwire.test/2026/11/telescope-app"
ROUTER = "https://www.bytebulletin.test/news/router-recall"
EDITOR = "https://www.bytebulletin.test/news/editor-release"
LANDER = "https://orbitdaily.test/lunar-lander-delay"
STORAGE = "https://cloudcourier.test/posts/storage-prices"


@pytest.fixture
def urls(archive, cli):
    """The set of URLs `query` returns for some filters (as JSON Lines)."""

    def run(*filters: str) -> set[str]:
        code, out, err = cli("query", "--archive", str(archive.root), "--format", "jsonl", "--fields", "url", *filters)
        assert code in (0, 1), err
        found = [r["url"] for r in jsonl(out)]
        assert len(found) == len(set(found)) or "--all-revisions" in filters
        return set(found)

    return run


@pytest.mark.parametrize("filters, expected", [
    ((), {QUASAR, BATTERY, TELESCOPE, ROUTER, EDITOR, LANDER, STORAGE}),
    (("--site", "gadgetwire.test"), {QUASAR, BATTERY, TELESCOPE}),
    (("--site", "www.ByteBulletin.test"), {ROUTER, EDITOR}),
    (("--site", "orbitdaily.test", "--site", "cloudcourier.test"), {LANDER, STORAGE}),
    (("--spider", "news"), {LANDER, STORAGE}),
    (("--author", "jane doe"), {QUASAR, BATTERY, STORAGE}),
    (("--author", "JOSE ALVAREZ"), {BATTERY}),
    (("--author", "Priya  Raman"), {TELESCOPE, ROUTER}),  # matches "Priya Raman" and "PRIYA RAMAN"
    (("--author", "Jane"), set()),  # a whole normalized name, not a substring
    (("--since", "2026-11-03"), {TELESCOPE, ROUTER, EDITOR, STORAGE}),
    (("--until", "2026-11-02"), {QUASAR, BATTERY}),
    # 23:30 at -05:00 on the 3rd is the 4th in UTC: the site's own day counts.
    (("--since", "2026-11-03", "--until", "2026-11-03"), {TELESCOPE}),
    (("--since", "2026-11-04", "--until", "2026-11-04"), set()),
    (("--text", "quasar"), {QUASAR}),
    (("--text", '"solid state battery"'), {BATTERY}),
    (("--text", '"battery solid"'), set()),
    (("--text", "tele*"), {TELESCOPE}),
    (("--text", "recall OR lander"), {ROUTER, LANDER}),
    (("--text", "prices AND providers"), {STORAGE}),
    (("--text", "engineers NOT quasar NOT battery"), {TELESCOPE, ROUTER, LANDER, STORAGE}),
    (("--text", "title: telescope"), {TELESCOPE}),
    (("--text", "curacao"), {ROUTER}),  # the Latin-1 page's "Curaçao", diacritics folded
    (("--section", "science"), {TELESCOPE, LANDER}),
    (("--tag", "foldables"), {QUASAR}),
    (("--tag", "space", "--spider", "gadgetwire"), {TELESCOPE}),
    (("--copyright-holder", "gadget wire media inc"), {QUASAR, BATTERY}),
    (("--copyright-holder", "Orbit Daily"), {LANDER}),
    (("--site", "gadgetwire.test", "--author", "jane doe", "--since", "2026-11-02"), {BATTERY}),
])
def test_filters_return_known_answers(urls, filters, expected):
    assert urls(*filters) == expected


def test_latest_only_by_default_every_revision_on_request(archive, cli):
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "quasar", "--format", "jsonl")
    assert [r["title"] for r in jsonl(out)] == ["Quasar phone folds twice, ships in December"]
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "quasar", "--all-revisions",
                       "--format", "jsonl", "--fields", "revision.number,crawl_id")
    assert jsonl(out) == [{"revision.number": 1, "crawl_id": "20261115T080000Z"},
                          {"revision.number": None, "crawl_id": "20261101T080000Z"}]


def test_jsonl_prints_records_exactly_as_archived_plus_their_story(archive, cli):
    code, out, err = cli("query", "--archive", str(archive.root), "--site", "bytebulletin.test", "--format", "jsonl")
    assert code == 0
    expected = [r for r in archive.records if r["site"] == "bytebulletin.test"]
    printed = jsonl(out)
    assert all(len(r.pop("story_id")) == 16 for r in printed)  # the index's field, last
    assert sorted(printed, key=lambda r: r["url"]) == sorted(expected, key=lambda r: r["url"])
    assert err.strip().endswith("2 matches")  # the count goes to stderr, stdout stays pure JSON Lines


def test_sorted_newest_published_first_with_undated_last(archive, cli):
    code, out, _ = cli("query", "--archive", str(archive.root), "--fields", "url", "--format", "jsonl")
    assert [r["url"] for r in jsonl(out)] == [STORAGE, EDITOR, ROUTER, TELESCOPE, BATTERY, QUASAR, LANDER]


def test_sort_by_relevance_puts_the_best_match_first(archive, cli):
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "battery",
                       "--sort", "relevance", "--fields", "url", "--format", "jsonl")
    # The battery story has the word in its title too; by date the editor story would come first.
    assert [r["url"] for r in jsonl(out)] == [BATTERY, EDITOR]
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "battery", "--fields", "url",
                       "--format", "jsonl")
    assert [r["url"] for r in jsonl(out)] == [EDITOR, BATTERY]


def test_limit_and_count(archive, cli):
    code, out, err = cli("query", "--archive", str(archive.root), "--limit", "2", "--format", "jsonl")
    assert len(jsonl(out)) == 2
    assert "7 matches, wrote 2" in err


def test_table_output(archive, cli):
    code, out, _ = cli("query", "--archive", str(archive.root), "--format", "table", "--author", "jane doe")
    lines = out.splitlines()
    assert lines[0].split() == ["id", "published", "site", "authors", "title"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert "Cloud storage prices fall again" in lines[2]
    assert "José Álvarez; Jane Doe" in out
    assert lines[-1] == "3 matches"


def test_table_is_the_default_on_a_terminal_and_jsonl_in_a_pipe(archive, cli, monkeypatch):
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "quasar")
    assert jsonl(out)[0]["url"] == QUASAR  # captured stdout is not a terminal
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "quasar")
    assert out.splitlines()[-1] == "1 match" and out.startswith("id")


def test_csv_flattens_lists_and_objects(archive, cli):
    code, out, err = cli("query", "--archive", str(archive.root), "--author", "jose alvarez", "--format", "csv")
    assert code == 0 and err.strip() == "1 match"
    (row,) = list(csv.DictReader(io.StringIO(out)))
    record = next(r for r in archive.records if r["url"] == BATTERY)
    assert row["authors"] == "José Álvarez; Jane Doe"
    assert row["tags"] == "batteries"
    assert row["images"] == record["images"][0]["url"]
    assert row["warc.offset"] == str(record["warc"]["offset"])
    assert row["copyright.holder"] == "Gadget Wire Media, Inc."
    assert row["copyright.years"] == "2026"
    assert row["text"] == record["text"]


def test_no_match_exits_1(archive, cli):
    code, out, err = cli("query", "--archive", str(archive.root), "--text", "zeppelin", "--format", "jsonl")
    assert code == 1 and out == "" and "0 matches" in err


@pytest.mark.parametrize("args, message", [
    (("--text", "AND"), 'syntax error near "AND"'),
    (("--text", '"unclosed phrase'), "unterminated string"),
    (("--text", "nosuchcolumn: x"), "no such column"),
    (("--text", "  "), "--text is empty"),
    (("--since", "11/03/2026"), "--since takes a day as YYYY-MM-DD"),
    (("--since", "2026-11-05", "--until", "2026-11-01"), "is after"),
    (("--sort", "relevance"), "--sort relevance needs --text"),
    (("--fields", ","), "--fields needs"),
])
def test_bad_query_syntax_is_a_clear_usage_error(archive, cli, args, message):
    code, out, err = cli("query", "--archive", str(archive.root), "--format", "jsonl", *args)
    assert code == 2
    assert message in err and err.startswith("newsarchive query:")
    assert "Traceback" not in err and out == ""


def test_query_builds_the_index_when_missing_and_updates_it_when_stale(archive, cli):
    assert not (archive.root / "index.sqlite").exists()
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "comet", "--format", "jsonl")
    assert code == 1 and (archive.root / "index.sqlite").exists()
    from tests.research.archive_factory import complete_torn_line

    complete_torn_line(archive)
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "comet", "--format", "jsonl")
    assert code == 0 and [r["title"] for r in jsonl(out)] == ["Comet survey finds a visitor"]


def test_missing_archive_exits_3(tmp_path, cli):
    code, _, err = cli("query", "--archive", str(tmp_path / "none"))
    assert code == 3 and "no archive at" in err


def test_a_row_whose_line_changed_is_reported_not_misread(archive, cli):
    import pytest as _pytest

    from newsarchive.research.query import RecordReader, StaleIndex
    from newsarchive.research.schema import connect, index_path

    cli("index", str(archive.root))
    conn = connect(index_path(archive.root))
    source_id, line_offset, url = conn.execute(
        "SELECT source_id, line_offset, url FROM articles WHERE url = ?", (STORAGE,)).fetchone()
    with RecordReader(conn) as reader:
        assert reader.record(source_id, line_offset, url)["title"] == "Cloud storage prices fall again"
        with _pytest.raises(StaleIndex, match="run `newsarchive index` again"):
            reader.record(source_id, line_offset + 1, url)
    conn.close()
