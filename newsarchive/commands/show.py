"""`newsarchive show URL_OR_ID`: one article record, its WARC pointer, the archived response, or its replay URL."""
from __future__ import annotations

import argparse
import json
import re
import sys

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError
from newsarchive.commands.index import DEFAULT_ARCHIVE, archive_dir, updated_index
from newsarchive.research.formats import terminal_safe

UUID_RE = re.compile(r"^(<?urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}>?$", re.I)


def register(subparsers) -> None:
    from newsarchive.research.replay import DEFAULT_COLLECTION, DEFAULT_PYWB

    parser = subparsers.add_parser(
        "show",
        help="show one article: its record, the archived response, or its replay URL",
        description="Find one article by URL (or canonical URL), by index id (the `id` field of `query`) or by "
        "WARC record id, and print its record and WARC pointer. A URL with several captures shows the latest "
        "unless --revision. --raw reads the archived HTTP response from the WARC by offset and prints it "
        "decoded; it checks the payload digest against the record. Exit 0, 1 when nothing matches or the "
        "digest does not, 2 on bad options, 3 when the archive or the WARC file is missing.",
        epilog="examples:\n  newsarchive show https://example.com/2026/11/story\n"
        "  newsarchive show 42 --raw\n  newsarchive show 42 --raw --payload > page.bin\n"
        "  newsarchive show https://example.com/2026/11/story --replay-url --collection my-crawl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("target", metavar="URL_OR_ID", help="article URL, index id, or WARC record id")
    parser.add_argument("--archive", default=DEFAULT_ARCHIVE, metavar="DIR", help="archive root (default: %(default)s/)")
    parser.add_argument("--revision", type=int, metavar="N", help="the capture with revision number N (0: first)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print the record as one JSON line, exactly as archived")
    mode.add_argument("--raw", action="store_true",
                      help="print the archived HTTP response: status, headers, and the body with its "
                      "Content-Encoding undone and its charset applied")
    mode.add_argument("--replay-url", action="store_true", help="print the URL of this capture in pywb")
    parser.add_argument("--payload", action="store_true",
                        help="with --raw: write only the HTTP body byte for byte as archived (still "
                        "compressed if it was sent so); its SHA-1 is the record's warc.payload_digest")
    parser.add_argument("--pywb", default=DEFAULT_PYWB, metavar="URL",
                        help=f"pywb base URL for --replay-url (default: {DEFAULT_PYWB})")
    parser.add_argument("--collection", default=DEFAULT_COLLECTION,
                        help=f"pywb collection for --replay-url (default: {DEFAULT_COLLECTION})")
    parser.set_defaults(func=run)


def find_article(conn, target: str, revision: int | None):
    """The index row for a URL, index id or WARC record id; None when nothing matches."""
    columns = "id, source_id, line_offset, url, fetched_at, revision, warc_path, warc_offset, warc_length"
    if target.isdigit():
        return conn.execute(f"SELECT {columns} FROM articles WHERE id = ?", (int(target),)).fetchone()
    if UUID_RE.match(target):
        record_id = target if target.startswith("<") else f"<urn:uuid:{target.split(':')[-1].strip('<>')}>"
        return conn.execute(f"SELECT {columns} FROM articles WHERE warc_record_id = ?", (record_id,)).fetchone()
    where, params = "(url = ? OR canonical_url = ?)", [target, target]
    if revision is not None:
        where += " AND revision = ?"
        params.append(revision)
    return conn.execute(f"SELECT {columns} FROM articles WHERE {where} "
                        "ORDER BY fetched_at DESC, revision DESC, id DESC LIMIT 1", params).fetchone()


def describe(row, record: dict, captures: int, warc_file) -> str:
    warc = record.get("warc") or {}
    lines = [
        f"id          {row['id']}",
        f"url         {record.get('url')}",
        f"title       {record.get('title')}",
        f"authors     {'; '.join(record.get('authors') or []) or '-'}",
        f"published   {record.get('published') or '-'}",
        f"site        {record.get('site')}   spider {record.get('spider')}   crawl {record.get('crawl_id')}",
        f"fetched     {record.get('fetched_at')}   revision {row['revision']}   ({captures} captures of this URL)",
        f"section     {record.get('section') or '-'}   tags {'; '.join(record.get('tags') or []) or '-'}",
        f"words       {record.get('word_count')}",
        f"copyright   {(record.get('copyright') or {}).get('text') or '-'}",
        "",
        f"WARC file   {warc_file or '-'}",
        f"  offset    {warc.get('offset')}   length {warc.get('length')}",
        f"  record    {warc.get('record_id')}",
        f"  payload   {warc.get('payload_digest')}",
        "",
        (record.get("text") or "")[:600] + ("…" if len(record.get("text") or "") > 600 else ""),
    ]
    return terminal_safe("\n".join(lines))  # titles and text come from strangers' pages


def show_raw(row, record: dict, archive, payload_only: bool) -> int:
    from newsarchive.warc.reader import RecordNotFound, read_response

    if row["warc_path"] is None or row["warc_offset"] is None:
        raise CommandError("this record has no WARC pointer", EXIT_PROBLEMS)
    try:
        response = read_response(archive / row["warc_path"], row["warc_offset"])
    except RecordNotFound as exc:
        raise CommandError(str(exc)) from None
    if response.revisit:
        raise CommandError(f"the record at offset {row['warc_offset']} of {row['warc_path']} is a revisit, "
                           "not a response with a payload")
    expected = (record.get("warc") or {}).get("payload_digest")
    status = EXIT_OK
    if expected and response.payload_digest != expected:
        print(f"newsarchive show: payload digest {response.payload_digest} does not match the record's {expected}",
              file=sys.stderr)
        status = EXIT_PROBLEMS
    if response.url != record.get("url"):
        print(f"newsarchive show: the WARC record is for {response.url}, not {record.get('url')}",
              file=sys.stderr)
        status = EXIT_PROBLEMS
    out = sys.stdout.buffer
    if payload_only:
        out.write(response.body)
    else:
        try:
            encoding, text = response.text()
        except Exception as exc:  # a corrupt gzip body, an unknown coding: say so, keep the headers
            raise CommandError(f"cannot decode the archived body: {exc}", EXIT_PROBLEMS) from None
        head = "\n".join([response.status_line] + [f"{name}: {value}" for name, value in response.headers]) + "\n\n"
        if sys.stdout.isatty():  # on a terminal, no escape sequence from the archived page runs
            head, text = terminal_safe(head), terminal_safe(text)
        out.write(head.encode("utf-8"))
        out.write(text.encode("utf-8"))
        print(f"(WARC {row['warc_path']} @ {row['warc_offset']}, {response.warc_date}, body decoded as {encoding})",
              file=sys.stderr)
    out.flush()
    return status


def run(args) -> int:
    from newsarchive.research.query import RecordReader, StaleIndex
    from newsarchive.research.replay import replay_url

    if args.payload and not args.raw:
        raise CommandError("--payload goes with --raw", EXIT_USAGE)
    archive = archive_dir(args.archive)
    conn, _ = updated_index(archive)
    try:
        row = find_article(conn, args.target.strip(), args.revision)
        if row is None:
            raise CommandError(f"no article {args.target!r} in the index of {archive}", EXIT_PROBLEMS)
        with RecordReader(conn) as reader:
            record = reader.record(row["source_id"], row["line_offset"], row["url"])
        captures = conn.execute("SELECT count(*) FROM articles WHERE url = ?", (row["url"],)).fetchone()[0]
    except StaleIndex as exc:
        raise CommandError(str(exc)) from None
    finally:
        conn.close()
    if args.raw:
        return show_raw(row, record, archive, args.payload)
    if args.replay_url:
        try:
            print(replay_url(record["url"], record.get("fetched_at") or "", pywb=args.pywb,
                             collection=args.collection))
        except ValueError as exc:
            raise CommandError(f"no capture time: {exc}", EXIT_PROBLEMS) from None
        return EXIT_OK
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
        return EXIT_OK
    warc_file = archive / row["warc_path"] if row["warc_path"] else None
    print(describe(row, record, captures, warc_file))
    return EXIT_OK
