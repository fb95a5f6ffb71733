"""The address guard in real crawls: refused targets are never contacted, by the middleware's checks before
a request leaves and by the resolver's when a connection is made, each on its own.

A PrivateServer on 127.0.0.2 (the tests' stand-in for a private host) logs whatever reaches it; the
crawls allow 127.0.0.1 only. The fixture spider of tests/warc/crawl.py has no allowed_domains, so
Scrapy's offsite filter lets everything through and only the guard stands in the way.
"""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import REPO, run_cli
from tests.sites.hostile import HostileServer, PrivateServer
from tests.sites.proxy import ForwardProxy
from tests.warc.conftest import crawl_command, crawl_env, run_crawl

pytestmark = pytest.mark.slow

GUARD = "newsarchive.fetch.address_guard.AddressGuardMiddleware"
FIXTURE_RESOLVER = "TWISTED_DNS_RESOLVER=tests.sites.names.FixtureNamesResolver"


@pytest.fixture(scope="module")
def sites():
    with PrivateServer() as private, HostileServer(private_port=private.port) as site:
        yield site, private


def errors(result) -> dict[str, str]:
    return {row["url"]: row["error"] for row in result.rows if "error" in row}


def test_middleware_refuses_redirect_hops_literals_and_transition_forms(sites, tmp_path):
    site, private = sites
    urls = [site.url + "redirect-to-private-ip/", site.url + "redirect-to-intranet/",
            f"http://[::ffff:127.0.0.2]:{private.port}/internal/mapped/",
            f"http://[64:ff9b::7f00:2]:{private.port}/internal/nat64/",
            f"http://2130706434:{private.port}/internal/decimal/",  # 127.0.0.2 spelled as one number
            f"http://intranet.hostile.test:{private.port}/internal/by-name/",
            site.url + "good/solar-kiosk-pilot/"]
    result = run_crawl(urls, tmp_path, set=[FIXTURE_RESOLVER, "ADDRESS_GUARD=public", "ADDRESS_GUARD_ALLOW=127.0.0.1",
                                            f'DOWNLOADER_MIDDLEWARES={{"{GUARD}": 45}}'])
    assert private.requests == []
    failed = errors(result)
    assert len(failed) == 6 and all("address_refused" in error for error in failed.values()), failed
    assert result.by_path("/good/solar-kiosk-pilot/")["status"] == 200
    assert result.summary["stats"]["newsarchive/errors/address_refused"] == 6


def test_resolver_alone_refuses_at_connection_time(sites, tmp_path):
    """No guard middleware at all: the GuardedResolver still keeps every refused address uncontacted."""
    site, private = sites
    urls = [f"http://intranet.hostile.test:{private.port}/internal/by-name/",
            f"http://127.0.0.2:{private.port}/internal/by-ip/",
            f"http://news.hostile.test:{site.port}/good/library-robot-trial/"]
    result = run_crawl(urls, tmp_path, set=[FIXTURE_RESOLVER, "ADDRESS_GUARD=public", "ADDRESS_GUARD_ALLOW=127.0.0.1"])
    assert private.requests == []
    failed = errors(result)
    # Twisted reports any failed resolution as a failed DNS look-up: no address, no connection.
    assert set(failed) == set(urls[:2]) and all("no results for hostname lookup" in e for e in failed.values()), failed
    assert result.by_path("/good/library-robot-trial/")["status"] == 200
    archived = [row["url"] for row in result.rows if row.get("warc")]
    assert archived == [urls[2]]  # nothing refused is archived


def test_crawl_counts_refusals_and_exits_1_when_nothing_was_archived(sites, tmp_path):
    site, private = sites
    proc = run_cli("crawl", "news", "--url", f"http://intranet.hostile.test:{private.port}/", "--archive",
                   str(tmp_path), "--crawl-id", "20261130T000000Z", "--no-progress", "--allow-address", "127.0.0.1",
                   "--set", FIXTURE_RESOLVER, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr[-2000:]
    report = json.loads((tmp_path / "news" / "20261130T000000Z" / "crawl.json").read_text())
    assert report["errors"]["address_refused"] >= 1 and private.requests == []
    assert "address_refused: http://intranet.hostile.test" in proc.stderr


def test_no_allow_list_refuses_even_the_fixture_site(sites, tmp_path):
    site, _ = sites
    before = sum(site.requests.values())
    proc = run_cli("crawl", "news", "--url", site.url, "--archive", str(tmp_path), "--no-progress", timeout=120)
    assert proc.returncode == 1
    assert sum(site.requests.values()) == before  # 127.0.0.1 is not public: not contacted without --allow-address
    assert "127.0.0.1 is not a public address" in proc.stderr


def test_schemes_other_than_http_are_refused(tmp_path):
    """Scrapy has handlers for file: and data:; the guard lets neither through (the CLI refuses such a --url
    even earlier, as a usage error)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("local file contents")
    urls = [secret.as_uri(), "data:text/html,%3Cp%3Einjected%3C/p%3E"]
    result = run_crawl(urls, tmp_path / "archive", set=["ADDRESS_GUARD=public", f'DOWNLOADER_MIDDLEWARES={{"{GUARD}": 45}}'])
    failed = errors(result)
    assert set(failed) == set(urls) and all("scheme_refused" in e for e in failed.values()), failed
    assert result.summary["stats"]["newsarchive/errors/scheme_refused"] == 2
    assert not [row for row in result.rows if "status" in row]


def test_a_refusal_at_connection_time_is_counted_as_address_refused(sites, tmp_path):
    site, private = sites
    proc = run_cli("crawl", "news", "--url", f"http://intranet.hostile.test:{private.port}/", "--archive",
                   str(tmp_path), "--crawl-id", "20261130T000002Z", "--no-progress", "--allow-address", "127.0.0.1",
                   "--set", FIXTURE_RESOLVER, "--set", "RETRY_TIMES=0",
                   "--set", json.dumps({GUARD: None}).join(["DOWNLOADER_MIDDLEWARES=", ""]), timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr[-2000:]
    report = json.loads((tmp_path / "news" / "20261130T000002Z" / "crawl.json").read_text())
    assert report["errors"].get("address_refused", 0) >= 1 and "dns" not in report["errors"], report["errors"]
    assert private.requests == []


def test_behind_a_proxy_the_target_is_checked_and_the_proxy_trusted(sites, tmp_path):
    """The proxy (on 127.0.0.3, not in the allow list) is contacted because the operator configured it; each
    target is resolved and checked here before the request goes to the proxy."""
    site, private = sites
    urls = [f"http://news.hostile.test:{site.port}/good/ferry-wifi-upgrade/",
            f"http://intranet.hostile.test:{private.port}/internal/proxied/"]
    out = tmp_path / "rows.jsonl"
    with ForwardProxy("crawler", "proxy-pw", host="127.0.0.3") as proxy:
        proc = subprocess.run(
            crawl_command(urls, tmp_path, "20261130T000003Z", out,
                          set=[FIXTURE_RESOLVER, "ADDRESS_GUARD=public", "ADDRESS_GUARD_ALLOW=127.0.0.1",
                               f'DOWNLOADER_MIDDLEWARES={{"{GUARD}": 45}}']),
            cwd=REPO, env={**crawl_env(), "http_proxy": proxy.proxy_url, "no_proxy": "", "NO_PROXY": ""},
            capture_output=True, text=True, timeout=120)
        through_proxy = [target for target, _ in proxy.requests]
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {row["url"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert rows[urls[0]]["status"] == 200 and through_proxy == [urls[0]]
    assert "address_refused" in rows[urls[1]]["error"]
    assert private.requests == []


def test_a_crawl_whose_every_article_was_refused_exits_1(sites, tmp_path):
    _, private = sites
    with HostileServer(private_port=private.port, sitemaps_in_robots=False) as site:
        proc = run_cli("crawl", "news", "--url", f"http://news.hostile.test:{site.port}/redirect-to-intranet/",
                       "--archive", str(tmp_path), "--crawl-id", "20261130T000004Z", "--no-progress",
                       "--allow-address", "127.0.0.1", "--set", FIXTURE_RESOLVER, timeout=120)
    report = json.loads((tmp_path / "news" / "20261130T000004Z" / "crawl.json").read_text())
    assert report["counts"]["responses"] >= 1  # the seed's redirect was fetched and archived...
    assert report["errors"]["address_refused"] == 1 and report["counts"]["articles"] == 0  # ...its target refused
    assert proc.returncode == 1, proc.stdout + proc.stderr[-2000:]
    assert "nothing archived" in proc.stderr and private.requests == []
