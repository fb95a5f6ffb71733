"""The pure side of page requisites: finding them in HTML and CSS, the block list, scope and budgets."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from newsarchive.crawl.requisites import (
    Blocklist,
    Budget,
    Requisite,
    css_requisites,
    page_requisites,
    parse_blocklist,
    refusal,
    srcset_urls,
    strip_css_comments,
)

PAGE_URL = "https://news.example.org/2026/01/02/story/"
PAGE = """<html><head><base href="https://news.example.org/section/">
<link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="apple-touch-icon" href="/touch.png"><link rel="preload" as="font" href="/f.woff2" crossorigin>
<meta property="og:image" content="https://cdn.example.net/og.jpg"><meta name="twitter:image" content="/tw.jpg">
<style>.hero{background:url(hero.jpg)}</style><script src="https://www.googletagmanager.com/gtm.js"></script>
</head><body><picture><source srcset="https://cdn.example.net/a-800.webp 800w, https://cdn.example.net/a-1600.webp 1600w">
<img src="a.jpg" srcset="a-480.jpg 480w" data-src="lazy.jpg"></picture><img src="data:image/gif;base64,R0lG">
<div style="background-image: url('/bg.png')"></div><video poster="poster.jpg"></video><a href="/next/">next</a>
<iframe src="https://video.example.com/embed/1"></iframe><img src="javascript:alert(1)"><img src="#top"></body></html>"""


def test_page_requisites_in_the_order_a_page_needs_them():
    found = page_requisites(Selector(text=PAGE), PAGE_URL)
    assert [r.url for r in found] == [
        "https://news.example.org/s.css",
        "https://news.example.org/section/hero.jpg",  # <style> resolves against <base>
        "https://news.example.org/touch.png",
        "https://news.example.org/bg.png",
        "https://cdn.example.net/a-800.webp",
        "https://cdn.example.net/a-1600.webp",
        "https://news.example.org/section/a.jpg",
        "https://news.example.org/section/lazy.jpg",
        "https://news.example.org/section/a-480.jpg",
        "https://news.example.org/section/poster.jpg",
        "https://cdn.example.net/og.jpg",
        "https://news.example.org/tw.jpg",
        "https://news.example.org/f.woff2",
        "https://www.googletagmanager.com/gtm.js",
    ]
    kinds = {r.url.rsplit("/", 1)[1]: r.kind for r in found}
    assert kinds["s.css"] == "stylesheet" and kinds["touch.png"] == "icon" and kinds["f.woff2"] == "font"
    assert kinds["gtm.js"] == "script" and kinds["a.jpg"] == "image"


def test_a_page_without_an_icon_gets_the_favicon_browsers_ask_for():
    found = page_requisites(Selector(text="<html><body><p>text</p><img src='/a/'></body></html>"), "http://h.example/a/")
    assert found == [Requisite("http://h.example/favicon.ico", "icon")]  # and not the page itself


def test_srcset_urls_follow_the_html_parsing_rules():
    assert srcset_urls("a.jpg 1x, b.jpg 2x") == ["a.jpg", "b.jpg"]
    assert srcset_urls("https://img.example/w_480,c_fill/x.jpg 480w, y.jpg") == ["https://img.example/w_480,c_fill/x.jpg", "y.jpg"]
    assert srcset_urls("a.jpg, b.jpg,, c.jpg") == ["a.jpg", "b.jpg", "c.jpg"]
    assert srcset_urls("a.jpg (max-width: 3px, 4px) 1x, b.jpg") == ["a.jpg", "b.jpg"]
    assert srcset_urls("") == [] and srcset_urls(None) == []


def test_css_requisites_resolve_against_the_stylesheet_and_name_fonts():
    css = """@import "print.css"; @import url('theme.css');
    /* url(commented-out.png) */
    @font-face { font-family: "Body"; src: url(../fonts/body) format("woff2"), url("/fonts/body.ttf"); }
    .a { background: url( 'img/a.png' ) } .b { background: url(data:image/png;base64,AAA) }"""
    found = css_requisites(css, "https://h.example/static/css/site.css")
    assert found == [
        Requisite("https://h.example/static/css/print.css", "stylesheet"),
        Requisite("https://h.example/static/css/theme.css", "stylesheet"),
        Requisite("https://h.example/static/fonts/body", "font"),  # no extension: inside @font-face
        Requisite("https://h.example/fonts/body.ttf", "font"),
        Requisite("https://h.example/static/css/img/a.png", "image"),
    ]


def test_an_unclosed_comment_hides_the_rest_in_linear_time():
    assert strip_css_comments("a{} /* b{background:url(x.png)}") == "a{} "
    assert css_requisites("/*" * 200_000, "http://h.example/") == []


def test_blocklist_forms_and_subdomains():
    lines = ["# comment", "! adblock comment", "ads.example.com", "0.0.0.0 hosts.example", "127.0.0.1 other.example",
             "||abp.example^", "||abp-opt.example^$third-party", "||abp.example/path", "@@||allowed.example^",
             "localhost", "not a host!"]
    assert list(parse_blocklist(lines)) == ["ads.example.com", "hosts.example", "other.example", "abp.example",
                                            "abp-opt.example"]
    blocklist = Blocklist(parse_blocklist(lines))
    assert "x.ads.example.com" in blocklist and "ADS.example.com." in blocklist
    assert "example.com" not in blocklist and "notads.example.com" not in blocklist


def test_the_bundled_list_blocks_well_known_trackers_and_not_news_sites():
    bundled = Blocklist.bundled()
    for host in ("www.google-analytics.com", "securepubads.g.doubleclick.net", "connect.facebook.net", "sb.scorecardresearch.com"):
        assert host in bundled
    for host in ("cdn.arstechnica.net", "images.example.org", "fonts.gstatic.com", "i0.wp.com"):
        assert host not in bundled


def test_scope_own_site_cdns_scripts_and_blocked_hosts():
    blocklist = Blocklist(["tracker.example"])
    page = "https://www.news.example/2026/story/"

    def reason(url, kind="image", scripts=False, other_hosts=True):
        return refusal(Requisite(url, kind), page, blocklist=blocklist, scripts=scripts, other_hosts=other_hosts)

    assert reason("https://img.news.example/a.jpg") is None
    assert reason("https://cdn.example.net/a.jpg") is None
    assert reason("https://cdn.example.net/a.jpg", other_hosts=False) == "other_host"
    assert reason("https://img.news.example/a.jpg", other_hosts=False) is None
    assert reason("https://px.tracker.example/p.gif") == "blocked"
    assert reason("https://news.example/app.js", kind="script") == "script"
    assert reason("https://news.example/app.js", kind="script", scripts=True) is None
    assert reason("https://px.tracker.example/t.js", kind="script", scripts=True) == "blocked"


def test_budget_counts_and_bytes():
    budget = Budget("article", max_count=2, max_bytes=100)
    assert budget.exhausted() is None and budget.bytes_left() == 100
    budget.count, budget.bytes = 2, 10
    assert budget.exhausted() == "budget_article_count"
    budget.count, budget.bytes = 1, 100
    assert budget.exhausted() == "budget_article_bytes" and budget.bytes_left() == 0
    assert Budget("crawl", 0, 0, count=10**9, bytes=10**12).exhausted() is None  # 0: no limit


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_hostile_markup_never_raises(text):
    for requisite in page_requisites(Selector(text=f"<html><body>{text}<img srcset='{text}'><style>{text}</style></body></html>"),
                                     "http://h.example/"):
        assert requisite.url.startswith(("http://", "https://"))
    css_requisites(text, "http://h.example/")
    srcset_urls(text)
    list(parse_blocklist(text.splitlines()))
