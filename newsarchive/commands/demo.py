"""`newsarchive demo`: serve the bundled demo news site on 127.0.0.1 and crawl it (or only serve it)."""
from __future__ import annotations

import argparse
import logging

from newsarchive.cli import EXIT_OK


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="serve the bundled demo news site and crawl it",
        description="Start the bundled demo news site on 127.0.0.1 (an ephemeral port unless --port), crawl it "
        "with the `demo` spider into ARCHIVE/demo/<crawl-id>/, and print where the WARC files, "
        "articles.jsonl and crawl.json went. With --serve, only serve the site until Ctrl-C.",
        epilog="examples:\n  newsarchive demo\n  newsarchive demo --serve --port 8000\n"
        "  newsarchive crawl demo --url http://127.0.0.1:8000/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--serve", action="store_true", help="only serve the site, printing its URL")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    parser.add_argument("--archive", metavar="DIR", help="output root (default: archive/)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a live progress line (default: on a terminal)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print INFO log lines")
    parser.set_defaults(func=run)


def run(args) -> int:
    from newsarchive.demo.server import DemoServer

    if args.serve:
        server = DemoServer(host="127.0.0.1", port=args.port)
        print(f"demo news site at {server.url} (Ctrl-C to stop)", flush=True)
        print(f"crawl it with: newsarchive crawl demo --url {server.url}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
        return EXIT_OK

    from newsarchive.commands.crawl import print_outcome
    from newsarchive.report import format_summary
    from newsarchive.runner import run_crawl

    with DemoServer(host="127.0.0.1", port=args.port) as server:
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
