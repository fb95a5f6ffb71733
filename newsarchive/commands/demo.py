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
        "articles.jsonl and crawl.json went. With --serve, only serve the site until Ctrl-C. Exit 0 when the "
        "crawl finished, 1 when it failed, 3 when the port cannot be had.",
        epilog="examples:\n  newsarchive demo\n  newsarchive demo --serve --port 8000\n"
        "  newsarchive crawl demo --url http://127.0.0.1:8000/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--serve", action="store_true", help="only serve the site, printing its URL")
    parser.add_argument("--port", type=port, default=0, help="port to listen on, 0 to 65535 (default 0: any free port)")
    parser.add_argument("--archive", metavar="DIR", help="output root (default: the ARCHIVE_DIR setting, archive/)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a live progress line (default: on a terminal)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print INFO log lines")
    parser.set_defaults(func=run)


def start_server(port: int):
    """The demo site on 127.0.0.1:`port`; an environment error when the port cannot be had."""
    from newsarchive.demo.server import DemoServer

    try:
        return DemoServer(host="127.0.0.1", port=port)
    except OSError as exc:
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

    with start_server(args.port) as server:
        print(f"serving the demo news site at {server.url}; crawling it with the `demo` spider ...", flush=True)
        settings = {"ARCHIVE_DIR": args.archive} if args.archive else {}
        report = run_crawl(
            "demo",
            spider_args={"url": server.url},
            settings=settings,
            progress=args.progress,
            console_level=logging.INFO if args.verbose else logging.WARNING,
        )
    return print_outcome(report, as_json=False, summary=format_summary)
