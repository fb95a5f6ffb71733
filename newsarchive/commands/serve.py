"""`newsarchive serve [ARCHIVE]`: a read-only search page over the archive's index, on 127.0.0.1."""
from __future__ import annotations

import argparse
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from newsarchive.base.layout import DEFAULT_ARCHIVE_DIR
from newsarchive.commands import EXIT_OK, EXIT_USAGE, CommandError
from newsarchive.commands.index import archive_dir

DEFAULT_PORT = 8765


def register(subparsers) -> None:
    from newsarchive.research.replay import DEFAULT_COLLECTION, DEFAULT_PYWB

    parser = subparsers.add_parser(
        "serve",
        help="a search page over the archive's index, in the browser",
        description="Serve a small web page over ARCHIVE/index.sqlite: a search box with the query filters "
        "(text, site, author, language, date range), results with highlighted snippets, and an article view "
        "with its fields, story, revisions, the raw capture and its replay URL. Read-only: the index is opened "
        "read-only and nothing in the archive is written (run `newsarchive index` to bring it up to date). "
        "Listens on 127.0.0.1 unless --host says otherwise. Exit 0 on Ctrl-C, 2 on a bad option, 3 when the "
        "archive or its index is missing, the port is taken, or jinja2 is not installed.",
        epilog="examples:\n  newsarchive index && newsarchive serve\n  newsarchive serve /data/archive --port 9000\n"
        "  newsarchive serve --pywb http://localhost:8080 --collection my-crawl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("archive", nargs="?", default=DEFAULT_ARCHIVE_DIR, metavar="ARCHIVE",
                        help="archive root (default: %(default)s/)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N",
                        help=f"port (default: {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1; anything else exposes the archive)")
    parser.add_argument("--pywb", default=DEFAULT_PYWB, metavar="URL", help=f"pywb base URL for replay links "
                        f"(default: {DEFAULT_PYWB})")
    parser.add_argument("--collection", default=DEFAULT_COLLECTION,
                        help=f"pywb collection for replay links (default: {DEFAULT_COLLECTION})")
    parser.set_defaults(func=run)


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:  # one short line per request, on stderr
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def pending_bytes(archive, index) -> int:
    """Bytes of articles.jsonl the index has not read yet, asked read-only: 0 when it is up to date."""
    from newsarchive.research.indexer import find_sources
    from newsarchive.research.schema import connect

    conn = connect(index, readonly=True)
    try:
        offsets = dict(conn.execute("SELECT path, offset FROM sources").fetchall())
    finally:
        conn.close()
    return sum(max(0, path.stat().st_size - offsets.get(path.relative_to(archive).as_posix(), 0))
               for path in find_sources(archive))


def run(args) -> int:
    import importlib.util
    import sqlite3

    if not 0 <= args.port <= 65535:
        raise CommandError("--port takes 0 to 65535", EXIT_USAGE)
    if importlib.util.find_spec("jinja2") is None:
        raise CommandError("serve needs jinja2: pip install 'newsarchive[research]'")
    from newsarchive.research.schema import IndexVersionError, index_path
    from newsarchive.research.web import SearchApp, allowed_hosts

    archive = archive_dir(args.archive)
    index = index_path(archive)
    if not index.exists():
        raise CommandError(f"no index at {index}: run `newsarchive index {archive}` first")
    try:
        behind = pending_bytes(archive, index)
    except (IndexVersionError, sqlite3.DatabaseError) as exc:
        raise CommandError(f"{exc}: run `newsarchive index --rebuild {archive}`") from None
    if behind:
        print(f"newsarchive serve: the index is {behind:,} bytes of articles behind; run `newsarchive index` "
              "to see them", file=sys.stderr)
    try:
        server = make_server(args.host, args.port, None, server_class=ThreadingServer, handler_class=QuietHandler)
    except OSError as exc:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {exc}") from None
    port = server.server_address[1]
    server.set_app(SearchApp(archive, pywb=args.pywb, collection=args.collection,
                             allowed_hosts=allowed_hosts(args.host, port)))
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"serving {archive} read-only at http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK
