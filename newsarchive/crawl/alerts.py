"""Alerts that reach a person: a webhook POST and an email at the end of a crawl that needs a look.

Unattended crawls (cron, systemd, Scrapyd) are looked at only when something says so. At the end of
every crawl, once crawl.json is written (crawl/report.py), `CrawlAlerts` reads what the report calls
for (`crawl_events`: failure, coverage floor missed, drift flagged, limit hit, else success) and, for
the events in NOTIFY_ON, tells every target in NOTIFY:

- `http://` / `https://` URL: a JSON POST with a Slack- and Mattermost-compatible `text` (their
  incoming webhooks show it as the message) plus the structured summary (`events`, `crawl`), so any
  other receiver can act on fields instead of parsing prose. Redirects are not followed.
- `mailto:ops@example.org[,other@example.org]`: an email through Scrapy's MailSender, over
  MAIL_HOST / MAIL_PORT (MAIL_TLS: STARTTLS with the certificate verified, MAIL_SSL: TLS from the
  first byte), from MAIL_FROM. The SMTP user and password come from the environment only
  (NEWSARCHIVE_SMTP_USER, NEWSARCHIVE_SMTP_PASSWORD): settings are logged, the environment is not.

A notifier that fails or times out (NOTIFY_TIMEOUT) is logged and counted (stats
`newsarchive/notify/sent|failed`, crawl.json `notifications`) and never changes the crawl's outcome.
Targets are operator-given, not links from the web, so the address guard does not apply to them (a
Mattermost on the office network is a normal target); a webhook URL carries its token in the path,
so logs and crawl.json name a target by scheme and host only.

`newsarchive notify-test` sends a test message through the same code.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, threads

from newsarchive import __version__
from newsarchive.base import layout
from newsarchive.crawl.report import CrawlReport, crawl_events, write_report

logger = logging.getLogger(__name__)

EVENTS = ("failure", "coverage", "drift", "limit", "success")
SMTP_USER_ENV = "NEWSARCHIVE_SMTP_USER"
SMTP_PASSWORD_ENV = "NEWSARCHIVE_SMTP_PASSWORD"
STAT_PREFIX = "newsarchive/notify/"
RESPONSE_READ_LIMIT = 64 * 1024  # a webhook's answer is read only to end the exchange


class NotifyError(Exception):
    """A notifier could not deliver its message."""


@dataclass(frozen=True)
class Target:
    kind: str  # "webhook" or "email"
    address: str  # the URL, or the comma-separated recipients

    @property
    def recipients(self) -> list[str]:
        return [a.strip() for a in self.address.split(",") if a.strip()]

    @property
    def label(self) -> str:
        """How logs and crawl.json name the target: a webhook URL's path and query are its secret."""
        if self.kind == "email":
            return "mailto:" + self.address
        parts = urlsplit(self.address)
        return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/…"


def parse_target(value: str) -> Target:
    text = str(value).strip()
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        if not urlsplit(text).hostname:
            raise ValueError(f"a webhook URL needs a host: {Target('webhook', text).label}")
        return Target("webhook", text)
    if lowered.startswith("mailto:"):
        recipients = unquote(text[len("mailto:"):].split("?", 1)[0])
        target = Target("email", recipients)
        if not target.recipients or not all("@" in r for r in target.recipients):
            raise ValueError(f"mailto: needs one or more addresses, e.g. mailto:ops@example.org, not {value!r}")
        return target
    raise ValueError(f"a notify target is an http(s):// webhook URL or mailto:ADDRESS, not {value!r}")


def parse_targets(values) -> list[Target]:
    if isinstance(values, str):
        values = [v for v in values.split() if v]
    return [parse_target(v) for v in values or ()]


def target_labels(values) -> list[str]:
    """NOTIFY as reports may show it: each target's label, a value that is no target kept only as "?"."""
    labels = []
    for value in values if isinstance(values, (list, tuple)) else str(values).split():
        try:
            labels.append(parse_target(value).label)
        except ValueError:
            labels.append("?")
    return labels


def parse_events(values) -> list[str]:
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",") if v.strip()]
    unknown = [v for v in values or () if v not in EVENTS]
    if unknown:
        raise ValueError(f"NOTIFY_ON takes {', '.join(EVENTS)}; not {', '.join(unknown)}")
    return list(values or ())


# ------------------------------------------------------------------ the message

def summary_of(report: dict) -> dict:
    """The structured part of an alert: enough to act on without opening crawl.json."""
    counts = report.get("counts") or {}
    drift = report.get("drift") or {}
    return {
        "crawl_id": report.get("crawl_id"),
        "spider": report.get("spider"),
        "host": platform.node(),
        "finish_reason": report.get("finish_reason"),
        "started_at": report.get("started_at"),
        "finished_at": report.get("finished_at"),
        "duration_s": report.get("duration_s"),
        "stopped_by": report.get("stopped_by"),
        "counts": {name: counts.get(name) for name in ("requests", "responses", "articles", "articles_dropped",
                                                         "failed", "warc_records", "warc_bytes")},
        "errors": report.get("errors") or {},
        "coverage": report.get("coverage") or {},
        "coverage_failed": report.get("coverage_failed") or [],
        "drift": [flag.get("message") for flag in drift.get("flags") or [] if flag.get("kind") != "floor"],
        "report": (report.get("paths") or {}).get("report"),
    }


EVENT_WORDS = {"failure": "FAILED", "coverage": "coverage floor missed", "drift": "drift", "limit": "stopped by a limit",
               "success": "finished", "test": "test message"}


def message_text(summary: dict, events: list[str]) -> str:
    """The `text` of a webhook and the body of an email: a headline, then the few lines that matter."""
    head = (f"newsarchive: {summary['spider']} crawl {summary['crawl_id']} on {summary['host']}: "
            + ", ".join(EVENT_WORDS.get(e, e) for e in events))
    counts = summary["counts"]
    lines = [head,
             f"finish reason {summary['finish_reason']} after {summary['duration_s'] or 0:.0f} s; pages "
             f"{counts.get('responses')}, articles {counts.get('articles')}, failed URLs {counts.get('failed')}"]
    if summary.get("stopped_by"):
        stopped = summary["stopped_by"]
        lines.append(f"stopped by {stopped.get('limit')} = {stopped.get('value')}; `newsarchive crawl --resume` continues it")
    if summary.get("errors"):
        lines.append("errors: " + ", ".join(f"{k} {v}" for k, v in summary["errors"].items()))
    if summary.get("coverage_failed"):
        lines.append("below floor: " + "; ".join(summary["coverage_failed"]))
    lines += [f"drift: {message}" for message in summary.get("drift") or []]
    if summary.get("report"):
        lines.append(f"report: {summary['report']}")
    return "\n".join(lines)


def payload_for(summary: dict, events: list[str]) -> dict:
    return {"text": message_text(summary, events), "events": events, "crawl": summary,
            "software": f"newsarchive/{__version__}"}


def subject_for(summary: dict, events: list[str]) -> str:
    return f"[newsarchive] {summary['spider']} {summary['crawl_id']}: " + ", ".join(EVENT_WORDS.get(e, e) for e in events)


# ------------------------------------------------------------------ the notifiers

class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirect to another URL ({code}); not followed",
                                     headers, fp)


def post_json(url: str, payload: dict, timeout: float) -> int:
    """POST `payload` as JSON (blocking, in a thread); the HTTP status, or NotifyError."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": f"newsarchive/{__version__}"})
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(RESPONSE_READ_LIMIT)
            return response.status
    except urllib.error.HTTPError as exc:
        raise NotifyError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NotifyError(f"{type(reason).__name__}: {reason}") from None


def send_webhook(target: Target, payload: dict, timeout: float) -> defer.Deferred:
    return threads.deferToThread(post_json, target.address, payload, timeout)


def mail_sender(settings):
    """Scrapy's MailSender on the MAIL_* settings, with the SMTP credentials from the environment."""
    import warnings

    with warnings.catch_warnings():
        # Scrapy 2.19 deprecates scrapy.mail; it is still the project's one mail path (docs/architecture.md,
        # "Alerts"): moving to smtplib is a small change in this function and send_email.
        warnings.simplefilter("ignore")
        from scrapy.mail import MailSender

    if settings.get("MAIL_USER") or settings.get("MAIL_PASS"):
        logger.warning("MAIL_USER/MAIL_PASS are ignored: settings end up in logs; set %s and %s in the environment",
                       SMTP_USER_ENV, SMTP_PASSWORD_ENV)
    return MailSender(
        smtphost=settings.get("MAIL_HOST"),
        mailfrom=settings.get("MAIL_FROM"),
        smtpuser=os.environ.get(SMTP_USER_ENV) or None,
        smtppass=os.environ.get(SMTP_PASSWORD_ENV) or None,
        smtpport=settings.getint("MAIL_PORT"),
        smtptls=settings.getbool("MAIL_TLS"),
        smtpssl=settings.getbool("MAIL_SSL"),
    )


def send_email(target: Target, settings, subject: str, body: str) -> defer.Deferred:
    return mail_sender(settings).send(to=target.recipients, subject=subject, body=body, charset="utf-8")


def notify(targets: list[Target], settings, summary: dict, events: list[str], timeout: float) -> defer.Deferred:
    """Send to every target at once; fires with [{"target", "ok", "error"?}], never with a failure."""
    payload = payload_for(summary, events)
    subject = subject_for(summary, events)
    from twisted.internet import reactor

    def attempt(target: Target) -> defer.Deferred:
        try:
            if target.kind == "webhook":
                sending = send_webhook(target, payload, timeout)
            else:
                sending = send_email(target, settings, subject, payload["text"])
        except Exception as exc:  # a notifier that cannot even start must not end the crawl
            sending = defer.fail(exc)
        sending.addTimeout(timeout, reactor)

        def sent(_):
            logger.info("notified %s (%s)", target.label, ", ".join(events))
            return {"target": target.label, "ok": True}

        def failed(failure):
            error = ("timed out after %gs" % timeout if failure.check(defer.TimeoutError, defer.CancelledError)
                     else failure.getErrorMessage() or failure.type.__name__)
            logger.error("could not notify %s: %s (the crawl's outcome is unchanged)", target.label, error)
            return {"target": target.label, "ok": False, "error": error}

        return sending.addCallbacks(sent, failed)

    return defer.gatherResults([attempt(t) for t in targets], consumeErrors=True)


# ------------------------------------------------------------------ the extension

class CrawlAlerts:
    """Extension: after the crawl report is written, notify NOTIFY's targets of the events in NOTIFY_ON."""

    def __init__(self, crawler, targets: list[Target], notify_on: list[str], timeout: float):
        self.crawler = crawler
        self.targets = targets
        self.notify_on = notify_on
        self.timeout = timeout

    @classmethod
    def from_crawler(cls, crawler) -> CrawlAlerts:
        settings = crawler.settings
        try:
            targets = parse_targets(settings.getlist("NOTIFY"))
            notify_on = parse_events(settings.getlist("NOTIFY_ON"))
        except ValueError as exc:
            logger.error("alerts are off: %s", exc)
            crawler.stats.inc_value(STAT_PREFIX + "misconfigured")
            raise NotConfigured(str(exc)) from None
        if not targets:
            raise NotConfigured  # bare: no targets is the usual case, not worth a warning
        alerts = cls(crawler, targets, notify_on, settings.getfloat("NOTIFY_TIMEOUT"))
        # Connected after CrawlReport (EXTENSIONS order), so its spider_closed has built the report.
        crawler.signals.connect(alerts.spider_closed, signal=signals.spider_closed)
        return alerts

    async def spider_closed(self, spider, reason=None) -> None:
        report_extension = self.crawler.get_extension(CrawlReport)
        report = getattr(report_extension, "report", None)
        if report is None:
            return
        events = [e for e in crawl_events(report) if e in self.notify_on]
        if not events:
            return
        # Scrapy waits for this before the crawl ends: every notifier is bounded by NOTIFY_TIMEOUT.
        results = await maybe_deferred_to_future(
            notify(self.targets, self.crawler.settings, summary_of(report), events, self.timeout))
        stats = self.crawler.stats
        sent = sum(1 for r in results if r["ok"])
        stats.inc_value(STAT_PREFIX + "sent", sent)
        stats.inc_value(STAT_PREFIX + "failed", len(results) - sent)
        report["notifications"] = {"events": events, "sent": sent, "failed": len(results) - sent, "targets": results}
        try:
            write_report(layout.report_path(spider), report)
        except OSError as exc:
            logger.error("could not add the notifications to crawl.json: %s", exc)
