"""BylineSite: a loopback news site whose second layout loses its bylines, for drift tests.

    with BylineSite(articles=6) as site:
        ... crawl site.url ...           # layout 1: JSON-LD author and a visible byline
        site.next_edition()
        ... crawl again ...              # layout 2: the next edition's stories, no author anywhere

Every word here is written for the tests.
"""
from __future__ import annotations

import json
from html import escape

from newsarchive.demo.loopback import LoopbackServer, QuietHandler

AUTHORS = ("Noor Haddad", "Felix Amundsen", "Carmen Iturbe", "Tariq Bello", "Ilse Vermeulen", "Rowan Achterberg")
SENTENCES = (
    "The council approved a pilot that lets residents report broken streetlights from a phone.",
    "Engineers tested the new sensors on a quiet street for six weeks before the vote.",
    "Each report lands on a shared map, and crews close it once the lamp is repaired.",
    "Officials expect the system to cut the average repair time by about half.",
    "Some residents asked whether the data would be kept private, and the city promised a review.",
    "A second phase could add potholes and damaged signs if the pilot goes well.",
    "The vendor will train staff in the spring and publish the source code of the app.",
    "Neighborhood groups plan to hold workshops for people who do not own a smartphone.",
)


def story_text(number: int) -> list[str]:
    """Five paragraphs of four sentences, rotated so every story reads a little differently."""
    return [" ".join(SENTENCES[(number + p + k) % len(SENTENCES)] for k in range(4)) for p in range(5)]


class BylineHandler(QuietHandler):
    server_version = "newsarchive-byline-site/1"

    def do_GET(self) -> None:
        site: BylineSite = self.app
        path = self.path.split("?", 1)[0]
        if path == "/":
            self.send_body(200, site.front_page())
        elif path.startswith("/news/") and (number := site.story_number(path)) is not None:
            self.send_body(200, site.article(number))
        else:
            self.send_body(404, b"<html><body><p>Not found</p></body></html>")


class BylineSite(LoopbackServer):
    handler_class = BylineHandler

    def __init__(self, articles: int = 6, host: str = "127.0.0.1", port: int = 0, name: str = "Civic Wire"):
        super().__init__(host, port)
        self.articles = articles
        self.name = name  # two sites with different names serve different bytes (no cross-site revisits)
        self.layout = 1

    def next_edition(self) -> None:
        """Switch to layout 2 with new stories, as a recurring crawl finds them (known ones are not re-fetched)."""
        self.layout = 2

    def numbers(self) -> range:
        first = 0 if self.layout == 1 else self.articles
        return range(first, first + self.articles)

    def path(self, number: int) -> str:
        return f"/news/city-streetlight-pilot-part-{number}/"

    def story_number(self, path: str) -> int | None:
        for number in self.numbers():
            if path == self.path(number):
                return number
        return None

    def front_page(self) -> bytes:
        links = "".join(f'<li><a href="{self.path(n)}">Streetlight pilot, part {n}</a></li>' for n in self.numbers())
        return f"<!DOCTYPE html><html><head><title>{escape(self.name)}</title></head><body><ul>{links}</ul></body></html>".encode()

    def article(self, number: int) -> bytes:
        title = f"Streetlight pilot, part {number}: residents map broken lamps"
        author = AUTHORS[number % len(AUTHORS)]
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                "datePublished": f"2026-03-{number + 1:02d}T08:00:00+01:00"}
        byline = ""
        if self.layout == 1:
            data["author"] = {"@type": "Person", "name": author}
            byline = f'<p class="byline">By <a rel="author" href="/people/{number}/">{escape(author)}</a></p>'
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story_text(number))
        return (
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)} | {escape(self.name)}</title>"
            f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
            f"<body><article><h1>{escape(title)}</h1>{byline}"
            f'<time datetime="2026-03-{number + 1:02d}T08:00:00+01:00">March {number + 1}, 2026</time>'
            f'<div class="story-body">{paragraphs}</div></article>'
            f"<footer><p>© 2026 {escape(self.name)} Cooperative. All rights reserved.</p></footer></body></html>"
        ).encode()
