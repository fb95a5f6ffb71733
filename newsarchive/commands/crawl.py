"""`newsarchive crawl SPIDER`: run one crawl into the archive, with progress and a summary."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from newsarchive.commands import EXIT_ENVIRONMENT, EXIT_LIMIT, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError


def parse_set(values: list[str]) -> dict[str, object]:
    settings: dict[str, object] = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise CommandError(f"--set takes NAME=VALUE, not {item!r}", EXIT_USAGE)
        try:
            settings[name] = json.loads(value)
        except ValueError:
            settings[name] = value
    return settings


def positive_int(value: str) -> int:
    """An argparse type for counts that must be at least 1 (0 or less would crawl nothing)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, not {number}")
    return number


def limit_type(name: str):
    """An argparse type that reads a crawl limit as crawl/limits.py does (so --help and settings agree)."""
    from newsarchive.crawl.limits import PARSERS

    def parse(value: str):
        try:
            return PARSERS[name](value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name.replace("_", " ")
    return parse


#: --option -> the crawl limit it sets (crawl/limits.py, settings CRAWL_MAX_* / CRAWL_MIN_FREE_DISK)
LIMIT_OPTIONS = {
    "max_pages": ("--max-pages", "N", "stop after N requests to the network (pages, feeds, sitemaps, robots.txt)"),
    "max_bytes": ("--max-bytes", "SIZE", "stop when the crawl's WARC files reach SIZE (e.g. 500M, 2G)"),
    "max_time": ("--max-time", "DURATION", "stop after DURATION of crawling (e.g. 90s, 30m, 2h; all runs of a "
                 "resumed crawl together)"),
    "max_requests_per_host": ("--max-requests-per-host", "N", "stop when any one host has been sent N requests"),
    "min_free_disk": ("--min-free-disk", "SIZE", "stop before the archive's disk has less than SIZE free "
                      "(e.g. 10G, or 5%% of the disk)"),
}


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", action="append", help="start URL: a front page, feed or sitemap (required by the "
                        "`news` spider); repeat it to seed a distributed crawl (--redis) with several sites")
    parser.add_argument("--archive", metavar="DIR", help="output root (default: the ARCHIVE_DIR setting, archive/)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="skip articles published before this day")
    parser.add_argument("--max-articles", type=positive_int, metavar="N", help="stop after N articles")
    parser.add_argument("--crawl-id", help="name of the crawl folder (default: UTC start time); a name taken by "
                        "another crawl gets a suffix (-2, -3, ...)")
    parser.add_argument("--notify", action="append", metavar="URL",
                        help="alert URL at the end of the crawl, repeatable: an http(s) webhook (Slack, Mattermost, any "
                        "JSON receiver) or mailto:ADDRESS (SMTP: MAIL_HOST, MAIL_PORT, MAIL_TLS; credentials from "
                        "NEWSARCHIVE_SMTP_USER/NEWSARCHIVE_SMTP_PASSWORD); replaces the NOTIFY setting")
    parser.add_argument("--notify-on", metavar="EVENTS",
                        help="comma-separated: failure, coverage, drift, limit, success "
                        "(default: the NOTIFY_ON setting, every event but success)")
    limits = parser.add_argument_group(
        "limits", "Each stops the crawl cleanly with exit code 4 and `stopped_by` in crawl.json; --resume continues "
        "under the same limits (give one again to raise it). Also settings: CRAWL_MAX_PAGES, CRAWL_MAX_BYTES, "
        "CRAWL_MAX_TIME, CRAWL_MAX_REQUESTS_PER_HOST, CRAWL_MIN_FREE_DISK.")
    for name, (option, metavar, help_text) in LIMIT_OPTIONS.items():
        limits.add_argument(option, dest=name, type=limit_type(name), metavar=metavar, help=help_text)
    parser.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting (JSON values allowed), like scrapy's -s")
    parser.add_argument("--allow-address", action="append", default=[], metavar="ADDRESS",
                        help="also contact this address or network (repeatable), e.g. 127.0.0.1 for a site on "
                        "this machine; everything else that is not public stays refused (ADDRESS_GUARD_ALLOW)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a live progress line (default: on a terminal)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print INFO log lines")
    parser.add_argument("--json", action="store_true", help="print the crawl report as JSON instead of a summary")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="crawl a site into WARC files and articles.jsonl",
        description="Run SPIDER into ARCHIVE/<spider>/<crawl-id>/: WARC files (+ CDXJ), articles.jsonl and "
        "crawl.json, then print a summary. Exit 0 when the crawl finished, 1 when it failed, a record was "
        "rejected (kept in rejected.jsonl) or a field coverage floor (FIELD_COVERAGE_MIN) was missed, 2 on bad "
        "arguments (an unknown spider, a bad --since, nothing to --resume), 3 when the crawl folder is taken by "
        "another crawl, 4 when a limit stopped it (--max-pages, --max-bytes, --max-time, "
        "--max-requests-per-host, --min-free-disk; continue with --resume).",
        epilog="examples:\n  newsarchive crawl demo --url http://127.0.0.1:8000/\n"
        "  newsarchive crawl news --url https://example-news.site/ --max-articles 50 --since 2026-01-01\n"
        "  newsarchive crawl news --url https://example-news.site/ --max-time 2h --min-free-disk 5G\n"
        "  newsarchive crawl news --resume                      # after a crash, or a limit (exit 4)\n"
        "  newsarchive crawl news --resume --max-time 4h        # a limit given again replaces the remembered one\n"
        "  newsarchive crawl news --url https://site-a/ --url https://site-b/ --redis redis://127.0.0.1:6379/0",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spider", help="spider name (see `newsarchive spiders`)")
    add_crawl_arguments(parser)
    from newsarchive.commands.worker import add_distributed_arguments

    add_distributed_arguments(parser, required=False)  # --redis: a distributed crawl (commands/worker.py)
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted crawl (stopped, or killed) of SPIDER: the latest unfinished "
                        "one, or --crawl-id's; its spider arguments are reused, new WARC files go beside the old "
                        "and articles.jsonl is appended to")
    parser.set_defaults(func=run)


def spider_arguments(args) -> dict[str, object]:
    urls = args.url or []
    if len(urls) > 1 and not getattr(args, "redis", None):
        raise CommandError("--url given more than once: several seeds need a distributed crawl (--redis)", EXIT_USAGE)
    url = " ".join(urls) or None  # NewsSpider reads several URLs separated by spaces
    spider_args = {"url": url, "since": args.since, "max_articles": args.max_articles}
    return {k: v for k, v in spider_args.items() if v is not None}


def crawl_settings(args) -> dict[str, object]:
    settings = parse_set(args.set)
    if args.archive:
        settings["ARCHIVE_DIR"] = args.archive
    if args.crawl_id:
        settings["CRAWL_ID"] = args.crawl_id
    if args.allow_address:
        settings["ADDRESS_GUARD_ALLOW"] = [*allowed_addresses(settings.get("ADDRESS_GUARD_ALLOW")), *args.allow_address]
    if getattr(args, "notify", None) or getattr(args, "notify_on", None):
        from newsarchive.crawl.alerts import parse_events, parse_targets

        try:
            if args.notify:
                parse_targets(args.notify)
                settings["NOTIFY"] = list(args.notify)
            if args.notify_on:
                settings["NOTIFY_ON"] = parse_events(args.notify_on)
        except ValueError as exc:
            raise CommandError(str(exc), EXIT_USAGE) from None
    from newsarchive.crawl.limits import LIMIT_SETTINGS, parse_limits

    for name, setting in LIMIT_SETTINGS.items():
        if getattr(args, name, None) is not None:
            settings[setting] = getattr(args, name)
    try:  # a limit given with --set is read as crawl/limits.py will read it: a bad one is a usage error now
        parse_limits({name: settings.get(setting) for name, setting in LIMIT_SETTINGS.items()})
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    return settings


def allowed_addresses(value) -> list[str]:
    """ADDRESS_GUARD_ALLOW as given with --set (a JSON list, or comma-separated)."""
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [v for v in str(value).split(",") if v.strip()]


def require_spider(name: str, overrides: dict | None = None) -> None:
    """A usage error unless the project (with `--set` overrides, e.g. SPIDER_MODULES) has a spider called `name`."""
    from scrapy.spiderloader import SpiderLoader

    from newsarchive.crawl.runner import project_settings

    if name not in SpiderLoader.from_settings(project_settings(overrides)).list():
        raise CommandError(f"no spider named {name!r}; `newsarchive spiders` lists them", EXIT_USAGE)


def run(args) -> int:
    from newsarchive.crawl.report import format_summary
    from newsarchive.crawl.runner import run_crawl

    from newsarchive.crawl.claim import CrawlFolderBusy

    spider_args, settings = spider_arguments(args), crawl_settings(args)
    require_spider(args.spider, settings)
    check_crawl(spider_args, settings)
    if args.redis:
        from newsarchive.commands.worker import run_distributed

        if args.resume or args.max_articles:
            raise CommandError("--resume and --max-articles do not apply to a distributed crawl (--redis): its "
                               "frontier in Redis outlives any worker, and each worker would cap itself", EXIT_USAGE)
        from newsarchive.crawl.limits import LIMIT_SETTINGS

        if any(settings.get(setting) is not None for setting in LIMIT_SETTINGS.values()):
            # A budget for the whole crawl would have to be kept in Redis; each worker would count its own.
            raise CommandError("crawl limits (--max-pages, --max-bytes, --max-time, --max-requests-per-host, "
                               "--min-free-disk) do not apply to a distributed crawl (--redis) yet", EXIT_USAGE)
        check_spider_arguments(args.spider, spider_args)
        return run_distributed(args, seeds=spider_args, crawl_id=args.crawl_id)
    try:
        if args.resume:
            spider_args, settings["CRAWL_ID"] = resumed_arguments(args.spider, spider_args, settings)
        check_spider_arguments(args.spider, spider_args, settings)
        report = run_crawl(
            args.spider,
            spider_args=spider_args,
            settings=settings,
            progress=args.progress,
            console_level=logging.INFO if args.verbose else logging.WARNING,
            resume=args.resume,
        )
    except CrawlFolderBusy as exc:
        raise CommandError(str(exc), EXIT_ENVIRONMENT) from None
    return print_outcome(report, as_json=args.json, summary=format_summary)


def check_crawl(spider_args: dict[str, object], settings: dict[str, object]) -> None:
    """Every argument and setting a crawl is given, checked before it starts: one line and exit 2 when bad."""
    from newsarchive.base import safe_names
    from newsarchive.commands.arguments import setting_values, web_url
    from newsarchive.crawl.runner import archive_for, project_settings
    from newsarchive.crawl.spider import parse_since
    from newsarchive.fetch.address_policy import AddressPolicy

    for url in str(spider_args.get("url") or "").split():  # several with --redis
        web_url(url)
    project = project_settings()
    setting_values(settings, project)
    try:
        if spider_args.get("since"):
            parse_since(spider_args["since"])
        for name, check in (("CRAWL_ID", safe_names.crawl_id), ("WARC_PREFIX", safe_names.warc_prefix)):
            if settings.get(name) is not None:
                check(settings[name])
        probe = project.copy()
        probe.update(settings, priority="cmdline")
        AddressPolicy.from_settings(probe)
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    archive = archive_for(settings)
    try:
        archive.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot write the archive {archive}: {exc.strerror}") from None


def check_spider_arguments(spider: str, spider_args: dict[str, object], overrides: dict | None = None) -> None:
    """The spider's own checks of its arguments (the `news` spider needs a URL), as a usage error."""
    from scrapy.spiderloader import SpiderLoader

    from newsarchive.crawl.runner import project_settings

    try:
        SpiderLoader.from_settings(project_settings(overrides)).load(spider)(**spider_args)
    except (ValueError, TypeError) as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None


def resumed_arguments(spider: str, given: dict[str, object], settings: dict[str, object]) -> tuple[dict, str]:
    """The spider arguments and crawl id of the crawl `--resume` continues."""
    from newsarchive.crawl import resume
    from newsarchive.crawl.runner import archive_for

    archive = archive_for(settings)
    try:
        crawl_dir = resume.find_resumable_crawl(archive / spider, settings.get("CRAWL_ID"))
    except resume.NothingToResume as exc:
        raise CommandError(f"--resume: {exc}", EXIT_USAGE) from None
    saved = resume.load_arguments(resume.job_folder(crawl_dir))
    changed = sorted(name for name, value in given.items() if name in saved and str(saved[name]) != str(value))
    if changed:
        raise CommandError(f"--resume: crawl {crawl_dir.name} was started with "
                           + ", ".join(f"{name}={saved[name]!r}" for name in changed)
                           + "; a resumed crawl keeps its arguments (leave them out)", EXIT_USAGE)
    print(f"resuming crawl {crawl_dir.name} in {crawl_dir}", file=sys.stderr, flush=True)
    return {**saved, **given}, crawl_dir.name


def outcome(report: dict) -> int:
    """The exit code a crawl report means: 1 for a failure or a missed floor, else 4 when a limit stopped it,
    else 0 (drift is reported and alerted, not an exit code: `newsarchive report` exits 1 on it)."""
    from newsarchive.crawl.report import crawl_events

    events = crawl_events(report)
    if "failure" in events or "coverage" in events:
        return EXIT_PROBLEMS
    return EXIT_LIMIT if "limit" in events else EXIT_OK


def print_outcome(report: dict | None, *, as_json: bool, summary) -> int:
    if report is None:
        raise CommandError("the crawl did not start; see the log above", EXIT_PROBLEMS)
    print(json.dumps(report, indent=2, ensure_ascii=False) if as_json else summary(report))
    return outcome(report)
