"""`newsarchive reextract WARC_OR_FOLDER… --out articles.jsonl`: today's extraction over archived pages."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reextract",
        help="re-run extraction over archived WARC responses (no network)",
        description="Re-run today's extract + normalize over the article responses in WARC files, with the same "
        "code and spider rules as a crawl, and write one JSON record per article. Records keep their original "
        "`warc` pointer and `fetched_at` (the WARC-Date) and get a new `extracted_at`; each also goes into the "
        "archive as a WARC metadata record (--no-metadata: not). The spider comes from "
        "each WARC's warcinfo record or crawl folder, or from --spider. Exit 0 with articles, 1 when no WARC file or "
        "no article was found, 2 when no spider fits, 3 when a path is missing or --out cannot be written.",
        epilog="examples:\n  newsarchive reextract archive/techtimes/ --out techtimes.jsonl\n"
        "  newsarchive reextract old.warc.gz --spider techtimes --out old.jsonl\n\n"
        "To re-crawl an archive through a spider instead (its discovery too):\n"
        "  scrapy crawl SPIDER -s REPLAY_WARC=archive/SPIDER/CRAWL_ID/warc/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="WARC_OR_FOLDER", help="WARC files, or folders searched recursively")
    parser.add_argument("--out", "-o", required=True, metavar="FILE", help="output JSON Lines file ('-' for stdout)")
    parser.add_argument("--spider", help="spider whose rules and callback to use (overrides warcinfo and folder)")
    parser.add_argument("--metadata", action=argparse.BooleanOptionalAction, default=True,
                        help="also write each record as a WARC metadata record, about its response, into a new "
                        "REEXTRACT-*.warc.gz in the crawl's own warc/ folder (default: on; WARC files outside "
                        "the archive layout get none)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar (default: on a terminal)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from newsarchive.commands.validate import warc_files_named
    from newsarchive.crawl.reextract import ReextractError, reextract

    files = warc_files_named(args.paths)
    to_stdout = args.out == "-"
    tmp = Path(args.out).with_name(Path(args.out).name + ".tmp")
    try:
        out = sys.stdout if to_stdout else open(tmp, "w", encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror}") from None
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    show = sys.stderr.isatty() if args.progress is None else args.progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=sum(p.stat().st_size for p in files), unit="B", unit_scale=True, desc="reextract",
                   file=sys.stderr)
    from newsarchive import __version__
    from newsarchive.warc.metadata import ArticleMetadataWriter

    metadata = ArticleMetadataWriter({"software": f"newsarchive/{__version__}",
                                      "description": "article records re-extracted from this crawl's captures"}) \
        if args.metadata else None
    try:
        summary = reextract(files, out, spider=args.spider, progress=bar.update if bar else None, metadata=metadata)
    except ReextractError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    finally:
        if bar:
            bar.close()
        if metadata is not None:
            metadata.close()
        if not to_stdout:
            out.close()
            if sys.exc_info()[0] is not None:
                tmp.unlink(missing_ok=True)
    if not to_stdout:
        os.replace(tmp, args.out)  # a reader never sees half a file
    print(summary.format(), file=sys.stderr if to_stdout else sys.stdout)
    return EXIT_OK if summary.articles else EXIT_PROBLEMS
