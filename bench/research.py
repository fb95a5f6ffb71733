"""Research index at scale: build rate, index size, query latency and indexing memory on 100,000 records.

    python -m bench.research [--records N] [--keep DIR]

Generates N synthetic article records (about 600 words each, several sites, spiders, authors and
dates, some revisions) into a temporary archive, indexes it in a child process (so its peak RSS is
the indexer's alone, sampled every 25,000 records), then times typical queries the way the `query`
command runs them: the match count plus the first page of 20 rows. Prints a table and writes
bench/out/research.json. Targets on a 2-core machine: >= 5,000 records/s, p95 < 100 ms, flat RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SITES = [("gadgetwire.test", "gadgetwire"), ("bytebulletin.test", "bytebulletin"), ("orbitdaily.test", "news"),
         ("cloudcourier.test", "news"), ("chipchronicle.test", "chips"), ("devdispatch.test", "devdispatch"),
         ("netnotes.test", "news"), ("labledger.test", "labledger")]
SECTIONS = ["Gadgets", "Software", "Science", "Security", "Cloud", "Business"]
CRAWLS = ["20260301T000000Z", "20260901T000000Z"]
OUT = Path(__file__).resolve().parent / "out" / "research.json"
SAMPLE_EVERY = 25_000
QUERY_RUNS = 40


# ------------------------------------------------------------------------------------------ data

def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    """Made-up words from syllables, most frequent first (their use follows Zipf's law below)."""
    syllables = ["ka", "lo", "mi", "ten", "ra", "vo", "sul", "pe", "dri", "an", "or", "qui", "zen", "bel", "tor",
                 "ix", "um", "sta", "ne", "gro", "fa", "lin", "cer", "do", "wex", "hu", "pra", "mon", "el", "sy"]
    words: list[str] = []
    seen = set()
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Generator:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng)
        cumulative, total = [], 0.0
        for rank in range(len(self.words)):
            total += 1 / (rank + 1)
            cumulative.append(total)
        # A pool of sentences keeps generation cheap; texts draw about 50 of them (about 600 words).
        self.sentences = [self.sentence(cumulative) for _ in range(30_000)]
        self.authors = [f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}" for _ in range(120)]

    def sentence(self, cumulative: list[float]) -> str:
        words = self.rng.choices(self.words, cum_weights=cumulative, k=self.rng.randint(8, 16))
        return " ".join(words).capitalize() + "."

    def text(self) -> str:
        picks = self.rng.choices(self.sentences, k=self.rng.randint(35, 65))
        return "\n\n".join(" ".join(picks[i:i + 5]) for i in range(0, len(picks), 5))

    def record(self, number: int, crawl_id: str, site: str, spider: str, url: str | None = None) -> dict:
        rng = self.rng
        text = self.text()
        day = 1 + rng.randrange(365)
        published = f"2026-{1 + (day - 1) // 31 % 12:02d}-{1 + (day - 1) % 28:02d}"
        if rng.random() < 0.7:
            published += f"T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00{rng.choice(['Z', '+01:00', '-05:00'])}"
        authors = rng.sample(self.authors, rng.choice((0, 1, 1, 1, 2)))
        url = url or f"https://{site}/2026/story-{number}"
        title = " ".join(rng.choices(self.words[:3000], k=8)).capitalize()
        return {
            "url": url, "canonical_url": url, "site": site, "spider": spider, "crawl_id": crawl_id,
            "fetched_at": f"{crawl_id[:4]}-{crawl_id[4:6]}-{crawl_id[6:8]}T00:{number % 60:02d}:{number % 59:02d}Z",
            "extracted_at": f"{crawl_id[:4]}-{crawl_id[4:6]}-{crawl_id[6:8]}T00:00:00Z",
            "title": title, "description": text[:160], "authors": authors,
            "byline": "By " + " and ".join(authors) if authors else None, "published": published, "modified": None,
            "published_raw": published, "section": rng.choice(SECTIONS),
            "tags": rng.sample(self.words[100:400], 3), "language": "en", "text": text,
            "word_count": len(text.split()),
            "copyright": {"text": f"© 2026 {site}", "years": [2026], "holder": site, "all_rights_reserved": True,
                          "raw": f"(c) 2026 {site}"} if rng.random() < 0.8 else None,
            "images": [{"url": url + "/hero.jpg", "caption": title}],
            "warc": {"filename": f"BENCH-{crawl_id[:8]}000000000-00000-bench-1.warc.gz", "offset": number * 9000,
                     "length": 8000, "record_id": f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>",
                     "payload_digest": "sha1:" + "A" * 32},
            "revision": None, "text_digest": "sha1:" + "B" * 32,
            "provenance": {"title": "json-ld", "text": "heuristic"},
        }


FIRST = ["Ada", "Ben", "Chiara", "Dmitri", "Esi", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kofi", "Lena", "Mateo",
         "Nadia", "Omar", "Pia", "Quinn", "Rosa", "Sanjay", "Tove"]
LAST = ["Abara", "Bergstrom", "Castillo", "Dube", "Eriksen", "Fujita", "Garza", "Haddad", "Iversen", "Jovanovic",
        "Kariuki", "Laurent", "Mbeki", "Novak", "Okoye", "Petrov", "Quispe", "Rahman", "Silva", "Tanaka"]


def generate(archive: Path, total: int) -> dict:
    """Write `total` records into archive/<spider>/<crawl>/articles.jsonl; 5% are revisions of earlier URLs."""
    gen = Generator()
    handles = {}
    revisions = 0
    earlier: list[tuple[str, str, str]] = []
    try:
        for number in range(total):
            crawl_id = CRAWLS[0] if number < total * 0.6 else CRAWLS[1]
            site, spider = SITES[number % len(SITES)]
            url = None
            if crawl_id == CRAWLS[1] and earlier and gen.rng.random() < 0.08:
                site, spider, url = earlier[gen.rng.randrange(len(earlier))]
                revisions += 1
            record = gen.record(number, crawl_id, site, spider, url)
            if crawl_id == CRAWLS[0] and number % 10 == 0:
                earlier.append((site, spider, record["url"]))
            key = (spider, crawl_id)
            if key not in handles:
                folder = archive / spider / crawl_id
                folder.mkdir(parents=True, exist_ok=True)
                handles[key] = open(folder / "articles.jsonl", "w", encoding="utf-8")
            handles[key].write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        for fh in handles.values():
            fh.close()
    return {"revisions": revisions, "authors": gen.authors, "words": gen.words, "sentences": gen.sentences}


# ------------------------------------------------------------------------------------------ indexing

def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def index_child(archive: Path) -> None:
    """Runs in a fresh interpreter: index the archive, sampling RSS every SAMPLE_EVERY records."""
    import resource

    from newsarchive.research.indexer import Indexer
    from newsarchive.research.schema import index_path, open_index

    conn = open_index(index_path(archive))
    samples: dict[int, float] = {}
    done = 0

    def progress(bytes_read: int, records: int) -> None:
        nonlocal done
        before, done = done, done + records
        if before // SAMPLE_EVERY != done // SAMPLE_EVERY:
            samples[done // SAMPLE_EVERY * SAMPLE_EVERY] = round(rss_mb(), 1)

    indexer = Indexer(archive, conn, progress=progress)
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    report = indexer.update()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    noop_started = time.perf_counter()
    Indexer(archive, conn).update()
    noop = time.perf_counter() - noop_started
    conn.close()
    print(json.dumps({
        "records": report.records_added, "latest": report.latest_total, "seconds": report.seconds,
        "cpu_seconds": cpu,
        "rss_mb_by_records": samples, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "noop_update_seconds": noop,
    }))


# ------------------------------------------------------------------------------------------ queries

def phrase(rng: random.Random, sentences: list[str]) -> str:
    """Two neighbouring words of a real sentence, as a quoted FTS5 phrase."""
    words = rng.choice(sentences).rstrip(".").lower().split()
    start = rng.randrange(len(words) - 1)
    return f'"{words[start]} {words[start + 1]}"'


def time_queries(archive: Path, words: list[str], authors: list[str], sentences: list[str]) -> dict[str, dict]:
    from newsarchive.research.query import Filters, build_query, search
    from newsarchive.research.schema import connect, index_path

    conn = connect(index_path(archive), readonly=True)
    rng = random.Random(11)
    cases = {
        "text (one word)": lambda: Filters(text=rng.choice(words[300:3000])),
        "text (phrase)": lambda: Filters(text=phrase(rng, sentences)),
        "site + 30-day range": lambda: site_range(rng),
        "author": lambda: Filters(authors=[rng.choice(authors).upper()]),
        # Not typical: a word in most articles, so every match is read and sorted by date.
        "worst case: a word in most texts": lambda: Filters(text=rng.choice(words[:5])),
    }
    results = {}
    for name, make in cases.items():
        timings, matches = [], []
        for _ in range(QUERY_RUNS):
            filters = make()
            started = time.perf_counter()
            total, rows = search(conn, build_query(filters), limit=20)
            matches.append(total)
            page = list(rows)
            timings.append((time.perf_counter() - started) * 1000)
            assert len(page) == min(20, matches[-1])
        timings.sort()
        results[name] = {"p50_ms": round(statistics.median(timings), 2),
                         "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
                         "median_matches": int(statistics.median(matches))}
    conn.close()
    return results


def site_range(rng: random.Random):
    from newsarchive.research.query import Filters

    month = rng.randrange(1, 12)
    return Filters(sites=[rng.choice(SITES)[0]], since=f"2026-{month:02d}-01", until=f"2026-{month + 1:02d}-01")


# ------------------------------------------------------------------------------------------ report

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.research", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it (default: a temp dir)")
    parser.add_argument("--index-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.index_child:
        index_child(args.index_child)
        return 0

    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="bench-research-") as tmp:
        archive = (args.keep or Path(tmp)) / "archive"
        archive.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        data = generate(archive, args.records)
        generated = time.perf_counter() - started
        jsonl_bytes = sum(p.stat().st_size for p in archive.rglob("articles.jsonl"))
        child = subprocess.run([sys.executable, "-m", "bench.research", "--index-child", str(archive)],
                               capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
        indexing = json.loads(child.stdout.strip().splitlines()[-1])
        index_bytes = (archive / "index.sqlite").stat().st_size
        queries = time_queries(archive, data["words"], data["authors"], data["sentences"])

    result = {
        "records": args.records, "revisions": data["revisions"], "generate_seconds": round(generated, 1),
        "jsonl_mb": round(jsonl_bytes / 2**20, 1), "index_mb": round(index_bytes / 2**20, 1),
        "index_to_jsonl": round(index_bytes / jsonl_bytes, 2),
        "build_seconds": round(indexing["seconds"], 2),
        "build_records_per_s": round(indexing["records"] / indexing["seconds"]),
        # CPU time of the indexer (both its threads): what the build costs when the machine is shared.
        "build_cpu_seconds": round(indexing["cpu_seconds"], 2),
        "load_average_1min": load_before,  # other work on the machine slows the wall-clock figures
        "noop_update_seconds": round(indexing["noop_update_seconds"], 3),
        "indexer_rss_mb_by_records": indexing["rss_mb_by_records"], "indexer_peak_rss_mb": round(indexing["peak_rss_mb"], 1),
        "queries": queries,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(report(result))
    print(f"\nwrote {OUT}")
    return 0


def report(r: dict) -> str:
    rss = ", ".join(f"{int(k):,}: {v:.0f} MB" for k, v in r["indexer_rss_mb_by_records"].items())
    lines = [
        f"{'records indexed':<32} {r['records']:,} ({r['revisions']:,} revisions)",
        f"{'build time':<32} {r['build_seconds']} s",
        f"{'build rate':<32} {r['build_records_per_s']:,} records/s   (target >= 5,000)",
        f"{'build CPU time (all threads)':<32} {r['build_cpu_seconds']} s",
        f"{'load average when started':<32} {r['load_average_1min']} (2 cores)",
        f"{'no-op re-index':<32} {r['noop_update_seconds']} s",
        f"{'JSONL size':<32} {r['jsonl_mb']} MB",
        f"{'index size':<32} {r['index_mb']} MB ({r['index_to_jsonl']}x the JSONL)",
        f"{'indexer RSS by records read':<32} {rss}",
        f"{'indexer peak RSS':<32} {r['indexer_peak_rss_mb']} MB",
        "",
        f"{'query (count + first 20 rows)':<32} {'p50 ms':>8} {'p95 ms':>8} {'matches':>9}   (target p95 < 100 ms)",
    ]
    for name, q in r["queries"].items():
        lines.append(f"{name:<32} {q['p50_ms']:>8} {q['p95_ms']:>8} {q['median_matches']:>9,}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
