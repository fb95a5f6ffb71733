"""`newsarchive package CRAWL_DIR… --out FILE.wacz`: crawls as one WACZ 1.1.1 file (export/wacz.py)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "package",
        help="package crawls as a WACZ file (ReplayWeb.page, pywb, Browsertrix)",
        description="Write the WARC files, CDXJ index, article pages (url, ts, title, text) and crawl reports of "
        "CRAWL_DIR… into one WACZ 1.1.1 file. A CRAWL_DIR is a crawl folder (archive/<spider>/<crawl-id>/), or a "
        "folder holding several (a spider's folder, the whole archive). Every article record becomes one page. "
        "Exit 0 when written, 1 when there is nothing to package, 2 on bad arguments, 3 when a folder is missing.",
        epilog="examples:\n  newsarchive package archive/demo/20261129T042935Z --out demo.wacz\n"
        "  newsarchive package archive/demo --out all-demo-crawls.wacz --title 'Demo Tech News, 2026'\n"
        "  .venv-wacz/bin/wacz validate -f demo.wacz     # py-wacz's own check",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("crawl_dirs", nargs="+", metavar="CRAWL_DIR", help="crawl folder(s) to package")
    parser.add_argument("--out", "-o", required=True, metavar="FILE.wacz", help="the WACZ file to write")
    parser.add_argument("--title", help="the collection's title (default: names the crawls)")
    parser.add_argument("--description", help="a longer description, Markdown (default: counts and crawls)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from newsarchive import __version__
    from newsarchive.export.wacz import PackageError, find_crawls, write_wacz

    out = Path(args.out)
    if out.suffix != ".wacz":
        raise CommandError(f"--out must end in .wacz, not {out.name!r}", EXIT_USAGE)
    if not out.parent.is_dir():
        raise CommandError(f"--out: folder {out.parent} does not exist")
    try:
        crawls = find_crawls(Path(p) for p in args.crawl_dirs)
    except FileNotFoundError as exc:
        raise CommandError(str(exc)) from None
    if not crawls:
        raise CommandError(f"no crawl with finished WARC files in {', '.join(args.crawl_dirs)}", EXIT_PROBLEMS)
    try:
        summary = write_wacz(crawls, out, title=args.title, description=args.description,
                             software=f"newsarchive/{__version__}")
    except PackageError as exc:
        raise CommandError(str(exc), EXIT_PROBLEMS) from None
    for path in summary.skipped_open:
        print(f"newsarchive package: left out {path} (still being written, or needs repair)", file=sys.stderr)
    print(f"wrote {summary.path} ({summary.bytes} bytes): {len(crawls)} crawl{'s' if len(crawls) != 1 else ''}, "
          f"{summary.warcs} WARC file{'s' if summary.warcs != 1 else ''}, {summary.pages} pages, "
          f"{summary.index_lines} index lines")
    return EXIT_OK
