"""Hard cases for the page classifier: pages that look like what they are not, in three page skins.

Listings with long text (a tag page with a topic essay, an author page with a biography, a section front
whose lead teaser runs to a paragraph, search results, a podcast show, a newsletter archive), other pages
with running text or many links (team bios, a corrections policy, cookie settings, pricing, a 404 page with
"popular stories", an events table, a photo gallery), and articles that look like something else (a
90-word short, a Q&A of short paragraphs, a live blog with a dozen timestamps, a column with no metadata
and a big "related" grid, a photo essay told in captions, a German story, a headline that starts "About").
`hard_pages()` labels each "article", "listing" or "other"; tools/classify_eval.py and tests use them.
One page is labelled on purpose where the classifier is known to fail (a privacy page named "How we use
your data" at /p/data): the evaluation reports it rather than hide it.
"""
from __future__ import annotations

import json
import random
from html import escape

from tests.sites.realshaped import _PEOPLE, _prose, _story

HOST = "http://127.0.0.1:8000"
NAME = "Elmstead Post"


def _skin(skin: int, title: str, main: str, head: str = "") -> bytes:
    nav = "".join(f'<a href="/{s}">{s.title()}</a> ' for s in ("news", "business", "culture", "sport"))
    if skin == 0:  # semantic HTML5
        page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {NAME}</title>'
                f'{head}</head><body><header class="site-header"><a href="/">{NAME}</a><nav>{nav}</nav></header>'
                f'<main id="content">{main}</main><footer><a href="/about">About</a> <a href="/privacy">Privacy</a>'
                f"</footer></body></html>")
    elif skin == 1:  # div soup
        page = (f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)} - {NAME}</title>{head}'
                f'</head><body><div id="app"><div class="c-top"><div class="c-brand"><a href="/">{NAME}</a></div>'
                f'<div class="c-menu">{nav}</div></div><div class="c-wrap"><div class="c-content">{main}</div></div>'
                f'<div class="c-bottom"><a href="/about">About</a> <a href="/privacy">Privacy</a></div></div>'
                f"</body></html>")
    else:  # tables
        page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                f"<title>{NAME} - {escape(title)}</title>{head}</head><body><table width=800><tr><td>"
                f'<a href="/">{NAME}</a> | {nav}</td></tr><tr><td>{main}</td></tr><tr><td><a href="/about">About</a>'
                f"</td></tr></table></body></html>")
    return page.encode("utf-8")


def _teasers(rng: random.Random, n: int, *, summary_words: int = 24, dated: bool = True) -> str:
    items = []
    for k in range(n):
        title, body = _story(rng, 1)
        summary = " ".join(body[0].split()[:summary_words])
        date = f'<time datetime="2025-03-{10 + k % 18:02d}">March {10 + k % 18}, 2025</time>' if dated else ""
        items.append(f'<div class="teaser"><h3><a href="/news/{4000 + k}">{escape(title)}</a></h3>{date}'
                     f"<p>{escape(summary)}</p></div>")
    return "".join(items)


def _article_body(rng: random.Random, paragraphs: int) -> tuple[str, str]:
    title, body = _story(rng, paragraphs)
    return title, "".join(f"<p>{escape(p)}</p>" for p in body)


def hard_pages() -> list[tuple[str, str, bytes, str]]:
    """(name, url, body, kind) for every hard page."""
    rng = random.Random("hard pages")
    pages: list[tuple[str, str, bytes, str]] = []

    def add(name: str, path: str, kind: str, title: str, main: str, head: str = "") -> None:
        pages.append((name, HOST + path, _skin(len(pages) % 3, title, main, head), kind))

    essay = " ".join(_prose(rng, "Elmstead", 3, "energy"))
    # ---- listings with long text
    add("tag page with a topic essay", "/topics/energy-prices", "listing", "Energy prices",
        f"<h1>Energy prices</h1><p>{escape(essay)}</p>{_teasers(rng, 8)}")
    bio = " ".join(_prose(rng, "Elmstead", 2, "our reporters"))
    add("author page with a biography", "/people/ruth-adeyemi", "listing", "Ruth Adeyemi",
        f"<h1>Ruth Adeyemi</h1><p>Senior reporter. {escape(bio)}</p><h2>Latest from Ruth</h2>{_teasers(rng, 6)}")
    lead_title, lead = _story(rng, 2)
    add("section front with a long lead teaser", "/business", "listing", "Business",
        f'<div class="lead"><h2><a href="/news/99">{escape(lead_title)}</a></h2><p>{escape(lead[0])}</p>'
        f"<p>{escape(lead[1])}</p></div>{_teasers(rng, 10, dated=False)}")
    add("search results", "/search?q=ferry", "listing", "Search results for ferry",
        f"<h1>12 results for “ferry”</h1>{_teasers(rng, 10, summary_words=35)}")
    add("archive by month", "/2025/03/", "listing", "March 2025",
        "<h1>Archive: March 2025</h1><ul>" + "".join(
            f'<li><a href="/2025/03/{d:02d}/story-{d}">{escape(_story(rng, 1)[0])}</a> ({d} March)</li>'
            for d in range(1, 25)) + "</ul>")
    add("podcast show", "/podcasts/harbour-hour", "listing", "The Harbour Hour",
        "<h1>The Harbour Hour</h1><p>A weekly podcast about the town.</p>" + "".join(
            f'<div class="episode"><h3><a href="/podcasts/harbour-hour/{n}">Episode {n}: '
            f"{escape(_story(rng, 1)[0])}</a></h3><p>{escape(' '.join(_story(rng, 1)[1][0].split()[:30]))}</p>"
            f"<audio src=\"/a/{n}.mp3\"></audio></div>" for n in range(30, 22, -1)))
    add("newsletter archive", "/newsletters/morning-brief", "listing", "Morning Brief archive",
        "<h1>Morning Brief: past issues</h1><ul>" + "".join(
            f'<li><a href="/newsletters/morning-brief/2025-03-{d:02d}">Morning Brief, {d} March 2025: '
            f"{escape(_story(rng, 1)[0])}</a></li>" for d in range(1, 15)) + "</ul>")
    items = [{"@type": "ListItem", "position": n, "url": f"{HOST}/v/{n}"} for n in range(1, 9)]
    add("video hub", "/video", "listing", "Video",
        '<h1>Video</h1><div class="grid">' + "".join(
            f'<a class="card" href="/v/{n}"><img src="/v/{n}.jpg" alt=""><h4>{escape(_story(rng, 1)[0])}</h4></a>'
            for n in range(1, 9)) + "</div>",
        f'<script type="application/ld+json">{json.dumps({"@type": "ItemList", "itemListElement": items})}</script>')
    add("html sitemap", "/site-index", "listing", "Site index",
        "<h1>All sections</h1>" + "".join(f'<h2><a href="/{s}">{s.title()}</a></h2><ul>'
                                           + "".join(f'<li><a href="/{s}/{t}">{t.title()}</a></li>'
                                                     for t in ("local", "region", "opinion", "letters")) + "</ul>"
                                           for s in ("news", "business", "culture", "sport")))

    # ---- other pages
    team = "".join(f"<h3>{p}</h3><p>{escape(' '.join(_prose(rng, 'Elmstead', 1, 'the newsroom')[0].split()[:40]))}</p>"
                   for p in _PEOPLE[:6])
    add("about page with team bios", "/about", "other", "About us", f"<h1>About the Post</h1>{team}")
    corrections = " ".join(_prose(rng, "Elmstead", 4, "how we correct mistakes"))
    add("corrections policy", "/corrections-policy", "other", "Corrections policy",
        f"<h1>Corrections policy</h1><p>{escape(corrections)}</p>")
    add("cookie settings", "/cookie-settings", "other", "Cookie settings",
        "<h1>Cookie settings</h1>" + "".join(
            f'<div class="toggle"><h3>{k}</h3><p>These cookies are used for {k.lower()} purposes and can be switched '
            f'off at any time.</p><input type="checkbox"></div>' for k in ("Necessary", "Analytics", "Advertising")))
    add("subscribe with pricing", "/subscribe", "other", "Subscribe",
        "<h1>Subscribe to the Post</h1>" + "".join(
            f'<div class="plan"><h2>{p}</h2><p>{price} a month. Unlimited access to every story, the app and the '
            f"e-paper, cancel any time.</p><a href=\"/checkout/{p.lower()}\">Choose {p}</a></div>"
            for p, price in (("Digital", "€9"), ("Print", "€19"), ("Family", "€24"))))
    popular = "".join(f'<li><a href="/news/{n}">{escape(_story(rng, 1)[0])}</a></li>' for n in range(5))
    add("404 with popular stories", "/news/no-such-story-here", "other", "Page not found",
        f"<h1>Sorry, we could not find that page</h1><p>Try the search, or read one of these:</p><ul>{popular}</ul>")
    add("events table", "/whats-on", "other", "What's on",
        "<h1>What's on this week</h1><table>" + "".join(
            f"<tr><td>{d} March</td><td>{e}</td><td>Town hall</td></tr>"
            for d, e in zip(range(14, 21), ("Quiz night", "Choir", "Market", "Film club", "Jazz", "Craft fair",
                                           "Lecture"))) + "</table>")
    add("photo gallery", "/gallery/spring-market", "other", "Spring market in pictures",
        "<h1>Spring market in pictures</h1>" + "".join(
            f'<figure><img src="/g/{n}.jpg" alt=""><figcaption>Stall {n}</figcaption></figure>' for n in range(12)))
    add("login", "/account/login", "other", "Sign in",
        '<h1>Sign in</h1><form><input name="email"><input type="password" name="pw"></form>')
    terms = " ".join(_prose(rng, "Elmstead", 5, "the terms of service"))
    add("terms at an unknown path", "/legal-info/7", "other", "Terms of Service",
        f"<h1>Terms of Service</h1><p>{escape(terms)}</p>")
    guidelines = " ".join(_prose(rng, "Elmstead", 3, "the rules for comments"))
    add("community guidelines", "/community-guidelines", "other", "Community guidelines",
        f"<h1>Community guidelines</h1><p>{escape(guidelines)}</p>")
    data = " ".join(_prose(rng, "Elmstead", 5, "how we use your data"))
    add("privacy page named only by its prose (known miss)", "/p/data", "other", "How we use your data",
        f"<h1>How we use your data</h1><p>{escape(data)}</p>")

    # ---- articles that look like something else
    title, body = _article_body(rng, 1)
    add("90-word short with metadata", "/news/40211", "article", title, f"<article><h1>{escape(title)}</h1>{body}</article>",
        '<meta property="og:type" content="article"><meta property="article:published_time" content="2025-03-14">')
    qa = "".join(f"<p><b>{'Q' if n % 2 == 0 else 'A'}:</b> {escape(s)}</p>" for n, s in
                 enumerate(s for p in _story(rng, 6)[1] for s in p.split(". ")))
    add("Q&A interview", "/interviews/harbour-master", "article", "Interview: the harbour master",
        f"<h1>Interview: the harbour master</h1><p class=\"byline\">By {_PEOPLE[2]}</p>{qa}")
    posts = "".join(f'<div class="post"><time datetime="2025-03-14T{9 + n}:00">{9 + n}:00</time><p>'
                    f"{escape(p)}</p></div>" for n, p in enumerate(_story(rng, 12)[1]))
    add("live blog", "/live/storm-updates", "article", "Storm: live updates",
        f"<h1>Storm: live updates</h1>{posts}",
        '<script type="application/ld+json">{"@type": "LiveBlogPosting", "headline": "Storm: live updates"}</script>')
    title, body = _article_body(rng, 6)
    add("column with a related grid, no metadata", "/opinion/why-we-should-build-the-bridge", "article", title,
        f"<h1>{escape(title)}</h1><p>By {_PEOPLE[4]}</p>{body}<h2>More opinion</h2>{_teasers(rng, 12)}")
    captions = "".join(f'<figure><img src="/e/{n}.jpg" alt=""><figcaption>{escape(p)}</figcaption></figure>'
                       for n, p in enumerate(_story(rng, 6)[1]))
    add("photo essay in captions", "/photo-essays/the-last-ferry", "article", "The last ferry",
        f"<h1>The last ferry</h1>{captions}",
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "The last ferry", '
        '"datePublished": "2025-03-14"}</script>')
    title, body = _article_body(rng, 4)
    add("press release with a date line", "/news/press/company-results", "article", title,
        f"<h1>{escape(title)}</h1><p>Elmstead, 14.03.2025</p>{body}")
    german = ("<p>Der Gemeinderat hat am Dienstag den Haushalt für die neue Fußgängerbrücke beschlossen. Die Kosten "
              "liegen deutlich über der ersten Schätzung, sagte die Bürgermeisterin nach der Sitzung.</p>") * 4
    add("German story", "/lokales/bruecke-beschlossen", "article", "Brücke beschlossen",
        f"<h1>Brücke beschlossen</h1><p>Von Ines Walde</p><p>14.03.2025</p>{german}")
    title, body = _article_body(rng, 5)
    add("headline that starts with About", "/news/about-the-new-bridge", "article",
        "About the new bridge: what we know", f"<h1>About the new bridge: what we know</h1><p>By {_PEOPLE[1]}</p>{body}")
    return pages
