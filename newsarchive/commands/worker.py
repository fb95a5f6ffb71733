"""`newsarchive worker SPIDER --redis URL`: one more worker for the spider's running distributed crawl.

`newsarchive crawl SPIDER --url … --redis URL` starts a crawl (seeds it and works on it); workers join it
on this machine or others, each writing its own files into the same crawl folder (docs/distributed.md).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError

DEFAULT_IDLE_EXIT = 30.0


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more seconds, not {value}")
    return number


def add_distributed_arguments(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--redis", metavar="URL", required=required,
                        help="Redis that holds the shared frontier and state, e.g. redis://127.0.0.1:6379/0"
                        + ("" if required else " (turns on the distributed mode)"))
    parser.add_argument("--idle-exit", type=seconds, default=DEFAULT_IDLE_EXIT, metavar="SECONDS",
                        help="leave once the frontier is empty and nothing is in flight for this long "
                        "(default: %(default)s)")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="join a distributed crawl (scrapy-redis) as one more worker",
        description="Work on the running distributed crawl of SPIDER that `newsarchive crawl SPIDER --url … "
        "--redis URL` started: take requests from the shared frontier in Redis, politely per site across all "
        "workers, and write this worker's own files (articles-<worker>.jsonl, crawl-<worker>.json, WARC files "
        "named after host and pid) into the crawl's folder under --archive. A worker leaves by itself once the "
        "frontier is empty and nothing is in flight for --idle-exit seconds. Exit 0 when it finished, 1 when "
        "it failed or the crawl archived nothing, 2 when the spider has no crawl in Redis, 3 when Redis "
        "cannot be reached.",
        epilog="examples:\n  newsarchive worker news --redis redis://127.0.0.1:6379/0 --archive /srv/archive\n"
        "  newsarchive worker news --redis redis://10.0.0.5:6379/0 --archive /srv/archive --idle-exit 120",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spider", help="spider name (see `newsarchive spiders`)")
    add_distributed_arguments(parser, required=True)
    parser.add_argument("--archive", metavar="DIR", help="output root (default: the ARCHIVE_DIR setting, archive/)")
    parser.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting (JSON values allowed), like scrapy's -s")
    parser.add_argument("--allow-address", action="append", default=[], metavar="ADDRESS",
                        help="also contact this address or network (repeatable), as in `newsarchive crawl`")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a live progress line (default: on a terminal)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print INFO log lines")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a summary")
    parser.add_argument("--wait", type=seconds, default=0, metavar="SECONDS",
                        help="wait this long for a crawl of SPIDER to start (workers started before the seeding "
                        "`newsarchive crawl`, e.g. by systemd); default: do not wait")
    parser.set_defaults(func=run, crawl_id=None)


def run(args) -> int:
    from newsarchive.commands.crawl import check_crawl, crawl_settings, require_spider

    require_spider(args.spider)
    check_crawl({}, crawl_settings(args))
    if args.wait:
        wait_for_crawl(args)
    return run_distributed(args, seeds=None)


def wait_for_crawl(args) -> None:
    """Poll Redis until the spider has a crawl that has not finished (or --wait runs out)."""
    import time

    import newsarchive.crawl.spider  # noqa: F401  (the heavy imports, done while there is nothing to do)
    from newsarchive.distributed import crawls

    server = connect(args.redis)
    print(f"waiting up to {args.wait:.0f} s for a crawl of {args.spider}", file=sys.stderr, flush=True)
    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline:
        crawl = crawls.current_crawl(server, args.spider)
        if crawl is not None and crawl.finished_at is None:
            return
        time.sleep(0.2)


def connect(url: str):
    import redis

    from newsarchive.distributed.connection import check_reachable, masked_url

    try:
        return check_reachable(url)
    except ValueError as exc:  # not a Redis URL at all
        raise CommandError(f"--redis {masked_url(url)!r} is not a Redis URL ({exc})", EXIT_USAGE) from None
    except (redis.RedisError, OSError) as exc:
        raise CommandError(f"cannot reach Redis at {masked_url(url)}: {exc}") from None


def choose_crawl(server, spider: str, seeds: dict | None, crawl_id: str | None):
    """The crawl this process works on: with `seeds` (the crawl command), the running crawl with the
    same arguments or a new one; without (a worker), the spider's current crawl."""
    from newsarchive.base import layout
    from newsarchive.distributed import crawls

    current = crawls.current_crawl(server, spider)
    if seeds is None:
        if current is None:
            raise CommandError(f"no crawl of {spider!r} in Redis; start one with `newsarchive crawl {spider} "
                               "--url URL --redis URL`", EXIT_USAGE)
        return current
    if current is not None and crawls.is_running(server, current):
        if current.arguments != seeds or (crawl_id and crawl_id != current.crawl_id):
            raise CommandError(f"crawl {current.crawl_id} of {spider!r} is still running with other arguments "
                               f"({json.dumps(current.arguments)}); join it with `newsarchive worker {spider}`, "
                               "or wait until it ends", EXIT_USAGE)
        print(f"joining the running crawl {current.crawl_id} of {spider}", file=sys.stderr, flush=True)
        return current
    crawl_id = crawl_id or layout.new_crawl_id()
    if crawls.read_crawl(server, spider, crawl_id) is not None:
        raise CommandError(f"crawl {crawl_id!r} of {spider!r} exists in Redis already; choose another --crawl-id",
                           EXIT_USAGE)
    return crawls.create_crawl(server, spider, crawl_id, seeds)


def run_distributed(args, *, seeds: dict | None, crawl_id: str | None = None) -> int:
    """Run this process as one worker of a distributed crawl; `seeds` (spider arguments) also seeds it."""
    from newsarchive.base import layout
    from newsarchive.commands.crawl import crawl_settings
    from newsarchive.crawl.report import format_summary
    from newsarchive.crawl.runner import archive_for, run_crawl
    from newsarchive.distributed import crawls
    from newsarchive.warc.writer import safe_hostname

    server = connect(args.redis)
    crawl = choose_crawl(server, args.spider, seeds, crawl_id)
    if seeds is None and crawl.finished_at is not None:
        print(f"crawl {crawl.crawl_id} of {args.spider} has finished; nothing to do", file=sys.stderr)
        return EXIT_OK
    worker = f"{safe_hostname()}-{os.getpid()}"
    settings = crawl_settings(args)
    archive = archive_for(settings)
    crawl_dir = archive / args.spider / crawl.crawl_id
    settings.update({
        "ARCHIVE_DIR": str(archive),
        "CRAWL_ID": crawl.crawl_id,
        "REDIS_URL": args.redis,
        "WORKER_ID": worker,
        "MAX_IDLE_TIME_BEFORE_CLOSE": args.idle_exit,
        "SEED_FROM_START": seeds is not None,
        "LOG_FILE": str(crawl_dir / layout.worker_file(layout.LOG_FILE, worker)),
    })
    print(f"worker {worker} in crawl {crawl.crawl_id} of {args.spider}: {crawl_dir}", file=sys.stderr, flush=True)
    report = run_crawl(args.spider, spider_args=crawl.arguments, settings=settings, progress=args.progress,
                       console_level=logging.INFO if args.verbose else logging.WARNING, resumable=False)
    if report is None:
        raise CommandError("the worker did not start; see the log above", EXIT_PROBLEMS)
    running = crawls.is_running(server, crawl)
    merged = None if running else whole_crawl_report(server, crawl, crawl_dir / layout.REPORT_FILE)
    shown = merged if merged is not None else report
    if args.json:
        print(json.dumps({"worker": report, "crawl": merged, "crawl_running": running}, indent=2,
                         ensure_ascii=False, default=str))
    else:
        print(format_summary(shown))
        if running:
            activity = crawls.activity(server, crawl.keys)
            print(f"  crawl          still running: {activity['queued']} queued, {activity['in_flight']} in flight, "
                  f"{activity['workers_alive']} workers")
        else:
            print(f"  workers        {len((merged or {}).get('workers', []))}, each with its own files in "
                  f"{crawl_dir}")
    failed = report["finish_reason"] != "finished" or bool(report.get("coverage_failed"))
    if not running and merged is not None:
        failed = failed or merged["counts"].get("responses", 0) == 0
    return EXIT_PROBLEMS if failed else EXIT_OK


def whole_crawl_report(server, crawl, path: Path) -> dict | None:
    """The finished crawl's merged report. The last worker out writes it to `path` (with the frontier's
    failed requests); a worker that left just before may find there a merge written before the last
    worker's report came in, so it then merges the reports Redis holds itself (every worker puts its
    report there before it leaves the schedule, so once nothing runs they are all in)."""
    from newsarchive.distributed import crawls
    from newsarchive.distributed.report import merge_reports

    in_redis = crawls.worker_reports(server, crawl.keys)
    written = read_json(path)
    if written is not None and len(written.get("workers") or []) >= len(in_redis):
        return written
    return merge_reports(in_redis) if in_redis else written


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
