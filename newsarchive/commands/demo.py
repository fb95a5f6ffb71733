"""`newsarchive demo`: serve the bundled demo news site on 127.0.0.1 and crawl it (or only serve it)."""
from __future__ import annotations

import argparse
import logging

from newsarchive.commands import EXIT_OK, CommandError
from newsarchive.commands.arguments import port


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="serve the bundled demo news site and crawl it",
        description="Start the bundled demo news site on 127.0.0.1 (an ephemeral port unless --port), crawl it "
        "with the `demo` spider into ARCHIVE/demo/<crawl-id>/, and print where the WARC files, "
        "articles.jsonl and crawl.json went. A second run serves on the port of the first (when it is free) and "
        "re-checks every article: the site answers 304s, archived as revisits. With --serve, only serve the site "
        "until Ctrl-C. Exit 0 when the "
        "crawl finished, 1 when it failed, 3 when the port cannot be had.",
        epilog="examples:\n  newsarchive demo\n  newsarchive demo --serve --port 8000\n"
        "  newsarchive crawl demo --url http://127.0.0.1:8000/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--serve", action="store_true", help="only serve the site, printing its URL")
    parser.add_argument("--port", type=port, default=0,
                        help="port to listen on, 0 to 65535 (default: the previous demo crawl's if free, else any free port)")
    parser.add_argument("--archive", metavar="DIR", help="output root (default: the ARCHIVE_DIR setting, archive/)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a live progress line (default: on a terminal)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print INFO log lines")
    parser.set_defaults(func=run)


# The demo re-checks every article it archived before on every run: run it twice and the second crawl
# asks conditionally and archives the demo site's 304s as revisits (docs/architecture.md, "Recurring crawls").
RECHECK_EVERYTHING = [[36500, 0]]


def previous_port(archive: str | None) -> int | None:
    """The port the latest demo crawl in `archive` fetched from: serving there again keeps its URLs, so the
    incremental state knows them."""
    import json
    from urllib.parse import urlsplit

    from newsarchive.base import layout

    for report in sorted((layout.archive_path(archive) / "demo").glob(f"*/{layout.REPORT_FILE}"), reverse=True):
        try:
            urls = json.loads(report.read_text(encoding="utf-8"))["arguments"]["start_urls"]
            return urlsplit(urls[0]).port
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            continue
    return None


def start_server(port: int, *, fallback: bool = False):
    """The demo site on 127.0.0.1:`port`; an environment error when the port cannot be had (with
    `fallback`, any free port instead)."""
    from newsarchive.demo.server import DemoServer

    try:
        return DemoServer(host="127.0.0.1", port=port)
    except OSError as exc:
        if fallback:
            return DemoServer(host="127.0.0.1", port=0)
        raise CommandError(f"cannot serve the demo site on 127.0.0.1:{port}: {exc.strerror}") from None


def run(args) -> int:
    if args.serve:
        server = start_server(args.port)
        print(f"demo news site at {server.url} (Ctrl-C to stop)", flush=True)
        print(f"crawl it with: newsarchive crawl demo --url {server.url}", flush=True)
        server.serve_forever()  # until Ctrl-C; it closes the server itself
        return EXIT_OK

    from newsarchive.commands.crawl import print_outcome
    from newsarchive.crawl.report import format_summary
    from newsarchive.crawl.runner import run_crawl

    port = args.port or previous_port(args.archive) or 0
    with start_server(port, fallback=not args.port) as server:
        print(f"serving the demo news site at {server.url}; crawling it with the `demo` spider ...", flush=True)
        settings = {"RECHECK_POLICY": RECHECK_EVERYTHING}
        if args.archive:
            settings["ARCHIVE_DIR"] = args.archive
        report = run_crawl(
            "demo",
            spider_args={"url": server.url},
            settings=settings,
            progress=args.progress,
            console_level=logging.INFO if args.verbose else logging.WARNING,
        )
    return print_outcome(report, as_json=False, summary=format_summary)
