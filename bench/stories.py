"""Story grouping (newsarchive/research/stories.py): precision and recall on a synthetic set with known
near-duplicates, and what grouping costs per record when an index of 100,000 records is built.

    python -m bench.stories [--records N] [--keep DIR]

The set: original stories (bench.research's generator: Zipf-distributed made-up words, ~600 words), and
for some of them copies as syndication makes them, each kind labelled with the Jaccard similarity of its
5-word shingles to the original:
  copy        the same text under another headline on another site (1.0)
  truncated   the first 55-90% of the paragraphs (0.55-0.9)
  extended    one or two paragraphs of the re-publisher's own added (0.75-0.9)
  edited      2-4% of the words replaced, as copy desks do (0.6-0.8)
  rewritten   8-12% of the words replaced and cut to 70%: below the threshold by design (0.3-0.45)
and hard negatives: follow-up stories that reuse two or three background paragraphs of an earlier story
in new text (0.1-0.25), which must NOT join its story.

Precision and recall are over pairs of records: a pair is predicted together when the index gives both
the same story_id, truly together when they come from one original (rewritten copies count as truly
together, so their misses lower recall). The cost is the index build with grouping against the same
build without it, side by side in one run, each in a fresh child process.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.research import SITES, Generator

OUT = Path(__file__).resolve().parent / "out" / "stories.json"
CRAWL = "20260901T000000Z"
KINDS = ("copy", "truncated", "extended", "edited", "rewritten")


# ------------------------------------------------------------------------------------------ data

def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def replace_words(rng: random.Random, text: str, share: float, words: list[str]) -> str:
    tokens = text.split(" ")
    for i in rng.sample(range(len(tokens)), int(len(tokens) * share)):
        tokens[i] = rng.choice(words)
    return " ".join(tokens)


def variant(gen: Generator, kind: str, text: str) -> str:
    rng = gen.rng
    parts = paragraphs(text)
    if kind == "copy":
        return text
    if kind == "truncated":
        return "\n\n".join(parts[:max(2, round(len(parts) * rng.uniform(0.55, 0.9)))])
    if kind == "extended":
        extra = [gen.text().split("\n\n")[0] for _ in range(rng.choice((1, 2)))]
        return "\n\n".join(parts + extra)
    if kind == "edited":
        return replace_words(rng, text, rng.uniform(0.02, 0.04), gen.words[:5000])
    if kind == "rewritten":
        cut = "\n\n".join(parts[:max(2, round(len(parts) * 0.7))])
        return replace_words(rng, cut, rng.uniform(0.08, 0.12), gen.words[:5000])
    raise ValueError(kind)


def follow_up(gen: Generator, text: str) -> str:
    """A new story that reuses two or three background paragraphs of an earlier one."""
    reused = gen.rng.sample(paragraphs(text), min(len(paragraphs(text)), gen.rng.choice((2, 3))))
    return "\n\n".join(paragraphs(gen.text()) + reused)


def corpus(total: int, seed: int = 7) -> tuple[list[dict], dict[str, int]]:
    """`total` records (url -> true story in each record's "_truth") and how many of each kind."""
    gen = Generator(seed)
    rng = gen.rng
    records: list[dict] = []
    kinds: Counter = Counter()
    originals: list[tuple[int, str]] = []
    number = 0
    while len(records) < total:
        site, spider = SITES[number % len(SITES)]
        roll = rng.random()
        if originals and roll < 0.30:  # a syndicated or edited copy of an earlier story
            truth, text = originals[rng.randrange(len(originals))]
            kind = rng.choices(KINDS, weights=(3, 3, 3, 3, 1))[0]
            text = variant(gen, kind, text)
        elif originals and roll < 0.36:  # a follow-up: a story of its own
            truth, kind = number, "follow_up"
            text = follow_up(gen, originals[rng.randrange(len(originals))][1])
        else:
            truth, kind, text = number, "original", gen.text()
            originals.append((number, text))
        record = gen.record(number, CRAWL, site, spider)
        record.update(text=text, word_count=len(text.split()), description=text[:160],
                      text_digest=f"sha1:{number:032d}", _truth=truth, _kind=kind)
        records.append(record)
        kinds[kind] += 1
        number += 1
    return records, dict(kinds)


def write_archive(archive: Path, records: list[dict]) -> None:
    handles = {}
    try:
        for record in records:
            folder = archive / record["spider"] / CRAWL
            if record["spider"] not in handles:
                folder.mkdir(parents=True, exist_ok=True)
                handles[record["spider"]] = open(folder / "articles.jsonl", "w", encoding="utf-8")
            clean = {k: v for k, v in record.items() if not k.startswith("_")}
            handles[record["spider"]].write(json.dumps(clean, ensure_ascii=False) + "\n")
    finally:
        for fh in handles.values():
            fh.close()


# ------------------------------------------------------------------------------------------ scoring

def pairs(sizes) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pair_scores(truth: dict[str, object], predicted: dict[str, object]) -> dict[str, float]:
    """Pairwise precision and recall of a predicted grouping against the true one (keys: record urls)."""
    together = Counter((truth[url], predicted[url]) for url in truth)
    true_positive = pairs(together.values())
    predicted_pairs = pairs(Counter(predicted[url] for url in truth).values())
    true_pairs = pairs(Counter(truth.values()).values())
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / true_pairs if true_pairs else 1.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "true_pairs": true_pairs,
            "predicted_pairs": predicted_pairs}


def recall_by_kind(records: list[dict], predicted: dict[str, object]) -> dict[str, float]:
    """Per kind of copy: the share that landed in its original's story (follow-ups: the share kept apart)."""
    story_of_original = {r["_truth"]: predicted[r["url"]] for r in records if r["_kind"] == "original"}
    hits: Counter = Counter()
    seen: Counter = Counter()
    for record in records:
        kind = record["_kind"]
        if kind == "original":
            continue
        seen[kind] += 1
        if kind == "follow_up":
            hits[kind] += predicted[record["url"]] not in story_of_original.values() or \
                predicted[record["url"]] == story_of_original.get(record["_truth"])
        else:
            hits[kind] += predicted[record["url"]] == story_of_original[record["_truth"]]
    return {kind: round(hits[kind] / seen[kind], 4) for kind in sorted(seen)}


def index_stories(archive: Path) -> dict[str, str]:
    from newsarchive.research.schema import connect, index_path

    conn = connect(index_path(archive), readonly=True)
    try:
        return dict(conn.execute("SELECT url, story_id FROM articles"))
    finally:
        conn.close()


# ------------------------------------------------------------------------------------------ runs

def index_child(archive: Path, grouping: bool) -> None:
    """In a fresh interpreter: index the archive, with or without story grouping; print the timings."""
    import resource

    from newsarchive.research import indexer, stories
    from newsarchive.research.schema import index_path, open_index

    if not grouping:  # the same build with story grouping taken out, for the side-by-side ratio
        indexer.story_input = lambda article_id, record, row: stories.StoryInput(article_id, row["url"], row["url"],
                                                                                 None, None, None)
        stories.StoryAssigner.assign_batch = lambda self, items: [None] * len(items)
    conn = open_index(index_path(archive))
    before = resource.getrusage(resource.RUSAGE_SELF)
    report = indexer.Indexer(archive, conn).update()
    after = resource.getrusage(resource.RUSAGE_SELF)
    conn.close()
    print(json.dumps({"records": report.records_added, "seconds": report.seconds,
                      "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
                      "index_bytes": index_path(archive).stat().st_size}))


def run_child(archive: Path, grouping: bool) -> dict:
    child = subprocess.run([sys.executable, "-m", "bench.stories", "--index-child", str(archive)]
                           + ([] if grouping else ["--no-grouping"]), capture_output=True, text=True, check=True,
                           cwd=Path(__file__).resolve().parent.parent)
    return json.loads(child.stdout.strip().splitlines()[-1])


def signature_cost(records: list[dict], sample: int = 2000) -> float:
    """Microseconds to compute one signature (the reader thread's share), on a sample of the texts."""
    from newsarchive.research.stories import signature

    texts = [r["text"] for r in records[:sample]]
    started = time.perf_counter()
    for text in texts:
        signature(text)
    return (time.perf_counter() - started) / len(texts) * 1e6


def measure(total: int, keep: Path | None = None) -> dict:
    records, kinds = corpus(total)
    truth = {r["url"]: r["_truth"] for r in records}
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as tmp:
        root = keep or Path(tmp)
        with_grouping, without = root / "with-grouping", root / "without-grouping"
        for archive in (with_grouping, without):
            write_archive(archive, records)
        grouped = run_child(with_grouping, grouping=True)
        plain = run_child(without, grouping=False)
        predicted = index_stories(with_grouping)
    scores = pair_scores(truth, predicted)
    extra = grouped["cpu_seconds"] - plain["cpu_seconds"]
    return {
        "records": total, "kinds": kinds, "stories_found": len(set(predicted.values())),
        "true_stories": len(set(truth.values())), **scores, "by_kind": recall_by_kind(records, predicted),
        "build_seconds_with": round(grouped["seconds"], 2), "build_seconds_without": round(plain["seconds"], 2),
        "build_cpu_seconds_with": round(grouped["cpu_seconds"], 2),
        "build_cpu_seconds_without": round(plain["cpu_seconds"], 2),
        "cpu_ratio": round(grouped["cpu_seconds"] / plain["cpu_seconds"], 2),
        "grouping_cpu_us_per_record": round(extra / total * 1e6, 1),
        "signature_us_per_record": round(signature_cost(records), 1),
        "index_mb_with": round(grouped["index_bytes"] / 2**20, 1),
        "index_mb_without": round(plain["index_bytes"] / 2**20, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def report(r: dict) -> str:
    lines = [
        f"{'records':<34} {r['records']:,} ({', '.join(f'{k} {n:,}' for k, n in sorted(r['kinds'].items()))})",
        f"{'stories (true / found)':<34} {r['true_stories']:,} / {r['stories_found']:,}",
        f"{'pairwise precision':<34} {r['precision']}",
        f"{'pairwise recall':<34} {r['recall']}   (rewritten copies are below the threshold by design)",
        f"{'grouped with their original':<34} " + ", ".join(f"{k} {v:.1%}" for k, v in r["by_kind"].items()
                                                           if k != "follow_up"),
        f"{'follow-ups kept apart':<34} {r['by_kind'].get('follow_up', 1):.1%}",
        f"{'index build CPU, with / without':<34} {r['build_cpu_seconds_with']} s / {r['build_cpu_seconds_without']} s"
        f"  (x{r['cpu_ratio']})",
        f"{'index build wall, with / without':<34} {r['build_seconds_with']} s / {r['build_seconds_without']} s",
        f"{'grouping CPU per record':<34} {r['grouping_cpu_us_per_record']} us "
        f"(signature alone {r['signature_us_per_record']} us)",
        f"{'index size, with / without':<34} {r['index_mb_with']} MB / {r['index_mb_without']} MB",
        f"{'load average when done':<34} {r['load_average_1min']} (2 cores)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stories", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the archives here and keep them (default: a temp dir)")
    parser.add_argument("--index-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-grouping", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.index_child:
        index_child(args.index_child, grouping=not args.no_grouping)
        return 0
    result = measure(args.records, args.keep)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(report(result))
    print(f"\nwrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
