"""Alerts (crawl/alerts.py) through real crawls: a loopback webhook receiver and a loopback SMTP server
(aiosmtpd) get the messages; a notifier that fails or times out changes nothing about the crawl."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from newsarchive.crawl.alerts import Target, message_text, parse_events, parse_target, summary_of
from newsarchive.crawl.report import crawl_events
from tests.alerts.receivers import SmtpReceiver, WebhookReceiver
from tests.conftest import run_cli
from tests.drift.site import BylineSite

FAST_LOOPBACK = ["--allow-address", "127.0.0.1", "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false",
                 "--no-progress"]
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
SMTP_ENV = {"NEWSARCHIVE_SMTP_USER": "alerts-bot", "NEWSARCHIVE_SMTP_PASSWORD": "pw-do-not-log-7f3a"}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_report(archive: Path, spider: str, crawl_id: str) -> dict:
    return json.loads((archive / spider / crawl_id / "crawl.json").read_text())


# ------------------------------------------------------------------ targets and messages

def test_targets_webhooks_and_mailto():
    assert parse_target("https://hooks.slack.com/services/T0/B0/XyZ") == Target("webhook", "https://hooks.slack.com/services/T0/B0/XyZ")
    assert parse_target("mailto:ops@example.org,oncall@example.org").recipients == ["ops@example.org", "oncall@example.org"]
    # logs and crawl.json name a webhook by scheme and host: its path is its token
    assert parse_target("https://user:pw@hooks.example.net/T0/secret").label == "https://hooks.example.net/…"
    for bad in ("ftp://example.org/", "mailto:", "mailto:nobody", "hooks.example.net/x", "http:///path"):
        with pytest.raises(ValueError):
            parse_target(bad)
    assert parse_events("failure, limit") == ["failure", "limit"]
    with pytest.raises(ValueError, match="NOTIFY_ON"):
        parse_events("failure,sometimes")


def counts(**changes) -> dict:
    return {"responses": 40, "articles": 30, "failed": 0, "new": 30, "changed": 0, "unchanged": 0,
            "skipped_older_than_since": 0, "skipped_not_due": 0, **changes}


def base_report(**changes) -> dict:
    report = {"crawl_id": "20260301T000000Z", "spider": "demo", "finish_reason": "finished", "stopped_by": None,
              "duration_s": 12.5, "counts": counts(), "errors": {},
              "coverage": {"authors": 1.0}, "coverage_failed": [], "drift": {"flags": []},
              "paths": {"report": "/srv/archive/demo/20260301T000000Z/crawl.json"}}
    report.update(changes)
    return report


@pytest.mark.parametrize("changes, events", [
    ({}, ["success"]),
    ({"finish_reason": "shutdown"}, ["failure"]),
    ({"counts": counts(responses=0, articles=0, new=0, failed=1)}, ["failure"]),
    # every article tried was refused or failed: nothing archived
    ({"counts": counts(articles=0, new=0, failed=12)}, ["failure"]),
    # nothing new on a recurring crawl is no failure
    ({"counts": counts(articles=0, new=0, unchanged=0, skipped_not_due=30)}, ["success"]),
    ({"coverage_failed": ["authors: 0.10 < 0.80"]}, ["coverage"]),
    ({"drift": {"flags": [{"kind": "coverage", "message": "authors coverage fell"}]}}, ["drift"]),
    ({"drift": {"flags": [{"kind": "floor", "message": "below FIELD_COVERAGE_MIN"}]}}, ["success"]),
    ({"finish_reason": "limit_max_pages", "stopped_by": {"limit": "max_pages", "value": 10}}, ["limit"]),
    # a disk floor before the first page: a limit, not a failure, and no coverage to speak of
    ({"finish_reason": "limit_min_free_disk", "stopped_by": {"limit": "min_free_disk", "value": "5%"},
      "counts": counts(responses=0, articles=0, new=0), "coverage_failed": ["authors: 0.00 < 0.80 (no articles)"]},
     ["limit"]),
])
def test_what_a_report_calls_for(changes, events):
    assert crawl_events(base_report(**changes)) == events


def test_the_message_says_what_happened_and_where_the_report_is():
    report = base_report(coverage_failed=["authors: 0.10 < 0.80"],
                         drift={"flags": [{"kind": "coverage", "message": "authors coverage fell from 100% to 10%"}]})
    text = message_text(summary_of(report), ["coverage", "drift"])
    assert text.splitlines()[0].startswith("newsarchive: demo crawl 20260301T000000Z on ")
    assert "coverage floor missed, drift" in text.splitlines()[0]
    assert "below floor: authors: 0.10 < 0.80" in text and "drift: authors coverage fell from 100% to 10%" in text
    assert "report: /srv/archive/demo/20260301T000000Z/crawl.json" in text


# ------------------------------------------------------------------ real crawls, real receivers

@pytest.mark.slow
def test_a_failing_crawl_posts_to_the_webhook(tmp_path):
    with WebhookReceiver() as hook:
        proc = run_cli("crawl", "news", "--url", f"http://127.0.0.1:{closed_port()}/", "--archive", str(tmp_path),
                       "--crawl-id", "20260301T000000Z", "--notify", hook.hook_url(), *FAST_LOOPBACK)
    assert proc.returncode == 1, proc.stdout + proc.stderr[-3000:]
    [(path, headers, payload)] = hook.posts
    assert path == "/hooks/T000/B000/secret-token" and headers["Content-Type"].startswith("application/json")
    assert payload["events"] == ["failure"]
    assert "FAILED" in payload["text"].splitlines()[0]  # what Slack and Mattermost show
    assert payload["crawl"]["spider"] == "news" and payload["crawl"]["counts"]["responses"] == 0
    assert payload["crawl"]["errors"]  # the connection errors, by kind
    report = read_report(tmp_path, "news", "20260301T000000Z")
    assert report["notifications"]["sent"] == 1 and report["notifications"]["failed"] == 0
    # the webhook's token stays out of the log and the report
    crawl_dir = tmp_path / "news" / "20260301T000000Z"
    for written in (crawl_dir / "crawl.log", crawl_dir / "crawl.json"):
        assert "secret-token" not in written.read_text()


@pytest.mark.slow
def test_a_coverage_drop_reaches_the_webhook_and_the_mailbox(tmp_path):
    """The byline site's second edition loses its bylines: a floor missed and a drift, by webhook and email."""
    archive = tmp_path / "archive"
    floor = ["--set", 'FIELD_COVERAGE_MIN={"authors": 0.8}']
    with BylineSite(articles=5) as site, WebhookReceiver() as hook, \
            SmtpReceiver(user=SMTP_ENV["NEWSARCHIVE_SMTP_USER"], password=SMTP_ENV["NEWSARCHIVE_SMTP_PASSWORD"]) as smtp:
        notify = ["--notify", hook.hook_url(), "--notify", "mailto:desk@example.org,oncall@example.org",
                  "--set", "MAIL_HOST=127.0.0.1", "--set", f"MAIL_PORT={smtp.port}"]
        first = run_cli("crawl", "news", "--url", site.url, "--archive", str(archive), "--crawl-id", "20260301T000000Z",
                        *FAST_LOOPBACK, *floor, *notify, env=SMTP_ENV)
        assert first.returncode == 0, first.stdout + first.stderr[-3000:]
        assert hook.posts == [] and smtp.messages == []  # a good crawl is news to nobody (NOTIFY_ON)
        site.next_edition()
        second = run_cli("crawl", "news", "--url", site.url, "--archive", str(archive), "--crawl-id",
                         "20260308T000000Z", *FAST_LOOPBACK, *floor, *notify, env=SMTP_ENV)
    assert second.returncode == 1, second.stdout + second.stderr[-3000:]
    [(_, _, payload)] = hook.posts
    assert payload["events"] == ["coverage", "drift"]
    assert payload["crawl"]["coverage_failed"] == ["authors: 0.00 < 0.80"]
    assert payload["crawl"]["drift"] == [message for message in payload["crawl"]["drift"] if "authors coverage fell" in message]
    assert len(payload["crawl"]["drift"]) == 1

    [message] = smtp.messages
    assert message["Subject"] == "[newsarchive] news 20260308T000000Z: coverage floor missed, drift"
    assert message["To"] == "desk@example.org, oncall@example.org" and message["From"] == "newsarchive@localhost"
    body = message.get_payload(decode=True).decode("utf-8")
    assert body == payload["text"]  # the same words by mail and by webhook
    assert smtp.envelopes == [("newsarchive@localhost", ["desk@example.org", "oncall@example.org"], True)]
    assert smtp.logins == [(SMTP_ENV["NEWSARCHIVE_SMTP_USER"], SMTP_ENV["NEWSARCHIVE_SMTP_PASSWORD"])]

    report = read_report(archive, "news", "20260308T000000Z")
    assert report["notifications"]["events"] == ["coverage", "drift"] and report["notifications"]["sent"] == 2
    # the SMTP password came from the environment and went nowhere else
    crawl_dir = archive / "news" / "20260308T000000Z"
    for text in ((crawl_dir / "crawl.log").read_text(), (crawl_dir / "crawl.json").read_text(), second.stdout,
                 second.stderr):
        assert SMTP_ENV["NEWSARCHIVE_SMTP_PASSWORD"] not in text


@pytest.mark.slow
def test_a_limit_hit_posts_to_the_webhook(tmp_path):
    from newsarchive.demo.server import DemoServer
    from newsarchive.demo.site import DemoSite

    with DemoServer(site=DemoSite(n_articles=12)) as server, WebhookReceiver() as hook:
        proc = run_cli("crawl", "demo", "--url", server.url, "--archive", str(tmp_path), "--crawl-id",
                       "20260301T000000Z", "--no-progress", "--max-pages", "6", "--notify", hook.hook_url())
    assert proc.returncode == 4, proc.stdout + proc.stderr[-3000:]
    [(_, _, payload)] = hook.posts
    assert payload["events"] == ["limit"]
    assert payload["crawl"]["stopped_by"] == {"limit": "max_pages", "value": 6, "used": 6}
    assert "stopped by max_pages = 6; `newsarchive crawl --resume` continues it" in payload["text"]


@pytest.mark.slow
def test_a_notifier_that_times_out_or_fails_does_not_change_the_crawls_outcome(tmp_path):
    with BylineSite(articles=3) as site, WebhookReceiver(hang=True) as hanging, WebhookReceiver(status=500) as broken, \
            WebhookReceiver() as working:
        proc = run_cli("crawl", "news", "--url", site.url, "--archive", str(tmp_path), "--crawl-id", "20260301T000000Z",
                       *FAST_LOOPBACK, "--notify", hanging.hook_url(), "--notify", broken.hook_url(),
                       "--notify", working.hook_url(), "--notify", f"mailto:desk@example.org",
                       "--set", "MAIL_HOST=127.0.0.1", "--set", f"MAIL_PORT={closed_port()}",
                       "--notify-on", "success", "--set", "NOTIFY_TIMEOUT=2")
        assert len(hanging.posts) == 1  # it took the POST and never answered
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]  # a good crawl stays good
    assert "3 written" in proc.stdout
    [(_, _, payload)] = working.posts
    assert payload["events"] == ["success"]
    notifications = read_report(tmp_path, "news", "20260301T000000Z")["notifications"]
    assert (notifications["sent"], notifications["failed"]) == (1, 3)
    errors = {t["target"]: t.get("error") for t in notifications["targets"]}
    assert errors[f"http://127.0.0.1:{hanging.port}/…"] == "timed out after 2s"
    assert errors[f"http://127.0.0.1:{broken.port}/…"] == "HTTP 500 Internal Server Error"
    assert errors["mailto:desk@example.org"]  # the SMTP server was not there
    log = (tmp_path / "news" / "20260301T000000Z" / "crawl.log").read_text()
    assert "could not notify http://127.0.0.1:" in log and "the crawl's outcome is unchanged" in log
    assert "newsarchive/notify/failed': 3" in log  # counted in the crawl's stats


def test_notify_test_sends_to_a_webhook_and_a_mailbox():
    with WebhookReceiver() as hook, SmtpReceiver() as smtp:
        proc = run_cli("notify-test", "--notify", hook.hook_url(), "--notify", "mailto:ops@example.org",
                       "--set", "MAIL_HOST=127.0.0.1", "--set", f"MAIL_PORT={smtp.port}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [f"http://127.0.0.1:{hook.port}/…: sent", "mailto:ops@example.org: sent"]
    assert hook.posts[0][2]["events"] == ["test"] and "test message" in hook.posts[0][2]["text"]
    assert smtp.messages[0]["Subject"].endswith("test message")


@pytest.mark.slow
def test_email_over_starttls_verifies_the_servers_certificate(tmp_path):
    """MAIL_TLS: STARTTLS, the certificate checked against the trusted ones, AUTH only after it."""
    with SmtpReceiver(user="alerts-bot", password="pw-tls", tls_dir=tmp_path) as smtp:
        args = ["notify-test", "--notify", "mailto:ops@example.org", "--set", "MAIL_HOST=127.0.0.1",
                "--set", f"MAIL_PORT={smtp.port}", "--set", "MAIL_TLS=true", "--set", "NOTIFY_TIMEOUT=5"]
        env = {"NEWSARCHIVE_SMTP_USER": "alerts-bot", "NEWSARCHIVE_SMTP_PASSWORD": "pw-tls"}
        trusted = run_cli(*args, env={**env, "SSL_CERT_FILE": str(smtp.ca_file)})
        untrusted = run_cli(*args, env=env)  # the system's CAs do not know this certificate
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    assert smtp.logins == [("alerts-bot", "pw-tls")] and len(smtp.messages) == 1
    assert untrusted.returncode == 3 and "certificate verify failed" in untrusted.stdout


def test_notify_test_exit_codes():
    with WebhookReceiver(status=404) as hook:
        failed = run_cli("notify-test", "--notify", hook.hook_url())
    assert failed.returncode == 3 and "FAILED (HTTP 404" in failed.stdout
    nothing = run_cli("notify-test")
    assert nothing.returncode == 2 and "no target" in nothing.stderr
    assert run_cli("notify-test", "--notify", "gopher://example.org/").returncode == 2
    assert run_cli("crawl", "demo", "--notify", "ftp://example.org/").returncode == 2
    assert run_cli("crawl", "demo", "--notify-on", "whenever").returncode == 2
