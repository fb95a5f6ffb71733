"""`newsarchive validate PATH…`: the WARC validation gate (gzip integrity, digests, strict lint)."""
from __future__ import annotations

import argparse
from pathlib import Path

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, CommandError

RULES = """checks, for every record of every file:
  gzip        every gzip member is whole (CRC and length); each record is its own member
  digest      WARC-Block-Digest and WARC-Payload-Digest match the stored bytes (as `warcio check`),
              and both are sha1:BASE32
  lint        WARC/1.1; warcinfo record first; WARC-Warcinfo-ID on every other record; each response
              followed by its request (WARC-Concurrent-To); WARC-IP-Address on responses and
              requests; no record dated before its file's warcinfo record;
              Content-Type application/http;msgtype=...; no Transfer-Encoding: chunked in stored
              HTTP headers; HTTP Content-Length equal to the stored body; Host header on requests;
              revisit records carry WARC-Profile and WARC-Refers-To-Target-URI/-Date, a head-only
              revisit WARC-Truncated: length, a server-not-modified one no HTTP head; metadata
              records say what they refer to; no leftover .open files
  cdxj        the .cdxj index beside each WARC has one line per response/revisit, whose offset,
              length, url, digest and filename match the record
  references  every revisit's target (WARC-Refers-To-Target-URI at WARC-Refers-To-Date, WARC-Refers-To)
              and every metadata record's subject (WARC-Refers-To) is in the archive, and every line of
              articles.jsonl points (`warc`) at a response of its URL with its payload digest; the
              archive searched is the files named plus, for files in the archive layout, every crawl
              of the same spider; the articles.jsonl checked are those under the folders named and
              those of the crawls the WARC files belong to

exit status: 0 all files pass, 1 problems found (or no WARC file at all), 3 a path does not exist"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check WARC files: gzip integrity, digests, and the archive's WARC conventions",
        description="Validate WARC files (or every WARC under a folder, recursively) against the archive's "
        "validation gate. Prints one line per problem as PATH:OFFSET: MESSAGE, then a summary line.",
        epilog=RULES + "\n\nexamples:\n  newsarchive validate archive/\n"
        "  newsarchive validate archive/demo/20261129T042935Z/warc/NEWSARCHIVE-*.warc.gz",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="WARC file or folder to search recursively")
    parser.add_argument("--no-cdxj", dest="require_cdxj", action="store_false",
                        help="do not require a .cdxj index beside each WARC (still checked when present)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the summary line")
    parser.set_defaults(func=run)


def warc_files_named(paths: list[str]) -> list[Path]:
    """The WARC files PATH… name (folders searched recursively), for every command that reads WARCs.

    A missing path is an environment error; no WARC at all is a problem found (exit 1), never a pass.
    """
    from newsarchive.warc.reader import find_warc_files

    try:
        files = find_warc_files(paths)
    except FileNotFoundError as exc:
        raise CommandError(str(exc)) from None
    if not files:
        raise CommandError(f"no WARC files found in {', '.join(paths)}", EXIT_PROBLEMS)
    return files


def run(args) -> int:
    from newsarchive.warc.validate import check_references, validate_file

    files = warc_files_named(args.paths)
    problems = records = 0
    results = []
    for path in files:
        result = validate_file(path, require_cdxj=args.require_cdxj)
        results.append(result)
        records += result.records
        problems += len(result.problems)
        if not args.quiet:
            for problem in result.problems:
                print(problem)
    dangling = check_references(results, args.paths)
    problems += len(dangling)
    if not args.quiet:
        for problem in dangling:
            print(problem)
    verdict = "ok" if not problems else f"{problems} problem{'s' if problems != 1 else ''}"
    print(f"validated {len(files)} WARC file{'s' if len(files) != 1 else ''}, {records} records: {verdict}")
    return EXIT_OK if not problems else EXIT_PROBLEMS
