"""`newsarchive query`: find articles in the archive's index by site, author, date, tag or full text."""
from __future__ import annotations

import argparse
import csv
import json
import sys

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError
from newsarchive.commands.index import DEFAULT_ARCHIVE, archive_dir, updated_index

OUTPUT_FORMATS = ("table", "jsonl", "csv")
TABLE_LIMIT = 20


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filters shared by query, export and stats; repeat one to match any of its values."""
    parser.add_argument("--archive", default=DEFAULT_ARCHIVE, metavar="DIR", help="archive root (default: %(default)s/)")
    group = parser.add_argument_group("filters (repeat a filter to match any of its values)")
    group.add_argument("--site", action="append", default=[], help="site host, e.g. example.com")
    group.add_argument("--spider", action="append", default=[], help="spider name")
    group.add_argument("--author", action="append", default=[],
                       help="author name; case, accents and punctuation are ignored ('jose alvarez')")
    group.add_argument("--since", metavar="YYYY-MM-DD", help="published on or after this day (the site's day)")
    group.add_argument("--until", metavar="YYYY-MM-DD", help="published on or before this day")
    group.add_argument("--text", metavar="FTS",
                       help='full text of title, description and body, in SQLite FTS5 syntax: words, "a phrase", '
                       "AND / OR / NOT, prefix*, NEAR(a b), title: word")
    group.add_argument("--section", action="append", default=[], help="section name")
    group.add_argument("--tag", action="append", default=[], help="tag")
    group.add_argument("--language", action="append", default=[], metavar="CODE",
                       help="language identified from the text, e.g. en or de (en-GB matches en)")
    group.add_argument("--story", action="append", default=[], metavar="ID",
                       help="story id: the records whose texts are near-duplicates (see --group-stories)")
    group.add_argument("--copyright-holder", action="append", default=[], metavar="HOLDER",
                       help="copyright holder, e.g. 'Example Media Inc'")
    group.add_argument("--all-revisions", action="store_true",
                       help="every captured revision of an article (default: the latest capture of each URL)")


def filters_from_args(args):
    from newsarchive.research.query import Filters

    return Filters(sites=args.site, spiders=args.spider, authors=args.author, sections=args.section,
                   tags=args.tag, copyright_holders=args.copyright_holder, languages=args.language,
                   stories=args.story, since=args.since, until=args.until,
                   text=args.text, all_revisions=args.all_revisions)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "query",
        help="search the archive's articles",
        description="Search the articles of an archive through its index (ARCHIVE/index.sqlite, built or "
        "updated first when the archive changed). Prints a table on a terminal and JSON Lines when piped; "
        "the number of matches goes to stderr for jsonl/csv so pipes stay clean. Exit 0 with matches, "
        "1 with none, 2 on a bad filter or bad --text syntax, 3 when the archive is missing.",
        epilog="examples:\n"
        "  newsarchive query --text '\"solid state\" battery' --since 2026-01-01\n"
        "  newsarchive query --site example.com --author 'jane doe' --format csv > jane.csv\n"
        "  newsarchive query --text 'telesc*' --sort relevance --fields url,title,published\n"
        "  newsarchive query --tag security --all-revisions --format jsonl | jq .title\n"
        "  newsarchive query --language de --since 2026-01-01 --group-stories\n"
        "  newsarchive query --story 3f2a9c01d4e5b6a7 --fields url,site,title",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_filter_arguments(parser)
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=OUTPUT_FORMATS, help="table on a terminal, jsonl otherwise")
    out.add_argument("--fields", metavar="A,B",
                     help="fields to print, comma-separated; dotted names reach into objects (warc.offset); "
                     "'id' is the index id that `show` accepts")
    out.add_argument("--limit", type=int, metavar="N", help=f"at most N matches (default: {TABLE_LIMIT} for the "
                     "table, all for jsonl/csv)")
    out.add_argument("--sort", choices=("published", "relevance"), default="published",
                     help="newest published first (default), or best --text match first")
    out.add_argument("--group-stories", action="store_true",
                     help="one row per story (near-duplicate texts, e.g. a syndicated wire story) with its sites "
                     "and number of matching articles, biggest first; --fields does not apply")
    parser.set_defaults(func=run)


def parse_fields(value: str | None) -> list[str] | None:
    if value is None:
        return None
    fields = [name.strip() for name in value.split(",") if name.strip()]
    if not fields:
        raise CommandError("--fields needs at least one field name", EXIT_USAGE)
    return fields


def match_count(total: int) -> str:
    return f"{total} match" if total == 1 else f"{total} matches"


def matches(args, conn, *, limit: int | None):
    """(total count, iterator of (index id, record)) for the args' filters."""
    from newsarchive.research.query import QuerySyntaxError, build_query, search

    try:
        return search(conn, build_query(filters_from_args(args)), sort=args.sort, limit=limit)
    except QuerySyntaxError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None


def run(args) -> int:
    from newsarchive.research.query import StaleIndex

    fields = parse_fields(args.fields)
    output = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if args.limit is not None and args.limit < 0:
        raise CommandError("--limit must be 0 or more", EXIT_USAGE)
    limit = args.limit if args.limit is not None else (TABLE_LIMIT if output == "table" else None)
    archive = archive_dir(args.archive)
    conn, _ = updated_index(archive, progress=sys.stderr.isatty())
    if args.group_stories:
        return run_stories(args, conn, output, limit)
    try:
        total, rows = matches(args, conn, limit=limit)
        shown = write_matches(rows, output, fields)
    except StaleIndex as exc:
        raise CommandError(str(exc)) from None
    finally:
        conn.close()
    if output == "table":
        print(match_count(total) + (f", showing {shown}" if shown < total else ""))
    else:
        print(match_count(total) + (f", wrote {shown}" if shown < total else ""), file=sys.stderr)
    return EXIT_OK if total else EXIT_PROBLEMS


def write_matches(rows, output: str, fields: list[str] | None) -> int:
    """Print (index id, record) rows in the output format; how many were printed."""
    from newsarchive.research import formats

    shown = 0
    if output == "table":
        fields = fields or list(formats.TABLE_FIELDS)
        table_rows = [formats.flat_row(record, fields, index_id=index_id) for index_id, record in rows]
        shown = len(table_rows)
        if table_rows:
            print(formats.format_table(table_rows, fields))
    elif output == "jsonl":
        for index_id, record in rows:
            sys.stdout.write(json.dumps(formats.select_fields(record, fields, index_id=index_id),
                                        ensure_ascii=False) + "\n")
            shown += 1
    else:
        fields = fields or list(formats.CSV_FIELDS)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(fields)
        for index_id, record in rows:
            writer.writerow(formats.csv_row(record, fields, index_id=index_id))
            shown += 1
    return shown


STORY_FIELDS = ("story_id", "articles", "sites", "first_published", "title")


def run_stories(args, conn, output: str, limit: int | None) -> int:
    """`query --group-stories`: one row per story among the matches."""
    from newsarchive.research import formats
    from newsarchive.research.query import QuerySyntaxError, build_query, search_stories

    try:
        total, stories = search_stories(conn, build_query(filters_from_args(args)), limit=limit)
    except QuerySyntaxError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    finally:
        conn.close()
    rows = [story.as_dict() for story in stories]
    if output == "table":
        if rows:
            print(formats.format_table([formats.flat_row(row, STORY_FIELDS) for row in rows], list(STORY_FIELDS)))
        print(f"{total} {'story' if total == 1 else 'stories'}" + (f", showing {len(rows)}" if len(rows) < total else ""))
    elif output == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        fields = (*STORY_FIELDS[:-1], "last_published", "url", "title")
        writer.writerow(fields)
        writer.writerows(formats.csv_row(row, fields) for row in rows)
    if output != "table":
        print(f"{total} {'story' if total == 1 else 'stories'}", file=sys.stderr)
    return EXIT_OK if total else EXIT_PROBLEMS
