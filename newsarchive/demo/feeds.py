"""The demo site's machine-readable listings: RSS 2.0, Atom, sitemaps (plain and Google News), robots.txt.

Each lists every article, newest first, with absolute URLs on the server's own base URL.
"""
from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from newsarchive.demo import vocabulary as vocab

if TYPE_CHECKING:
    from newsarchive.demo.site import DemoSite

RSS_PATH = "/feed.xml"
ATOM_PATH = "/atom.xml"
SITEMAP_INDEX_PATH = "/sitemap.xml"
SITEMAP_PATH = "/sitemap-articles.xml"
NEWS_SITEMAP_PATH = "/sitemap-news.xml"
ROBOTS_PATH = "/robots.txt"

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _base(base_url: str) -> str:
    return base_url.rstrip("/")


def _newest(site: DemoSite) -> datetime:
    return site.section_articles(None)[0].published_datetime


def rss(site: DemoSite, base_url: str) -> str:
    """RSS 2.0 with pubDate (RFC 822) and dc:creator per item."""
    base = _base(base_url)
    items = []
    for a in site.section_articles(None):
        creators = "".join(f"<dc:creator>{escape(name)}</dc:creator>" for name in a.authors)
        items.append(
            f"<item><title>{escape(a.title)}</title><link>{base}{a.path}</link>"
            f'<guid isPermaLink="true">{base}{a.path}</guid>'
            f"<pubDate>{format_datetime(a.published_datetime)}</pubDate>{creators}"
            f"<category>{escape(site.sections[a.section])}</category>"
            f"<description>{escape(a.description)}</description></item>"
        )
    return (
        XML_DECLARATION
        + '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        f"<channel><title>{vocab.SITE_NAME}</title><link>{base}/</link>"
        f'<atom:link href="{base}{RSS_PATH}" rel="self" type="application/rss+xml"/>'
        f"<description>Latest stories from {vocab.SITE_NAME}</description><language>en</language>"
        f"<lastBuildDate>{format_datetime(_newest(site))}</lastBuildDate>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n"
    )


def atom(site: DemoSite, base_url: str) -> str:
    """Atom 1.0 with published and updated (RFC 3339) per entry."""
    base = _base(base_url)
    entries = []
    for a in site.section_articles(None):
        authors = "".join(f"<author><name>{escape(name)}</name></author>" for name in a.authors)
        updated = a.modified or a.published_datetime.isoformat()
        entries.append(
            f'<entry><title>{escape(a.title)}</title><link rel="alternate" href="{base}{a.path}"/>'
            f"<id>{base}{a.path}</id><published>{a.published_datetime.isoformat()}</published>"
            f"<updated>{updated}</updated>{authors}<summary>{escape(a.description)}</summary></entry>"
        )
    return (
        XML_DECLARATION
        + '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>{vocab.SITE_NAME}</title><id>{base}/</id>"
        f'<link rel="self" href="{base}{ATOM_PATH}"/><link rel="alternate" href="{base}/"/>'
        f"<updated>{_newest(site).isoformat()}</updated>\n"
        + "\n".join(entries)
        + "\n</feed>\n"
    )


def sitemap_index(site: DemoSite, base_url: str) -> str:
    """Points to the plain sitemap and the Google News sitemap."""
    base, newest = _base(base_url), _newest(site).isoformat()
    children = "".join(
        f"<sitemap><loc>{base}{path}</loc><lastmod>{newest}</lastmod></sitemap>"
        for path in (SITEMAP_PATH, NEWS_SITEMAP_PATH)
    )
    return XML_DECLARATION + f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>\n'


def sitemap(site: DemoSite, base_url: str) -> str:
    """Every front page and article, with lastmod."""
    base = _base(base_url)
    urls = [f"<url><loc>{base}{path}</loc><changefreq>hourly</changefreq></url>" for path in site.listing_paths()]
    for a in site.section_articles(None):
        lastmod = a.modified or a.published
        urls.append(f"<url><loc>{base}{a.path}</loc><lastmod>{lastmod}</lastmod></url>")
    return (
        XML_DECLARATION
        + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n"
    )


def news_sitemap(site: DemoSite, base_url: str) -> str:
    """A Google News sitemap: news:publication, news:publication_date and news:title per article."""
    base = _base(base_url)
    urls = []
    for a in site.section_articles(None):
        urls.append(
            f"<url><loc>{base}{a.path}</loc><news:news><news:publication><news:name>{vocab.SITE_NAME}</news:name>"
            f"<news:language>en</news:language></news:publication>"
            f"<news:publication_date>{a.published}</news:publication_date>"
            f"<news:title>{escape(a.title)}</news:title></news:news></url>"
        )
    return (
        XML_DECLARATION
        + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n"
    )


def robots_txt(site: DemoSite, base_url: str) -> str:
    return (
        "# Demo Tech News: crawl politely.\n"
        "User-agent: *\n"
        f"Disallow: {site.private_path}\n"
        "Disallow: /search\n"
        "\n"
        f"Sitemap: {_base(base_url)}{SITEMAP_INDEX_PATH}\n"
    )
