"""No secret in any archive or log: credentials sent through a real proxy on loopback, then every WARC
byte, the log, the report and the console output searched for them."""
from __future__ import annotations

import base64
import gzip
import json
import logging

import pytest
from scrapy.http import Headers

from newsarchive.base.secrets import SecretMaskingFilter, mask_text, masked_settings, secret_values
from newsarchive.warc.http import REDACTED, request_headers
from tests.conftest import run_cli
from tests.sites.proxy import ForwardProxy

pytestmark = pytest.mark.slow

PROXY_USER, PROXY_PASSWORD = "archivist", "pr0xy-s3cret-9f2c"
HTTPAUTH_PASSWORD = "httpauth-s3cret-71ab"
COOKIE_SECRET = "c00kie-s3cret-5e0d"
CRAWL_ID = "20261201T000000Z"


def secrets() -> list[str]:
    return [
        PROXY_PASSWORD, HTTPAUTH_PASSWORD, COOKIE_SECRET,
        base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode(),
        base64.b64encode(f"{PROXY_USER}:{HTTPAUTH_PASSWORD}".encode()).decode(),
    ]


@pytest.fixture(scope="module")
def proxied_crawl(tmp_path_factory, demo_server):
    archive = tmp_path_factory.mktemp("secrets")
    no_bypass = {"no_proxy": "", "NO_PROXY": "", "HTTP_PROXY": "", "https_proxy": "", "HTTPS_PROXY": ""}
    with ForwardProxy(PROXY_USER, PROXY_PASSWORD) as proxy:
        proc = run_cli(
            "crawl", "demo", "--url", demo_server.url, "--archive", str(archive), "--crawl-id", CRAWL_ID,
            "--no-progress", "--max-articles", "3", "--json",
            "--set", f"HTTPAUTH_USER={PROXY_USER}", "--set", f"HTTPAUTH_PASS={HTTPAUTH_PASSWORD}",
            "--set", f"HTTPAUTH_DOMAIN=127.0.0.1:{demo_server.port}",  # Scrapy compares host:port
            "--set", json_setting("DEFAULT_REQUEST_HEADERS", {"Cookie": f"session={COOKIE_SECRET}",
                                                              "Accept": "text/html,*/*;q=0.8"}),
            env={**no_bypass, "http_proxy": proxy.proxy_url}, timeout=180,
        )
        received = list(proxy.requests)
    return proc, archive / "demo" / CRAWL_ID, received


def json_setting(name: str, value) -> str:
    return f"{name}={json.dumps(value)}"


def test_the_crawl_went_through_the_proxy_with_every_credential(proxied_crawl):
    proc, crawl_dir, received = proxied_crawl
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert len(received) >= 4
    for target, headers in received:
        # The demo site and its "CDN" (the same server under its other loopback name, demo/render.py).
        assert target.startswith(("http://127.0.0.1:", "http://localhost:"))
        assert PROXY_PASSWORD not in headers.get("Proxy-Authorization", "")  # Basic: base64, checked by the proxy
        assert headers["Proxy-Authorization"] == "Basic " + secrets()[3]
        assert COOKIE_SECRET in headers["Cookie"]
        if target.startswith("http://127.0.0.1:"):  # HTTPAUTH_DOMAIN: the "CDN" name gets no Authorization
            assert headers["Authorization"] == "Basic " + secrets()[4]
    assert len(json.loads((crawl_dir / "articles.jsonl").read_text().splitlines()[0])["text"]) > 100


def test_no_secret_in_any_warc_byte_log_report_or_output(proxied_crawl):
    proc, crawl_dir, _ = proxied_crawl
    places = {"stdout": proc.stdout, "stderr": proc.stderr}
    for path in crawl_dir.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            places[str(path)] = raw.decode("latin-1")
            if path.name.endswith(".gz"):
                places[f"{path} (gunzipped)"] = gzip.decompress(raw).decode("latin-1")
    assert any(name.endswith(".warc.gz (gunzipped)") for name in places)
    assert any(name.endswith("crawl.log") for name in places)
    leaks = [(name, secret) for name, text in places.items() for secret in secrets() if secret in text]
    assert leaks == []


def test_request_records_name_the_redacted_headers(proxied_crawl):
    _, crawl_dir, _ = proxied_crawl
    from warcio.archiveiterator import ArchiveIterator

    requests = 0
    for path in (crawl_dir / "warc").glob("*.warc.gz"):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "request":
                    requests += 1
                    sent = ("Proxy-Authorization", "Cookie")
                    if record.rec_headers.get_header("WARC-Target-URI").startswith("http://127.0.0.1:"):
                        sent += ("Authorization",)  # HTTPAUTH_DOMAIN: the demo's "CDN" name gets none
                    for name in sent:
                        assert record.http_headers.get_header(name) == REDACTED, name
    assert requests >= 4


def test_report_and_log_mask_the_settings(proxied_crawl):
    proc, crawl_dir, _ = proxied_crawl
    report = json.loads((crawl_dir / "crawl.json").read_text())
    assert report["settings"]["HTTPAUTH_PASS"] == "***"
    assert report["settings"]["HTTPAUTH_USER"] == PROXY_USER
    log = (crawl_dir / "crawl.log").read_text()
    assert "'HTTPAUTH_PASS': '***'" in log  # Scrapy's "Overridden settings" line, masked
    assert "archive" in proc.stdout


def test_archive_still_validates(proxied_crawl):
    _, crawl_dir, _ = proxied_crawl
    proc = run_cli("validate", str(crawl_dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ------------------------------------------------------------------ the parts, without a crawl

def test_request_head_redacts_credentials_unless_asked_to_keep_them():
    headers = Headers({"Authorization": "Basic dXNlcjpwYXNz", "Cookie": "a=b", "Proxy-Authorization": "Basic x",
                       "Accept": "text/html"})
    stored = request_headers("GET", "http://news.example/a", headers, b"")
    assert [stored.get_header(n) for n in ("Authorization", "Cookie", "Proxy-Authorization", "Accept")] == [
        REDACTED, REDACTED, REDACTED, "text/html"]
    kept = request_headers("GET", "http://news.example/a", headers, b"", keep_secrets=True)
    assert kept.get_header("Authorization") == "Basic dXNlcjpwYXNz"


def test_settings_and_text_masking():
    settings = {"HTTPAUTH_PASS": "hunter2", "HTTPAUTH_USER": "ops", "API_TOKEN": "t0k3n",
                "SCHEDULER_REDIS_URL": "redis://:r3dis-pw@10.0.0.5:6379/0",
                "FEEDS": {"s3://AKIA:s3-secret@bucket/items.jsonl": {"format": "jsonlines"}},
                "CONCURRENT_REQUESTS": 16}
    shown = masked_settings(settings)
    assert shown["HTTPAUTH_PASS"] == "***" and shown["API_TOKEN"] == "***" and shown["HTTPAUTH_USER"] == "ops"
    assert shown["SCHEDULER_REDIS_URL"] == "redis://:***@10.0.0.5:6379/0"
    assert list(shown["FEEDS"]) == ["s3://AKIA:***@bucket/items.jsonl"]
    assert shown["CONCURRENT_REQUESTS"] == 16
    found = secret_values(settings.items(), ["http://me:pr0xy@127.0.0.1:3128"])
    assert {"hunter2", "t0k3n", "r3dis-pw", "s3-secret", "pr0xy", base64.b64encode(b"me:pr0xy").decode(),
            base64.b64encode(b"ops:hunter2").decode()} <= found
    assert mask_text("Overridden settings: {'HTTPAUTH_PASS': 'pw', 'LOG_LEVEL': 'INFO'}") == (
        "Overridden settings: {'HTTPAUTH_PASS': '***', 'LOG_LEVEL': 'INFO'}")
    assert mask_text("GET http://bob:letmein@news.example/x") == "GET http://bob:***@news.example/x"


def test_log_filter_rewrites_the_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "password is %s", ("hunter2",), None)
    assert SecretMaskingFilter({"hunter2"}).filter(record) is True
    assert record.getMessage() == "password is ***"
