"""Stories: records whose texts are near-duplicates (a syndicated wire story, a lightly edited copy) share
a `story_id`, assigned at index time, incrementally (docs/architecture.md, "Stories").

Similarity is the Jaccard index of two texts' sets of word SHINGLE_WORDS-grams (case-folded), estimated
from a MinHash signature of SIGNATURE_SIZE values; two texts belong to one story when the estimate is at
least THRESHOLD. The signature is one-permutation MinHash (Li, Owen and Zhang 2012: one hash per
shingle, the minimum per bin, empty bins filled by rotation, Shrivastava and Li 2014), so its cost grows
with the text, not with text x signature size. Candidates are found by locality-sensitive hashing: BANDS
bands of ROWS values each, one row per band in the `story_bands` table, so a new record meets only the
earlier records that share a band with it, however big the index (the chance to meet, 1 - (1 - J^ROWS)^BANDS,
is 0.88 at J = 0.5, 0.98 at J = 0.6 and 0.12 at J = 0.2).

Rules, in order, for each new record:
  1. a record of a URL the index holds already (a revision) joins that URL's story;
  2. a text of fewer than MIN_SHINGLES shingles (a caption, a stub) founds its own story: short texts
     look alike for reasons other than being one story;
  3. the most similar earlier record at or above THRESHOLD gives its story;
  4. otherwise the record founds a story. A story id is derived from its founder (canonical URL and text
     digest), so a rebuild that reads the files in the same order gives the same ids.
A record that matches two stories joins the more similar one; stories are never merged afterwards, so
a story id once given does not change while the index is updated.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import zlib
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 5
SIGNATURE_SIZE = 128  # bins; a power of two
BANDS, ROWS = 16, 3  # the first BANDS * ROWS values make the bands; all SIGNATURE_SIZE estimate similarity
THRESHOLD = 0.5  # estimated Jaccard similarity of the shingle sets
MIN_SHINGLES = 20  # about 25 words

BIN_BITS = SIGNATURE_SIZE.bit_length() - 1
VALUE_BITS = 32 - BIN_BITS
VALUE_MASK = np.uint32((1 << VALUE_BITS) - 1)
# Fixed multipliers: signatures and band keys are stored in the index, so every process must agree.
_rng = np.random.default_rng(20261129)
SHINGLE_MULTIPLIERS = _rng.integers(1, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) | np.uint64(1)
BAND_MULTIPLIERS = _rng.integers(1, 2**63, size=ROWS, dtype=np.uint64) | np.uint64(1)
BAND_SALTS = _rng.integers(1, 2**63, size=BANDS, dtype=np.uint64)
MIX = np.uint64(0x9E3779B97F4A7C15)
ROTATION_STEP = np.uint32(0x9E3779B1 & ((1 << VALUE_BITS) - 1))
ALL_BINS = np.arange(SIGNATURE_SIZE)


class WordHashes(dict):
    """crc32 of each word, computed once: news vocabularies repeat, and hashing was most of the cost."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


WORD_HASHES = WordHashes()
MAX_CACHED_WORDS = 500_000


def words_of(text: str) -> list[str]:
    """Case-folded words split on white space; punctuation stays on its word, the same in every copy."""
    return text.casefold().split()


def shingle_hashes(text: str) -> np.ndarray:
    """The sorted, distinct 32-bit hashes of the text's word SHINGLE_WORDS-grams."""
    words = words_of(text)
    count = len(words) - SHINGLE_WORDS + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    if len(WORD_HASHES) > MAX_CACHED_WORDS:
        WORD_HASHES.clear()
    hashes = np.fromiter(map(WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))
    combined = hashes[:count] * SHINGLE_MULTIPLIERS[0]
    for k in range(1, SHINGLE_WORDS):
        combined += hashes[k:k + count] * SHINGLE_MULTIPLIERS[k]
    return np.unique(((combined * MIX) >> np.uint64(32)).astype(np.uint32))


def signature(text: str) -> np.ndarray | None:
    """The text's one-permutation MinHash (SIGNATURE_SIZE uint32 values); None below MIN_SHINGLES."""
    hashes = shingle_hashes(text or "")
    if len(hashes) < MIN_SHINGLES:
        return None
    bins = hashes >> np.uint32(VALUE_BITS)
    # Sorted hashes are sorted by bin first (the top bits): the first hash of each bin is its minimum.
    first = np.flatnonzero(np.concatenate(([True], bins[1:] != bins[:-1])))
    filled = bins[first].astype(np.int64)
    values = np.zeros(SIGNATURE_SIZE, dtype=np.uint32)
    values[filled] = hashes[first] & VALUE_MASK
    if len(filled) < SIGNATURE_SIZE:
        # An empty bin borrows the next filled bin (circularly), shifted by how far it reached, and
        # marked by the top bit so that it never equals a filled bin's own minimum.
        empty = ALL_BINS[np.isin(ALL_BINS, filled, assume_unique=True, invert=True)]
        reach = np.searchsorted(filled, empty) % len(filled)
        distance = ((filled[reach] - empty) % SIGNATURE_SIZE).astype(np.uint32)
        values[empty] = ((values[filled[reach]] + ROTATION_STEP * distance) & VALUE_MASK) | np.uint32(1 << VALUE_BITS)
    return values


def band_keys(values: np.ndarray) -> list[int]:
    """One signed 64-bit key (SQLite's INTEGER) per band of ROWS values, the band's number mixed in."""
    rows = values[:BANDS * ROWS].reshape(BANDS, ROWS).astype(np.uint64)
    keys = (rows * BAND_MULTIPLIERS).sum(axis=1, dtype=np.uint64) + BAND_SALTS
    keys = (keys ^ (keys >> np.uint64(31))) * MIX
    return keys.view(np.int64).tolist()


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.count_nonzero(a == b)) / SIGNATURE_SIZE


def story_id_for(url: str, text_digest: str | None) -> str:
    return hashlib.sha1(f"{url}\n{text_digest or ''}".encode("utf-8")).hexdigest()[:16]


TABLES = """
CREATE TABLE IF NOT EXISTS story_signatures (
    article_id  INTEGER PRIMARY KEY,       -- articles.id
    signature   BLOB NOT NULL              -- SIGNATURE_SIZE little-endian uint32
);
CREATE TABLE IF NOT EXISTS story_bands (
    band_key    INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
"""


@dataclass
class StoryInput:
    """What story assignment needs of one new record (computed in the indexer's reader thread)."""

    article_id: int
    url: str
    key_url: str  # canonical URL, else URL: names the founder
    text_digest: str | None
    signature: np.ndarray | None
    bands: list[int] | None


def story_input(article_id: int, record: dict, row: dict) -> StoryInput:
    digest = record.get("text_digest")
    text = record.get("text")
    values = signature(text) if isinstance(text, str) else None
    return StoryInput(article_id, str(row["url"]), str(row.get("canonical_url") or row["url"]),
                      digest if isinstance(digest, str) else None, values,
                      band_keys(values) if values is not None else None)


MAX_CANDIDATES = 256  # a band shared by very many records (copies of one text) need not be read whole


class StoryAssigner:
    """Gives each new record its story id inside the indexer's transaction (see the module's rules)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def assign_batch(self, items: list[StoryInput]) -> list[str]:
        """The story id of each record of a batch, in order, and its signature and bands stored.

        A record meets the earlier records of its own batch through in-memory bands (they are not in
        the tables yet), and those of earlier batches through `story_bands`.
        """
        by_url: dict[str, str] = {}
        story_of: dict[int, str] = {}
        batch_bands: dict[int, list[int]] = {}
        batch_signatures: dict[int, np.ndarray] = {}
        stories = []
        for item in items:
            story = by_url.get(item.url) or self.story_of_url(item.url)
            if item.signature is not None:
                if story is None:
                    similar = self.most_similar(item, batch_bands, batch_signatures)
                    if similar is not None:
                        story = story_of.get(similar) or self.story_of_article(similar)
                batch_signatures[item.article_id] = item.signature
                for key in item.bands:
                    batch_bands.setdefault(key, []).append(item.article_id)
            story = story or story_id_for(item.key_url, item.text_digest)
            by_url[item.url] = story_of[item.article_id] = story
            stories.append(story)
        self.conn.executemany("INSERT OR REPLACE INTO story_signatures (article_id, signature) VALUES (?, ?)",
                              [(k, v.astype("<u4").tobytes()) for k, v in batch_signatures.items()])
        self.conn.executemany("INSERT OR IGNORE INTO story_bands (band_key, article_id) VALUES (?, ?)",
                              sorted((key, article) for key, ids in batch_bands.items() for article in ids))
        return stories

    def story_of_url(self, url: str) -> str | None:
        row = self.conn.execute("SELECT story_id FROM articles WHERE url = ? AND story_id IS NOT NULL LIMIT 1",
                                (url,)).fetchone()
        return row[0] if row else None

    def story_of_article(self, article_id: int) -> str | None:
        row = self.conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def most_similar(self, item: StoryInput, batch_bands: dict[int, list[int]],
                     batch_signatures: dict[int, np.ndarray]) -> int | None:
        """The earlier record most similar to `item`, at or above THRESHOLD (the earliest on a tie)."""
        candidates = [(article, batch_signatures[article]) for article in
                      sorted({a for key in item.bands for a in batch_bands.get(key, ())})[:MAX_CANDIDATES]]
        candidates += [(article, np.frombuffer(blob, dtype="<u4")) for article, blob in self.conn.execute(
            "SELECT s.article_id, s.signature FROM story_signatures s WHERE s.article_id IN "
            f"(SELECT DISTINCT article_id FROM story_bands WHERE band_key IN ({', '.join('?' * BANDS)}) "
            "ORDER BY article_id LIMIT ?)", [*item.bands, MAX_CANDIDATES])]
        best, best_id = THRESHOLD, None
        for article_id, values in sorted(candidates, key=lambda c: c[0]):
            score = similarity(item.signature, values)
            if score > best or (score == best and best_id is None):
                best, best_id = score, article_id
        return best_id
