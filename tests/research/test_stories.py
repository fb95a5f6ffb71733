"""Story grouping (research/stories.py): near-duplicate texts share a story id, assigned incrementally."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bench.stories import corpus, pair_scores, recall_by_kind, write_archive
from newsarchive.research import stories
from newsarchive.research.indexer import update_index
from newsarchive.research.schema import index_path, open_index
from tests.research.conftest import jsonl


def exact_jaccard(a: str, b: str) -> float:
    x, y = set(stories.shingle_hashes(a).tolist()), set(stories.shingle_hashes(b).tolist())
    return len(x & y) / len(x | y)


def test_the_signature_estimates_the_jaccard_similarity_of_shingle_sets():
    records, _ = corpus(40, seed=3)
    texts = [r["text"] for r in records if r["_kind"] == "original"][:10]
    errors = []
    for text in texts:
        words = text.split(" ")
        for share in (0.9, 0.7, 0.5):
            shorter = " ".join(words[:int(len(words) * share)])
            errors.append(stories.similarity(stories.signature(text), stories.signature(shorter))
                          - exact_jaccard(text, shorter))
    assert abs(np.mean(errors)) < 0.03 and np.std(errors) < 0.06
    assert stories.signature("too short to say anything") is None


def test_signatures_and_band_keys_are_the_same_in_every_process():
    # Stored in the index: a fixed text must give fixed values, whatever PYTHONHASHSEED is.
    text = " ".join(f"word{n % 37} w{n % 11}" for n in range(200))
    values = stories.signature(text)
    assert values.dtype == np.uint32 and len(values) == stories.SIGNATURE_SIZE
    assert stories.band_keys(values) == stories.band_keys(stories.signature(text))
    assert len(stories.band_keys(values)) == stories.BANDS


def index_corpus(tmp_path, records):
    archive = tmp_path / "archive"
    write_archive(archive, records)
    conn = open_index(index_path(archive))
    update_index(archive, conn)
    return archive, conn


def test_precision_and_recall_on_a_synthetic_set_with_known_duplicates(tmp_path):
    records, kinds = corpus(400, seed=11)
    assert kinds["copy"] and kinds["truncated"] and kinds["edited"] and kinds["follow_up"]
    _, conn = index_corpus(tmp_path, records)
    predicted = dict(conn.execute("SELECT url, story_id FROM articles"))
    scores = pair_scores({r["url"]: r["_truth"] for r in records}, predicted)
    assert scores["precision"] >= 0.98 and scores["recall"] >= 0.85, scores
    by_kind = recall_by_kind(records, predicted)
    assert by_kind["copy"] == 1.0 and by_kind["edited"] >= 0.95 and by_kind["follow_up"] == 1.0, by_kind


def test_stories_are_assigned_incrementally_and_never_renamed(tmp_path):
    records, _ = corpus(200, seed=5)
    first, second = records[:120], records[120:]
    archive, conn = index_corpus(tmp_path, first)
    before = dict(conn.execute("SELECT url, story_id FROM articles"))
    # The second half arrives as a later crawl of one spider.
    folder = archive / "later" / "20261001T000000Z"
    folder.mkdir(parents=True)
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as fh:
        for record in second:
            fh.write(json.dumps({k: v for k, v in record.items() if not k.startswith("_")}) + "\n")
    update_index(archive, conn)
    after = dict(conn.execute("SELECT url, story_id FROM articles"))
    assert {url: after[url] for url in before} == before
    # a later copy of an earlier story joins that story
    originals = {r["_truth"]: r["url"] for r in first if r["_kind"] == "original"}
    joined = [r for r in second if r["_kind"] == "copy" and r["_truth"] in originals]
    assert joined and all(after[r["url"]] == before[originals[r["_truth"]]] for r in joined)


def test_a_revision_stays_in_its_story_and_short_texts_stay_apart(tmp_path):
    records, _ = corpus(3, seed=2)
    revised = dict(records[0], text="Completely rewritten. " + records[1]["text"][:300], fetched_at="2026-09-02T00:00:00Z")
    stubs = [dict(records[2], url=f"https://stub.test/{n}", canonical_url=None, text="Photo gallery.") for n in range(3)]
    _, conn = index_corpus(tmp_path, [records[0], revised] + stubs)
    story = dict(conn.execute("SELECT id, story_id FROM articles"))
    assert story[1] == story[2]  # the same URL: one article, one story
    assert len({story[3], story[4], story[5]}) == 3


def test_group_stories_shows_one_row_per_story_with_its_sites(tmp_path, cli):
    records, _ = corpus(120, seed=9)
    archive, conn = index_corpus(tmp_path, records)
    conn.close()
    code, out, err = cli("query", "--archive", str(archive), "--group-stories", "--format", "jsonl")
    assert code == 0
    rows = jsonl(out)
    truth = {r["url"]: r for r in records}
    assert sum(row["articles"] for row in rows) == len(records)
    biggest = rows[0]
    assert biggest["articles"] >= 2 and biggest["articles"] == max(row["articles"] for row in rows)
    code, out, _ = cli("query", "--archive", str(archive), "--story", biggest["story_id"], "--format", "jsonl")
    members = jsonl(out)
    assert len(members) == biggest["articles"]
    assert sorted({m["site"] for m in members}) == biggest["sites"]
    assert len({truth[m["url"]]["_truth"] for m in members}) == 1  # one true story
    assert err.strip().endswith("stories") or "stor" in err
    code, out, _ = cli("query", "--archive", str(archive), "--group-stories", "--format", "table")
    assert code == 0 and biggest["story_id"] in out and f"{len(rows)} stories" in out


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_exports_carry_the_story_id(tmp_path, cli, fmt):
    records, _ = corpus(60, seed=4)
    archive, conn = index_corpus(tmp_path, records)
    expected = dict(conn.execute("SELECT url, story_id FROM articles"))
    conn.close()
    out = tmp_path / f"out.{fmt}"
    code, _, _ = cli("export", "--archive", str(archive), "--format", fmt, "--out", str(out))
    assert code == 0
    if fmt == "csv":
        import csv

        with open(out, newline="", encoding="utf-8") as fh:
            got = {row["url"]: row["story_id"] for row in csv.DictReader(fh)}
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(out, columns=["url", "story_id"]).to_pylist()
        got = {row["url"]: row["story_id"] for row in table}
    assert got == expected
