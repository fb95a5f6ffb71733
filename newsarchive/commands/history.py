"""`newsarchive history URL`: every archived revision of an article, with dates and what changed.

The state store (archive/<spider>/state.sqlite) says which crawls captured a new revision and when
the URL was last fetched; the articles.jsonl of those crawls hold each revision's record and diff.
Without a state file, every articles.jsonl of the archive is searched.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

from newsarchive.base import layout
from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError

SNIPPET = 160


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "history",
        help="an article's revisions across crawls, with dates and paragraph diffs",
        description="Print every archived revision of the article at URL: when it was captured, in which "
        "crawl and WARC file, its text digest, and which paragraphs were added, removed or changed since "
        "the revision before. Exit 0, or 1 when the archive has no record of URL, 2 when --spider has no folder, "
        "3 when the archive is missing.",
        epilog="examples:\n  newsarchive history https://example-news.site/2026/11/29/a-story/\n"
        "  newsarchive history URL --archive /data/archive --spider news --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("url", help="the article's URL, as archived (its `url` or `canonical_url`)")
    parser.add_argument("--archive", metavar="DIR", default=layout.DEFAULT_ARCHIVE_DIR, help="archive root (default: %(default)s/)")
    parser.add_argument("--spider", help="look only in this spider's folder")
    parser.add_argument("--full", action="store_true", help="print whole paragraphs, not the first 160 characters")
    parser.add_argument("--json", action="store_true", help="print the revisions as JSON")
    parser.set_defaults(func=run)


def records_of(path: Path, url: str) -> list[dict]:
    """The records of `url` in one articles.jsonl (as its `url` or `canonical_url`)."""
    from newsarchive.export.record import read_records

    return [record for record in read_records(path) if url in (record.get("url"), record.get("canonical_url"))]


def spider_history(spider_dir: Path, url: str) -> dict | None:
    """The URL's revisions in one spider's folder, oldest first, or None when it has none."""
    from newsarchive.state.store import SqliteCrawlState

    state_path = spider_dir / layout.STATE_FILE
    known, entries = None, []
    if state_path.exists():
        try:
            with SqliteCrawlState(state_path) as store:
                known, entries = store.get(url), store.revisions(url)
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"cannot read the state {state_path}: {exc}") from None
    crawl_ids = sorted({e.crawl_id for e in entries if e.crawl_id}) or sorted(
        p.parent.name for p in spider_dir.glob(f"*/{layout.ARTICLES_FILE}"))
    records = [r for crawl_id in crawl_ids for r in records_of(spider_dir / crawl_id / layout.ARTICLES_FILE, url)]
    if not records and not entries:
        return None
    records.sort(key=lambda r: (r.get("fetched_at") or "", (r.get("revision") or {}).get("number", 1)))
    revisions = []
    for record in records:
        revision = record.get("revision") or {}
        revisions.append({
            "number": revision.get("number", 1),
            "fetched_at": record.get("fetched_at"),
            "crawl_id": record.get("crawl_id"),
            "title": record.get("title"),
            "word_count": record.get("word_count"),
            "text_digest": record.get("text_digest"),
            "previous_text_digest": revision.get("previous_text_digest"),
            "diff": revision.get("diff"),
            "warc": record.get("warc"),
        })
    listed = {r["number"] for r in revisions}
    for entry in entries:  # a revision the state knows whose articles.jsonl is gone
        if entry.number not in listed:
            revisions.append({"number": entry.number, "fetched_at": entry.fetched_at, "crawl_id": entry.crawl_id,
                              "text_digest": entry.text_digest, "previous_text_digest": entry.previous_text_digest,
                              "diff": None, "warc": {"filename": entry.warc_filename}, "record_missing": True})
    revisions.sort(key=lambda r: (r["number"], r.get("fetched_at") or ""))
    return {
        "url": url,
        "spider": spider_dir.name,
        "last_fetched": known.last_fetched if known else None,
        "current_revision": known.revision if known else max(r["number"] for r in revisions),
        "revisions": revisions,
    }


def _clip(text: str, full: bool) -> str:
    text = " ".join(text.split())
    return text if full or len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def format_history(history: dict, *, full: bool = False) -> str:
    from newsarchive.state.revisions import summarize_diff

    lines = [f"{history['url']}  (spider {history['spider']}; {len(history['revisions'])} revision(s), "
             f"last fetched {history['last_fetched'] or 'unknown'})"]
    for rev in history["revisions"]:
        warc = rev.get("warc") or {}
        lines.append(f"  revision {rev['number']}  {rev.get('fetched_at') or '?'}  crawl {rev.get('crawl_id') or '?'}  "
                     f"{rev.get('text_digest') or ''}  {warc.get('filename') or ''}")
        if rev.get("title"):
            lines.append(f"    title: {rev['title']} ({rev.get('word_count') or 0} words)")
        if rev.get("record_missing"):
            lines.append("    (the state lists this revision, but its articles.jsonl record was not found)")
        if rev["number"] > 1 and rev.get("diff"):
            diff = rev["diff"]
            lines.append(f"    changes since {rev.get('previous_text_digest')}: {summarize_diff(diff)}")
            for change in diff.get("changed", []):
                lines.append(f"      ~ [{change['index']}] was: {_clip(change['before'], full)}")
                lines.append(f"      ~ [{change['index']}] now: {_clip(change['after'], full)}")
            for added in diff.get("added", []):
                lines.append(f"      + [{added['index']}] {_clip(added['text'], full)}")
            for removed in diff.get("removed", []):
                lines.append(f"      - [{removed['index']}] {_clip(removed['text'], full)}")
        elif rev["number"] == 1:
            lines.append("    first capture")
    return "\n".join(lines)


def run(args) -> int:
    from newsarchive.research.formats import terminal_safe

    root = Path(args.archive)
    if not root.is_dir():
        raise CommandError(f"no archive at {root}")
    if args.spider:
        spider_dirs = [root / args.spider]
        if not spider_dirs[0].is_dir():
            raise CommandError(f"no folder for spider {args.spider!r} in {root}", EXIT_USAGE)
    else:
        spider_dirs = sorted(p for p in root.iterdir() if p.is_dir())
    histories = [h for h in (spider_history(d, args.url) for d in spider_dirs) if h is not None]
    if args.json:
        print(json.dumps(histories, indent=2, ensure_ascii=False))
    elif histories:
        print(terminal_safe("\n\n".join(format_history(h, full=args.full) for h in histories)))
    else:
        print(f"no archived record of {args.url} in {root}")
    return EXIT_OK if histories else EXIT_PROBLEMS
