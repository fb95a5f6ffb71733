"""`newsarchive stats`: articles per site and per day, top authors, field coverage, and a plot."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError
from newsarchive.commands.index import archive_dir, updated_index
from newsarchive.commands.query import add_filter_arguments, filters_from_args


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="articles per site and per day, top authors, field coverage",
        description="Describe the archive (or the articles matching the filters, as in `query`): articles per "
        "site and per published day, the top authors, and field coverage: the share of articles with authors, "
        "a published date, a copyright notice, and a text of over 150 words. --plot draws articles per day "
        "per site into a PNG. Exit 0, or 1 when nothing matches, 2 on a bad filter, 3 when the archive is missing "
        "or --plot lacks matplotlib.",
        epilog="examples:\n  newsarchive stats\n  newsarchive stats --since 2026-11-01 --plot per-day.png\n"
        "  newsarchive stats --spider demo --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_filter_arguments(parser)
    parser.add_argument("--plot", metavar="PNG", help="write a chart of articles per day per site to this PNG file")
    parser.add_argument("--top", type=int, default=10, metavar="N", help="how many top authors (default: 10)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.set_defaults(func=run)


def run(args) -> int:
    from newsarchive.research.query import QuerySyntaxError, build_query
    from newsarchive.research.formats import terminal_safe
    from newsarchive.research.stats import compute_stats, format_stats

    if args.top < 0:
        raise CommandError("--top must be 0 or more", EXIT_USAGE)
    if args.plot:
        try:  # before any work: the chart is what was asked for
            import matplotlib  # noqa: F401
        except ImportError:
            raise CommandError("--plot needs matplotlib: pip install 'newsarchive[research]'") from None
    archive = archive_dir(args.archive)
    conn, _ = updated_index(archive, progress=sys.stderr.isatty())
    try:
        stats = compute_stats(conn, build_query(filters_from_args(args)), top=args.top)
    except QuerySyntaxError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    finally:
        conn.close()
    print(json.dumps(stats.as_dict(), indent=2, ensure_ascii=False) if args.json else terminal_safe(format_stats(stats)))
    if args.plot:
        from newsarchive.research.plot import plot_per_day

        path = plot_per_day(stats, Path(args.plot))
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK if stats.articles else EXIT_PROBLEMS
