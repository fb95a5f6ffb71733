"""`newsarchive schedule SPIDER --every 1h`: print a crontab line and a systemd timer/service pair."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from newsarchive.base import safe_names
from newsarchive.base.layout import DEFAULT_ARCHIVE_DIR
from newsarchive.commands import EXIT_ENVIRONMENT, EXIT_OK, EXIT_USAGE, CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="print a crontab line and a systemd timer for a recurring crawl",
        description="Print what runs `newsarchive crawl SPIDER` every INTERVAL: a crontab line, and a systemd "
        "service + timer pair. Both use absolute paths (this virtualenv's newsarchive, the archive) and "
        "`flock -n` on ARCHIVE/<spider>/crawl.lock, so a run that outlasts the interval makes the next one "
        "skip instead of overlapping. Nothing is installed: paste the output where it says. Exit 0, 2 on a bad "
        "interval or an unknown spider, 3 when flock is not installed.",
        epilog="examples:\n  newsarchive schedule demo --every 1h --url http://127.0.0.1:8000/\n"
        "  newsarchive schedule theregister --every 6h --archive /srv/newsarchive\n"
        "  newsarchive schedule techcrunch --every 1h --max-time 50m --notify mailto:ops@example.org",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spider", help="spider name (see `newsarchive spiders`)")
    parser.add_argument("--every", required=True, metavar="INTERVAL",
                        help="how often: Nm (N divides 60), Nh (N divides 24) or Nd, e.g. 15m, 1h, 1d")
    parser.add_argument("--url", help="start URL passed to each crawl")
    parser.add_argument("--archive", metavar="DIR", default=DEFAULT_ARCHIVE_DIR, help="output root (default: %(default)s/)")
    parser.add_argument("--name", help="systemd unit name (default: newsarchive-SPIDER)")
    parser.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting for each crawl, as in `newsarchive crawl`")
    parser.add_argument("--notify", action="append", default=[], metavar="URL",
                        help="alert this webhook or mailto: at the end of each crawl that needs a look (failure, "
                        "coverage floor, drift, limit), as in `newsarchive crawl --notify`; repeatable")
    parser.add_argument("--max-time", metavar="DURATION",
                        help="stop each crawl after DURATION (e.g. 50m: less than the interval), as in `newsarchive crawl`")
    parser.set_defaults(func=run)


def newsarchive_command() -> list[str]:
    """This installation's `newsarchive`, by absolute path (the virtualenv's script when there is one)."""
    script = Path(sys.executable).parent / "newsarchive"
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsarchive"]


def run(args) -> int:
    from newsarchive.crawl import scheduling
    from newsarchive.commands.crawl import require_spider

    try:
        interval = scheduling.parse_every(args.every)
        # Every argument lands in a crontab line or a unit file: a newline would add a line of its own.
        for what, value in (("SPIDER", args.spider), ("--url", args.url), ("--archive", args.archive),
                            ("--name", args.name), *(("--set", item) for item in args.set)):
            if value is not None:
                safe_names.single_line(value, what)
        if args.name is not None:
            safe_names.safe_name(args.name, "--name")
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    require_spider(args.spider)
    flock = shutil.which("flock")
    if flock is None:
        raise CommandError("flock (util-linux) is not installed; the schedule needs it to keep runs from "
                           "overlapping", EXIT_ENVIRONMENT)
    archive = Path(args.archive).absolute()
    workdir = Path.cwd()
    if args.max_time is not None:
        from newsarchive.crawl.limits import parse_duration

        try:
            parse_duration(args.max_time)
        except ValueError as exc:
            raise CommandError(f"--max-time: {exc}", EXIT_USAGE) from None
    if args.notify:
        from newsarchive.crawl.alerts import parse_targets

        try:
            parse_targets(args.notify)
        except ValueError as exc:
            raise CommandError(str(exc), EXIT_USAGE) from None
    extra = (["--url", args.url] if args.url else []) + [arg for item in args.set for arg in ("--set", item)]
    extra += [arg for url in args.notify for arg in ("--notify", url)]
    extra += ["--max-time", args.max_time] if args.max_time else []
    command = scheduling.locked(scheduling.crawl_command(newsarchive_command(), args.spider, archive, extra),
                                flock, scheduling.lock_path(archive, args.spider))
    name = args.name or f"newsarchive-{args.spider}"
    log = archive / args.spider / scheduling.CRON_LOG_FILE
    units = scheduling.systemd_units(name, interval, command, workdir,
                                     f"newsarchive crawl of {args.spider} into {archive}",
                                     scheduling.lock_path(archive, args.spider))
    print(f"# crontab (crontab -e): crawl {args.spider} every {interval}; output in {log}")
    print(scheduling.crontab_line(interval, command, workdir, log))
    print()
    for filename, text in units.items():
        print(f"# ---- ~/.config/systemd/user/{filename}")
        print(text)
    print(f"# then: systemctl --user daemon-reload && systemctl --user enable --now {name}.timer")
    print(f"#       (logs: journalctl --user -u {name}.service; every crawl also writes crawl.log and crawl.json)")
    return EXIT_OK
