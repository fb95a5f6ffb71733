"""`newsarchive genspider`: URL rules from examples, pages judged by their own signals, and end to end on the
demo site served on loopback: with its feeds, without (sitemaps), and without either (links). The spider it
writes passes `scrapy check` offline against the captured fixture and its crawl finds every demo article."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.crawl import genspider, urlshapes
from newsarchive.demo.server import DemoServer
from newsarchive.demo.site import DemoSite
from newsarchive.extract import extract_article
from tests.conftest import REPO, read_jsonl, run_cli
from tests.genspider.site import BareDemoServer

LOOPBACK = ["--allow-address", "127.0.0.1", "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false"]
SITE = DemoSite()
BASE = "http://127.0.0.1:8000"


# ------------------------------------------------------------------ URL rules from examples

@pytest.mark.parametrize("segment, kind", [
    ("2024", "year"), ("05", "2digits"), ("44613978", "number"), ("gadgets", "word"), ("some-story-title", "slug"),
    ("10_34", "slug"), ("b4192066630779.htm", "file"), ("story.php", "file"), ("b41920x", "id"), ("1999", "year"),
])
def test_segment_kinds(segment, kind):
    assert urlshapes.segment_kind(segment) == kind


def test_article_rules_match_every_sample_and_no_listing():
    articles = [BASE + a.path for a in SITE.articles[:8]]
    listings = [BASE + p for p in ("/", "/gadgets/", "/gadgets/page/2/", "/about/", "/?page=2")]
    inferred = urlshapes.infer_patterns(articles, listings)
    assert inferred.patterns == [r"^https?://[^/]+/[A-Za-z][A-Za-z0-9_-]*/\d{4}/\d{2}/\d{2}/[^/]+/$"]
    # the rule generalizes: every article of the site, none of its listing pages
    assert all(urlshapes.matches(inferred.patterns, BASE + a.path) for a in SITE.articles)
    assert not any(urlshapes.matches(inferred.patterns, BASE + p) for p in SITE.listing_paths())


@pytest.mark.parametrize("articles, others, matching, not_matching", [
    # shapes from the generic crawler's real-site run (issue 17): ids, .htm files, query ids
    (["https://x.example/id/44613978", "https://x.example/id/9912"], ["https://x.example/", "https://x.example/about"],
     "https://x.example/id/1234567890", "https://x.example/id/about"),
    (["https://x.example/magazine/content/10_34/b4192066630779.htm",
      "https://x.example/magazine/content/11_02/b4211052245170.htm"], ["https://x.example/magazine/"],
     "https://x.example/magazine/content/12_40/b4300000000000.htm", "https://x.example/magazine/content/"),
    (["https://x.example/story.php?id=123", "https://x.example/story.php?id=77"], ["https://x.example/index.php"],
     "https://x.example/story.php?id=9", "https://x.example/story.php"),
])
def test_article_rules_for_other_url_shapes(articles, others, matching, not_matching):
    inferred = urlshapes.infer_patterns(articles, others)
    assert inferred.patterns and not inferred.unmatched
    assert urlshapes.matches(inferred.patterns, matching)
    assert not urlshapes.matches(inferred.patterns, not_matching)


def test_a_rule_is_tightened_when_a_loose_one_catches_another_page_and_said_so():
    articles = ["https://x.example/tech/a-long-story-slug", "https://x.example/biz/another-story-here"]
    inferred = urlshapes.infer_patterns(articles, ["https://x.example/tech/about-us"])
    assert inferred.patterns == [r"^https?://[^/]+/(?:biz|tech)/[^/]*-[^/]*-[^/]+$"]
    assert any("tighter rule" in note for note in inferred.notes)
    hopeless = urlshapes.infer_patterns(["https://x.example/a-b-c"], ["https://x.example/a-b-c"])
    assert hopeless.patterns == [] and hopeless.unmatched == ["https://x.example/a-b-c"] and hopeless.notes


# ------------------------------------------------------------------ a page judged by its own signals

def judged(path: str) -> str:
    body = SITE.resolve(path, BASE + "/").body
    record = extract_article(body, BASE + path)
    return genspider.page_kind(record, body, BASE + path, 150)[0]


def test_every_demo_article_is_an_article_and_no_listing_is():
    assert {a.path: judged(a.path) for a in SITE.articles} == {a.path: "article" for a in SITE.articles}
    listings = [*SITE.listing_paths(), "/about/"]
    assert {p: judged(p) for p in listings} == {p: "other" for p in listings}


def test_the_spider_module_is_valid_python_with_the_rules_as_written():
    findings = genspider.Findings(
        name="example_news", url="https://www.example.org/", feeds=[], sitemaps=[], sitemaps_from_robots=False,
        discovery="links", articles=[], listings=[], others=[],
        article_patterns=[r"^https?://[^/]+/\d{4}/[^/]+/$", "it's"], follow_patterns=[r"^https?://[^/]+/\?page=\d+$"],
        field_counts={}, contract_url="https://www.example.org/2026/a-story/", contract_lines=["@returns items 1 1"],
        could_not=['a """quoted""" thing \\d'], notes=[])
    source = genspider.render_spider(findings)
    namespace: dict = {}
    exec(compile(source, "example_news.py", "exec"), namespace)  # noqa: S102 - our own generated code
    spider = namespace["ExampleNewsSpider"]
    assert spider.name == "example_news" and spider.allowed_domains == ["example.org"]
    assert spider.article_url_patterns == (r"^https?://[^/]+/\d{4}/[^/]+/$", "it's")
    assert spider.follow_url_patterns == (r"^https?://[^/]+/\?page=\d+$",)
    assert "@url https://www.example.org/2026/a-story/" in spider.parse_article.__doc__
    assert 'a """quoted""" thing \\d' in namespace["__doc__"]


# ------------------------------------------------------------------ end to end, on loopback

def generate(tmp_path: Path, url: str, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    """genspider into tmp/gen/ (a package of its own); the module's path."""
    package = tmp_path / "gen"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").touch()
    proc = run_cli("genspider", "probed", url, "--out", str(package), *LOOPBACK, *extra)
    return proc, package / "probed.py"


def with_generated(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """A command that loads the generated spider: tmp/gen/ as SPIDER_MODULES, on the path before the repo."""
    env = {"PYTHONPATH": f"{tmp_path}:{REPO}"}
    if args[0] == "scrapy":
        return subprocess.run([sys.executable, "-m", "scrapy", *args[1:], "-s", "SPIDER_MODULES=gen"], cwd=REPO,
                              capture_output=True, text=True, timeout=300, env={**_environ(), **env})
    return run_cli(*args, "--set", 'SPIDER_MODULES=["gen"]', env=env)


def _environ() -> dict:
    import os

    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsarchive.settings"}


SMALL_SITE = DemoSite(n_articles=12)  # the fallbacks' sites: every special case, a third of the pages


def crawled_articles(tmp_path: Path, archive: Path) -> set[str]:
    proc = with_generated(tmp_path, "crawl", "probed", "--archive", str(archive), "--no-progress", *LOOPBACK)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    [crawl_dir] = [d for d in (archive / "probed").iterdir() if d.is_dir()]
    return {r["url"].split("/", 3)[3] for r in read_jsonl(crawl_dir / "articles.jsonl")}


ALL_ARTICLES = {a.path.lstrip("/") for a in SITE.articles}


@pytest.mark.slow
def test_genspider_on_the_demo_site_writes_a_spider_that_passes_its_contracts_and_finds_every_article(tmp_path):
    fixture = tmp_path / "fixture"
    with DemoServer() as server:
        proc, module = generate(tmp_path, server.url, "--capture", str(fixture), "--json")
        assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
        found = json.loads(proc.stdout)
        assert found["discovery"] == "feeds" and {f["url"] for f in found["feeds"]} == {
            server.url + "feed.xml", server.url + "atom.xml"}
        assert all(f["entries"] == len(SITE.articles) and f["found_by"] == "announced" for f in found["feeds"])
        assert found["sitemaps_from_robots"] is True
        assert {f: c["found"] == c["of"] > 0 for f, c in found["fields"].items() if f != "body"} == {
            "title": True, "authors": True, "published": True}
        assert found["written"] == str(module) and found["could_not"] == []
        source = module.read_text()
        assert f"@url {found['contract_url']}" in source and "@authors" in source and "@published_iso" in source
        assert found["pages_fetched"] <= 60  # GENSPIDER_MAX_PAGES
        # The fixture is the probe's own WARC: valid, and it holds the @url page.
        assert sorted(p.suffix for p in fixture.iterdir()) == [".cdxj", ".gz"]
        assert run_cli("validate", str(fixture)).returncode == 0
        assert found["contract_url"] in (fixture / next(p.name for p in fixture.glob("*.cdxj"))).read_text()

        # Its contracts pass offline, answered from the captured fixture (the demo server could be gone).
        check = with_generated(tmp_path, "scrapy", "check", "probed", "-s", f"REPLAY_WARC={fixture}",
                               "-s", "ADDRESS_GUARD_ALLOW=127.0.0.1", "-s", f"ARCHIVE_DIR={tmp_path / 'check'}")
        assert check.returncode == 0, check.stdout + check.stderr[-3000:]
        assert re.search(r"Ran [1-9]\d* contracts", check.stderr) and "OK" in check.stderr

        # And its crawl finds every article of the demo site.
        assert crawled_articles(tmp_path, tmp_path / "archive") == ALL_ARTICLES


@pytest.mark.slow
def test_without_a_feed_genspider_falls_back_to_the_sitemaps_and_says_so(tmp_path):
    with BareDemoServer(sitemaps=True, site=SMALL_SITE) as server:
        proc, module = generate(tmp_path, server.url)
        assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
        assert "discovery    sitemaps" in proc.stdout
        assert "note         no feed found: the spider falls back to the sitemaps" in proc.stdout
        assert "could not    no feed: none announced in the page head or linked, none at the common paths" in proc.stdout
        namespace: dict = {}
        exec(compile(module.read_text(), str(module), "exec"), namespace)  # noqa: S102
        spider = namespace["ProbedSpider"]
        assert spider.feed_urls == () and spider.sitemaps_from_robots is True
        assert crawled_articles(tmp_path, tmp_path / "archive") == {a.path.lstrip("/") for a in SMALL_SITE.articles}


@pytest.mark.slow
def test_with_neither_feed_nor_sitemap_genspider_follows_links_and_says_so(tmp_path):
    with BareDemoServer(sitemaps=False, site=SMALL_SITE) as server:
        proc, module = generate(tmp_path, server.url)
        assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
        assert "discovery    links" in proc.stdout
        assert ("note         no feed or sitemap found: the spider follows links from the front page "
                "(start_urls and follow_url_patterns)") in proc.stdout
        assert "could not    no sitemap: none in robots.txt, none at the common paths" in proc.stdout
        namespace: dict = {}
        exec(compile(module.read_text(), str(module), "exec"), namespace)  # noqa: S102
        spider = namespace["ProbedSpider"]
        assert (spider.feed_urls, spider.sitemap_urls, spider.sitemaps_from_robots) == ((), (), False)
        assert spider.start_urls == (server.url,) and spider.follow_url_patterns
        # Following links alone, sections and their pagination, it still reaches every article.
        assert crawled_articles(tmp_path, tmp_path / "archive") == {a.path.lstrip("/") for a in SMALL_SITE.articles}


def test_genspider_refuses_bad_names_taken_names_and_existing_files(tmp_path, capsys):
    from newsarchive.cli import main

    assert main(["genspider", "no-dashes", "http://127.0.0.1:9/"]) == 2
    assert main(["genspider", "site", "ftp://example.org/"]) == 2
    assert main(["genspider", "techcrunch", "http://127.0.0.1:9/", "--out", str(tmp_path)]) == 2
    assert "already" in capsys.readouterr().err
    (tmp_path / "mine.py").write_text("# hand-written\n")
    assert main(["genspider", "mine", "http://127.0.0.1:9/", "--out", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "mine.py").read_text() == "# hand-written\n"


@pytest.mark.slow
def test_genspider_on_an_unreachable_or_guarded_site_writes_nothing(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = run_cli("genspider", "down", f"http://127.0.0.1:{port}/", "--out", str(tmp_path), *LOOPBACK)
    assert down.returncode == 3 and "could not fetch" in down.stderr
    assert not (tmp_path / "down.py").exists()
    # The address guard applies as in any crawl: loopback is refused by default.
    guarded = run_cli("genspider", "guarded", f"http://127.0.0.1:{port}/", "--out", str(tmp_path))
    assert guarded.returncode == 3 and "address_refused" in guarded.stderr
