"""`newsarchive notify-test`: send a test alert to every NOTIFY target (or --notify URL), as a crawl would."""
from __future__ import annotations

import argparse

from newsarchive.commands import EXIT_ENVIRONMENT, EXIT_OK, EXIT_USAGE, CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "notify-test",
        help="send a test alert to the webhooks and email addresses crawls notify",
        description="Send a test message through the same notifiers a crawl uses at its end (crawl/alerts.py): a "
        "JSON POST with a Slack/Mattermost `text` to each http(s) URL, an email through Scrapy's MailSender to "
        "each mailto: address (MAIL_HOST, MAIL_PORT, MAIL_TLS, MAIL_SSL, MAIL_FROM; SMTP credentials from "
        "NEWSARCHIVE_SMTP_USER / NEWSARCHIVE_SMTP_PASSWORD). Targets: --notify, else the NOTIFY setting. "
        "Exit 0 when every target took the message, 2 when there is no target or a bad one, 3 when one failed.",
        epilog="examples:\n  newsarchive notify-test --notify https://hooks.slack.com/services/T000/B000/XXXX\n"
        "  NEWSARCHIVE_SMTP_USER=me NEWSARCHIVE_SMTP_PASSWORD=... newsarchive notify-test \\\n"
        "      --notify mailto:ops@example.org --set MAIL_HOST=smtp.example.org --set MAIL_PORT=587 --set MAIL_TLS=true",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--notify", action="append", metavar="URL",
                        help="an http(s) webhook URL or mailto:ADDRESS, repeatable (default: the NOTIFY setting)")
    parser.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting, as in `newsarchive crawl` (MAIL_HOST, MAIL_PORT, NOTIFY_TIMEOUT, ...)")
    parser.set_defaults(func=run)


def sample_summary() -> dict:
    import platform

    from newsarchive.base.dates import utc_now

    now = utc_now()
    return {"crawl_id": "notify-test", "spider": "newsarchive", "host": platform.node(), "finish_reason": "test",
            "started_at": now, "finished_at": now, "duration_s": 0.0, "stopped_by": None,
            "counts": {"requests": 0, "responses": 0, "articles": 0, "failed": 0}, "errors": {}, "coverage": {},
            "coverage_failed": [], "drift": [], "report": None}


def run(args) -> int:
    from newsarchive.commands.crawl import parse_set
    from newsarchive.crawl.alerts import notify, parse_targets
    from newsarchive.crawl.runner import project_settings

    settings = project_settings(parse_set(args.set))
    try:
        targets = parse_targets(args.notify if args.notify else settings.getlist("NOTIFY"))
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    if not targets:
        raise CommandError("no target: give --notify URL or set NOTIFY", EXIT_USAGE)

    from twisted.internet import task

    results: list[dict] = []

    def send(reactor):
        sending = notify(targets, settings, sample_summary(), ["test"], settings.getfloat("NOTIFY_TIMEOUT"))
        return sending.addCallback(results.extend)

    try:
        task.react(send)
    except SystemExit as exc:  # react ends the process its own way; the results decide the exit code here
        if exc.code not in (0, None):
            raise
    for result in results:
        print(f"{result['target']}: " + ("sent" if result["ok"] else f"FAILED ({result['error']})"))
    if len(results) != len(targets) or not all(r["ok"] for r in results):
        return EXIT_ENVIRONMENT
    return EXIT_OK
