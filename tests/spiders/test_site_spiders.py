"""The site spiders: declared, listed, and their contracts pass offline by replaying the fixture WARC.

`scrapy check` exits 0 on "Ran 0 contracts", so these tests read its output: every site spider must
run all its contracts, and all must pass. A fixture page that loses its byline must make it fail.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "contracts"
NOT_SITE_SPIDERS = {"demo", "news"}
REQUIRED_CONTRACTS = ("@url ", "@returns items 1 1", "@scrapes title authors published text", "@authors",
                      "@published_iso", "@min_words ", "@copyright", "@no_boilerplate")


def load_tool():
    spec = importlib.util.spec_from_file_location("make_contract_fixtures", REPO / "tools" / "make_contract_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool():
    return load_tool()


@pytest.fixture(scope="module")
def site_spiders():
    from scrapy.spiderloader import SpiderLoader

    from newsarchive.crawl.runner import project_settings

    loader = SpiderLoader.from_settings(project_settings())
    return {name: loader.load(name) for name in loader.list() if name not in NOT_SITE_SPIDERS}


def scrapy_check(*args: str, replay: Path, archive: Path) -> subprocess.CompletedProcess:
    """`scrapy check -v ARGS` in replay mode, from the project root, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "check", "-v", *args, "-s", f"REPLAY_WARC={replay}",
         "-s", f"ARCHIVE_DIR={archive}", "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO, capture_output=True, text=True, timeout=240,
    )


def contract_results(output: str) -> dict[str, list[tuple[str, str]]]:
    """spider -> [(contract hook, 'ok' | 'FAIL' | 'ERROR')], from `scrapy check -v` lines."""
    results: dict[str, list[tuple[str, str]]] = {}
    for spider, hook, outcome in re.findall(r"^\[(\S+)\] parse_article \((@\S+ \S+)\) \.\.\. (ok|FAIL|ERROR)$",
                                            output, re.M):
        results.setdefault(spider, []).append((hook, outcome))
    return results


def test_at_least_twelve_site_spiders_starting_with_techtimes(site_spiders):
    assert len(site_spiders) >= 12 and "techtimes" in site_spiders
    for name, cls in site_spiders.items():
        assert cls.allowed_domains and cls.article_url_patterns, name
        assert cls.feed_urls or cls.sitemap_urls or cls.sitemaps_from_robots, f"{name} declares no discovery source"
        assert all(url.startswith("https://") for url in (*cls.feed_urls, *cls.start_urls)), name
        # Real sites keep the polite defaults: no spider lowers delays or raises concurrency.
        assert not {"DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS_PER_DOMAIN",
                    "ADDRESS_GUARD", "ADDRESS_GUARD_ALLOW", "ROBOTSTXT_OBEY"} & set(cls.custom_settings or {}), name


def test_every_article_callback_carries_the_contracts_for_its_own_article_url(site_spiders, tool):
    urls = tool.contract_urls()
    for name, cls in site_spiders.items():
        doc = cls.parse_article.__doc__ or ""
        missing = [c for c in REQUIRED_CONTRACTS if c not in doc]
        assert not missing, f"{name}.parse_article lacks {missing}"
        spider = cls()
        assert spider.is_article_url(urls[name]), f"{name}: its @url {urls[name]} is not one of its article URLs"
        assert urls[name].split("/")[2].removeprefix("www.").endswith(tuple(cls.allowed_domains)), name
        assert (FIXTURES / "pages" / f"{name}.html").exists(), f"{name} has no fixture page"


def test_spiders_command_lists_every_site_with_its_sources(site_spiders):
    proc = run_cli("spiders", "--json", check=True)
    listed = {row["name"]: row for row in json.loads(proc.stdout)}
    for name, cls in site_spiders.items():
        assert listed[name]["domains"] == list(cls.allowed_domains)
        assert listed[name]["feeds"] == list(cls.feed_urls) and listed[name]["robots_sitemaps"] is True


def test_committed_fixture_warc_matches_the_fixture_pages(tool, tmp_path):
    """The committed WARC is what the script makes from today's pages (payload digests per URL agree)."""
    from newsarchive.warc import cdxj

    def digests(folder: Path) -> dict[str, str]:
        entries = [e for index in folder.glob("*.cdxj") for e in cdxj.read_entries(index)]
        return {e.url: e.digest for e in entries}

    pages = tool.fixture_pages()
    tool.write_fixture_warc(pages, tmp_path, robots=tool.default_robots(pages))
    committed = digests(FIXTURES)
    assert committed == digests(tmp_path), "run: .venv/bin/python tools/make_contract_fixtures.py"
    assert len(list(FIXTURES.glob("*.warc.gz"))) == 1 and len(committed) == len(pages) + 1


def test_fixture_warc_passes_the_validation_gate():
    from newsarchive.warc.validate import validate_paths

    assert validate_paths([FIXTURES]) == []


def test_every_contract_of_every_site_spider_passes_offline(site_spiders, tmp_path):
    proc = scrapy_check(replay=FIXTURES, archive=tmp_path)
    output = proc.stdout + proc.stderr
    ran = re.search(r"^Ran (\d+) contracts? in", output, re.M)
    assert ran, output[-3000:]
    results = contract_results(output)
    no_contracts = sorted(set(site_spiders) - set(results))
    assert not no_contracts, f"spiders with zero contracts run: {no_contracts}\n{output[-3000:]}"
    failed = {spider: [hook for hook, outcome in hooks if outcome != "ok"] for spider, hooks in results.items()}
    failed = {spider: hooks for spider, hooks in failed.items() if hooks}
    assert not failed, f"failing contracts: {failed}\n{output[-6000:]}"
    expected = {f"@{name} post-hook" for name in ("returns", "scrapes", "authors", "published_iso", "min_words",
                                                    "copyright", "no_boilerplate")}
    for spider in site_spiders:
        assert {hook for hook, _ in results[spider]} == expected, (spider, results[spider])
    assert int(ran.group(1)) >= len(expected) * len(site_spiders)
    assert proc.returncode == 0 and re.search(r"^OK$", output, re.M)
    assert "replay miss" not in output
    assert not list(tmp_path.rglob("*.warc.gz*")), "replay mode must not archive replayed responses again"


def test_a_fixture_page_that_loses_its_byline_fails_the_authors_contract(tool, tmp_path):
    url, html = tool.fixture_pages()["techtimes"]
    page = html.decode("utf-8")
    without = re.sub(r'\s*"author":\{[^}]*\},', "", page)
    without = re.sub(r'<span class="byline">.*?</span>', "", without, flags=re.S)
    assert without != page and "Marisol Quintero" not in without
    tool.write_fixture_warc({"techtimes": (url, without.encode("utf-8"))}, tmp_path / "warc")
    proc = scrapy_check("techtimes", replay=tmp_path / "warc", archive=tmp_path / "archive")
    output = proc.stdout + proc.stderr
    results = contract_results(output)
    outcomes = dict(results["techtimes"])
    assert outcomes["@authors post-hook"] == "FAIL", output[-3000:]
    # Only the byline broke: every other contract still passes.
    assert [hook for hook, outcome in results["techtimes"] if outcome != "ok"] == ["@authors post-hook"]
    assert "@authors: expected at least 1 author(s), got []" in output
    assert proc.returncode == 1 and "FAILED" in output
