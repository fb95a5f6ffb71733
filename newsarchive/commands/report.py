"""`newsarchive report [SPIDER]`: has a spider's latest crawl drifted from its previous crawls?"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsarchive.base.layout import DEFAULT_ARCHIVE_DIR
from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError


def fraction(value: str) -> float:
    number = float(value)
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1], not {value}")
    return number


def register(subparsers) -> None:
    from newsarchive.crawl.drift import DEFAULT_COUNT_DROP, DEFAULT_COVERAGE_DROP, DEFAULT_WINDOW

    parser = subparsers.add_parser(
        "report",
        help="compare the latest crawl of each spider with its previous crawls (drift)",
        description="Compare each spider's latest crawl.json with the median of its previous crawls. Flags a "
        "field whose coverage (title, authors, published, copyright, body) dropped, an article count that "
        "fell sharply, and coverage floors (FIELD_COVERAGE_MIN) missed by the latest crawl. Exit 1 when "
        "anything is flagged (run it after each scheduled crawl to catch a broken spider), 2 on a bad option, "
        "3 when the archive or its crawl reports are missing.",
        epilog="examples:\n  newsarchive report\n  newsarchive report techtimes --coverage-drop 0.1\n"
        "  newsarchive report --archive /data/archive --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spider", nargs="?", help="spider name (default: every spider in the archive)")
    parser.add_argument("--archive", metavar="DIR", default=DEFAULT_ARCHIVE_DIR, help="archive root (default: %(default)s/)")
    parser.add_argument("--coverage-drop", type=fraction, default=DEFAULT_COVERAGE_DROP, metavar="F",
                        help=f"flag a field whose coverage fell by at least F (default {DEFAULT_COVERAGE_DROP})")
    parser.add_argument("--count-drop", type=fraction, default=DEFAULT_COUNT_DROP, metavar="F",
                        help=f"flag an article count that fell by more than F (default {DEFAULT_COUNT_DROP})")
    parser.add_argument("--window", type=int, default=DEFAULT_WINDOW, metavar="N",
                        help=f"compare with up to N previous crawls (default {DEFAULT_WINDOW})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def run(args) -> int:
    from newsarchive.crawl.drift import compare, crawl_reports, format_drift, spiders_in

    if args.window < 1:
        raise CommandError("--window must be at least 1", EXIT_USAGE)
    archive = Path(args.archive)
    if not archive.is_dir():
        raise CommandError(f"no archive folder at {archive}")
    spiders = [args.spider] if args.spider else spiders_in(archive)
    if not spiders:
        raise CommandError(f"no crawl reports (crawl.json) under {archive}")
    drifts = []
    for spider in spiders:
        reports = crawl_reports(archive / spider)
        if not reports:
            raise CommandError(f"no crawl reports for spider {spider!r} under {archive / spider}")
        drifts.append(compare(reports, coverage_drop=args.coverage_drop, count_drop=args.count_drop,
                              window=args.window))
    if args.json:
        print(json.dumps([d.to_dict() for d in drifts], indent=2, ensure_ascii=False))
    else:
        print("\n".join(format_drift(d) for d in drifts))
        flagged = [d.spider for d in drifts if d.flagged]
        print(f"drift in {len(flagged)} of {len(drifts)} spider(s)" + (f": {', '.join(flagged)}" if flagged else ""))
    return EXIT_PROBLEMS if any(d.flagged for d in drifts) else EXIT_OK
