"""The incremental tests' fixture site: ChangingServer plus what a news crawl expects of a real site.

It adds a robots.txt that announces the sitemap, an optional delay on article pages (so a test can
kill a crawl mid-way), and article pages built from paragraphs, so a test edits text, not HTML.
All wording here is written for these tests.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from html import escape

from tests.sites.changing import ChangingHandler, ChangingServer, Version

STORIES = {
    "/news/harbour-tide-gauge-upgrade/": (
        "Harbour tide gauge gets a radar upgrade",
        [
            "The harbour authority replaced its float-driven tide gauge with a radar sensor on Tuesday.",
            "Engineers said the old float had jammed twice during the spring storms and needed a diver to free it.",
            "The new sensor reports the water level every ten seconds to a public dashboard.",
            "Fishing crews had asked for live readings for years, according to the harbour master's office.",
        ],
    ),
    "/news/library-lends-soldering-irons/": (
        "Town library starts lending soldering irons",
        [
            "Borrowers can now take home a soldering kit for two weeks with an ordinary library card.",
            "The kits include a temperature-controlled iron, a fume fan and a roll of lead-free solder.",
            "Volunteers from the repair cafe will run a beginners' session on the first Saturday of each month.",
        ],
    ),
    "/news/bus-depot-solar-canopy/": (
        "Bus depot to be roofed with a solar canopy",
        [
            "The regional transit company will cover its main bus depot with a canopy of solar panels.",
            "The canopy is expected to supply about a fifth of the power used to charge the electric fleet overnight.",
            "Construction is planned for the summer, when fewer buses are parked at the depot during the day.",
            "A council committee approved the building permit without objections.",
        ],
    ),
}


def article_html(title: str, paragraphs: list[str], *, published: str = "2024-03-01T09:00:00+00:00",
                 ad_slot: str = "slot-a") -> str:
    """An article page: JSON-LD, a byline, the paragraphs, and an ad slot outside the article text."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
          "datePublished": published, "author": {"@type": "Person", "name": "Ada Fixture"}}
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
        f'<header><a href="/">Home</a></header><div class="ad" data-slot="{ad_slot}"></div>'
        f'<article><h1>{escape(title)}</h1><p class="byline">By Ada Fixture</p>{body}</article>'
        "<footer>Fixture Gazette</footer></body></html>"
    )


class IncrementalHandler(ChangingHandler):
    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            base = self.app.url.rstrip("/")
            self.send_body(200, f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode(),
                           content_type="text/plain")
            return
        if self.app.article_delay and self.path.startswith("/news/"):
            time.sleep(self.app.article_delay)
        super().do_GET()


class IncrementalSite(ChangingServer):
    """ChangingServer serving STORIES (or `stories`), with robots.txt and an optional article delay."""

    handler_class = IncrementalHandler

    def __init__(self, stories: dict[str, tuple[str, list[str]]] | None = None, *, article_delay: float = 0.0):
        super().__init__()
        self.article_delay = article_delay
        self.stories = dict(stories or STORIES)
        self.edited_at: dict[str, datetime] = {}
        for path, (title, paragraphs) in self.stories.items():
            self.set_article(path, article_html(title, paragraphs))

    def edit(self, path: str, paragraphs: list[str], *, ad_slot: str = "slot-a") -> None:
        title = self.stories[path][0]
        self.stories[path] = (title, paragraphs)
        self.set_article(path, article_html(title, paragraphs, ad_slot=ad_slot))
        self.edited_at[path] = datetime.now(timezone.utc)

    def add(self, path: str, title: str, paragraphs: list[str]) -> None:
        self.stories[path] = (title, paragraphs)
        self.set_article(path, article_html(title, paragraphs))
        self.edited_at[path] = datetime.now(timezone.utc)

    def lastmod(self, path: str, version: Version) -> datetime:
        """Like a real CMS: an edited article's lastmod is the time of the edit."""
        return self.edited_at.get(path, version.last_modified)

    def article_url(self, path: str) -> str:
        return self.url.rstrip("/") + path
