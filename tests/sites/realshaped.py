"""Real-shaped news sites on loopback: four sites the generic `news` spider has never seen, one port each.

Each site is built the way a kind of real site is (our own pages, our own prose, no copied markup):

- `gazette`  a WordPress-like blog: dated slugs, a `?p=` shortlink, category/tag/author archives of
             <article> teasers, Yoast-like JSON-LD (@graph with WebPage + Article, CollectionPage).
- `courier`  a 2000s table layout, windows-1252 (labelled right): `.htm` article paths such as
             /magazine/content/25_11/b4410021.htm, text in <font> with <br><br> for paragraphs, no meta.
- `wire`     a portal with numeric ids (/id/44613978, /article.php?id=5512, /story?sid=907), its RSS feed
             linked only by a plain <a> in the footer, a /privacy-policy-and-cookie-notice page, and UTF-8
             pages served with a wrong `charset=windows-1251` header.
- `ledger`   a JavaScript-era site: div soup, cards whose <a> wraps the heading, JSON-LD NewsArticle,
             no dates in article paths (one article sits at /harbour-cleanup, the shape of a section),
             a news brief too short to look like an article that only its feed vouches for, and a
             UTF-8 page labelled iso-8859-1.

Every site has a front page, section and pagination pages, tag and author pages, about/contact/privacy/
terms pages, links to strangers' hosts (never fetched: other domains), and an article that is reached
twice (a tracking query on one link: the same bytes). `Site.pages` labels every page "article",
"listing", "other" or "feed"; `Site.articles` are the paths a crawl from the front page must export,
each once. The same pages feed the classifier evaluation (tools/classify_eval.py).

    with RealShapedSites() as sites:
        for site in sites: crawl site.url
"""
from __future__ import annotations

import json
import random
import threading
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from urllib.parse import urlsplit

from newsarchive.demo.loopback import LoopbackServer, QuietHandler

# ------------------------------------------------------------------ prose

_PLACES = ("the harbour", "the old quay", "Skarvik", "the river valley", "Northgate", "the ring road", "Lindholm",
           "the market square", "the university quarter", "Elmstead")
_SUBJECTS = ("ferry fares", "the tram depot", "a new footbridge", "the fish market", "school meals", "flood barriers",
             "the night buses", "a wind farm", "the public library", "street lighting", "the cycle lanes",
             "the lighthouse", "a rooftop garden", "the bus station", "recycling rules", "the swimming pool")
_PEOPLE = ("Mara Lind", "Jon Berg", "Aino Koskela", "Tomas Ferreira", "Ruth Adeyemi", "Pavel Hruby", "Ines Walde",
           "Oskar Nyberg")
_ROLES = ("the deputy mayor", "a harbour official", "the council's transport chief", "a local shopkeeper",
          "the project engineer", "a resident of thirty years", "the union representative", "a city planner")
_SENTENCES = (
    "{Subject} in {place} will cost more than planned, according to figures published on {day}.",
    "{person}, {role}, said the decision had been taken after months of consultation.",
    "Residents have been asked to comment on the plans before the end of the month.",
    "The council expects the first phase to be finished by the autumn, weather permitting.",
    "Critics say the budget leaves too little for maintenance once the work is done.",
    "A public meeting on {subject} drew more than {number} people to the town hall.",
    "Officials admitted that an earlier estimate had left out the cost of temporary works.",
    "Local businesses fear months of disruption while the road is closed to through traffic.",
    "The scheme is partly paid for by a regional grant that must be spent within two years.",
    "{Person} said the town could not afford to wait for another study before acting.",
    "Engineers found that parts of the old structure were in worse shape than expected.",
    "Survey results showed that most people who answered wanted the work done quickly.",
    "The opposition group on the council called for an independent review of the contract.",
    "Similar projects in neighbouring towns ran over budget by a third on average.",
    "A spokesperson for the contractor declined to comment on the revised timetable.",
    "Bus routes through {place} will change for the duration of the works.",
    "The harbour board will decide on the second phase at its meeting in {month}.",
    "Volunteers have offered to help with the planting once the construction crews leave.",
    "Several councillors said they had received complaints about noise late at night.",
    "The figures will be checked again by the auditor before the final vote in {month}.",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "September", "October", "November")
_BLURB = ("Independent local news since 1998, written and edited in {town}. We cover the council, the harbour, "
          "schools, business and culture, and we publish corrections when we get something wrong.")


def _story(rng: random.Random, paragraphs: int) -> tuple[str, list[str]]:
    subject, place, person = rng.choice(_SUBJECTS), rng.choice(_PLACES), rng.choice(_PEOPLE)
    context = {"subject": subject, "Subject": subject[0].upper() + subject[1:], "place": place,
               "person": person, "Person": person, "role": rng.choice(_ROLES), "number": str(rng.randint(40, 400)),
               "month": rng.choice(_MONTHS), "day": rng.choice(("Monday", "Tuesday", "Thursday", "Friday"))}
    title = rng.choice((
        "{Subject} in {place}: council signs off on a revised plan",
        "Why {subject} in {place} is running late",
        "Questions over the cost of {subject}",
        "{Person} defends the new timetable for {subject}",
        "What the vote on {subject} means for {place}",
        "Residents split over plans for {subject}",
    )).format(**context)
    deck = list(_SENTENCES)
    rng.shuffle(deck)
    body = []
    for n in range(paragraphs):
        take = [deck[(n * 3 + k) % len(deck)] for k in range(rng.randint(2, 3))]
        body.append(" ".join(s.format(**context) for s in take))
    return title, body


def _prose(rng: random.Random, town: str, paragraphs: int, topic: str) -> list[str]:
    """Company-page prose (about, privacy, terms): long, undated, unsigned."""
    lines = [
        f"This page explains {topic} for readers of our website and newsletters.",
        "We keep this information up to date and note the date of every substantial change at the end of the page.",
        "If anything here is unclear, write to the editor at the address on our contact page and we will answer within ten working days.",
        "We do not sell personal data, and we keep the data we need for as short a time as the law allows.",
        "Analytics on this site are counted without cookies, and advertising partners receive no reader profiles.",
        "Our journalists follow the code of practice of the national press council and sign every report they write.",
        "Readers can ask for a copy of the data we hold about them, and for its correction or deletion, at any time.",
        "Comments are moderated by the web desk before they appear, and are removed when they break the house rules.",
        f"The publisher of this website is {town} News Ltd, registered in the county, with its office by the harbour.",
        "Material on this site may be quoted briefly with a link to the original; reproduction in full needs permission.",
        "Servers are located in the European Union and operated by a hosting company bound by a data processing agreement.",
        "Subscribers can cancel at any time from their account page; the subscription then runs to the end of the month paid for.",
    ]
    rng.shuffle(lines)
    return [" ".join(lines[(n * 2 + k) % len(lines)] for k in range(3)) for n in range(paragraphs)]


# ------------------------------------------------------------------ pages and sites


@dataclass
class Page:
    kind: str  # "article", "listing", "other" or "feed"
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    title: str = ""


@dataclass
class Site:
    name: str
    host_url: str  # http://127.0.0.1:PORT (no trailing slash)
    pages: dict[str, Page] = field(default_factory=dict)  # path with query -> page
    #: article paths a crawl from the front page must export, each exactly once
    articles: set[str] = field(default_factory=set)
    #: article paths served with a charset header that names the wrong charset
    wrong_charset: set[str] = field(default_factory=set)
    #: second URLs of an article (a tracking query): the same bytes, never a second record
    aliases: dict[str, str] = field(default_factory=dict)
    #: an article whose canonical URL is on another host (SYNDICATED_FROM)
    syndicated: str | None = None

    @property
    def url(self) -> str:
        return self.host_url + "/"

    def add(self, path: str, page: Page) -> None:
        self.pages[path] = page
        if page.kind == "article":
            self.articles.add(path)

    def pages_of(self, kind: str) -> list[str]:
        return sorted(path for path, page in self.pages.items() if page.kind == kind)


STRANGERS = ('<a href="https://social.example/share?u=1">Share</a> <a href="http://other-news.example/">Other News</a>'
             ' <a href="https://ads.example/click?id=9">Sponsored</a>')
BASE_DAY = datetime(2025, 3, 14, 9, 30, tzinfo=timezone.utc)
SYNDICATED_FROM = "https://wire-service.example"  # never fetched: another host


@dataclass
class _Story:
    path: str
    title: str
    paragraphs: list[str]
    author: str
    when: datetime
    section: str
    summary: str = ""


def _stories(rng: random.Random, paths: list[tuple[str, str]], *, paragraphs=(5, 9)) -> list[_Story]:
    stories = []
    for n, (path, section) in enumerate(paths):
        title, body = _story(rng, rng.randint(*paragraphs))
        while any(s.title == title for s in stories):
            title, body = _story(rng, rng.randint(*paragraphs))
        stories.append(_Story(path, title, body, rng.choice(_PEOPLE), BASE_DAY - timedelta(hours=7 * n + rng.randint(0, 5)),
                              section, " ".join(body[0].split()[:28]) + " …"))
    return stories


def _rss(site_url: str, title: str, stories: list[_Story]) -> bytes:
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{site_url}{escape(s.path)}</link>"
        f"<guid>{site_url}{escape(s.path)}</guid><pubDate>{format_datetime(s.when)}</pubDate>"
        f"<description>{escape(s.summary)}</description></item>"
        for s in stories)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>{site_url}/</link><description>Latest news</description>{items}</channel></rss>\n").encode("utf-8")


# ------------------------------------------------------------------ gazette: a WordPress-like blog


def _gazette(host: str) -> Site:
    rng = random.Random("gazette")
    site = Site("gazette", host)
    name = "Harbour Gazette"
    stories = _stories(rng, [
        ("/2025/03/14/ferry-fares-rise-again/", "city"), ("/2025/03/13/quay-lights/", "city"),
        ("/?p=4821", "business"), ("/news/tram-depot-reopens/", "city"), ("/2025/03/11/fish-market-vote/", "business"),
        ("/2025/03/10/library-hours/", "culture"),
    ])
    nav = ('<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">'
           '<li><a href="/">Home</a></li><li><a href="/category/city/">City</a></li>'
           '<li><a href="/category/business/">Business</a></li><li><a href="/category/culture/">Culture</a></li>'
           '<li><a href="/about/">About</a></li></ul></nav>')
    sidebar = ('<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
               '<h2 class="widget-title">Recent Posts</h2><ul>'
               + "".join(f'<li><a href="{s.path}">{escape(s.title)}</a></li>' for s in stories[:5])
               + '</ul></section><section class="widget widget_text"><h2 class="widget-title">Follow us</h2>'
               f'<div class="textwidget"><p>{STRANGERS}</p></div></section></aside>')
    footer = ('<footer id="colophon" class="site-footer"><div class="site-info">'
              '<a href="/contact/">Contact</a> | <a href="/privacy-policy/">Privacy Policy</a> | '
              '<a href="/terms-of-use/">Terms of use</a> | <a href="/author/mara-lind/">Mara Lind</a></div>'
              f'<p>&copy; 2025 {name}</p></footer>')

    def page(title: str, main: str, *, og_type: str, graph: list[dict], body_class: str) -> bytes:
        ld = json.dumps({"@context": "https://schema.org", "@graph": graph})
        return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="UTF-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{escape(title)} &#8211; {name}</title>"
                f'<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Feed" href="{host}/feed/">'
                f'<meta property="og:type" content="{og_type}"><meta property="og:title" content="{escape(title)}">'
                f'<meta property="og:site_name" content="{name}">'
                f'<script type="application/ld+json" class="yoast-schema-graph">{ld}</script></head>'
                f'<body class="{body_class}"><div id="page" class="site"><a class="skip-link screen-reader-text" '
                f'href="#content">Skip to content</a><header id="masthead" class="site-header"><div class="site-branding">'
                f'<p class="site-title"><a href="/" rel="home">{name}</a></p></div>{nav}</header>'
                f'<div id="content" class="site-content"><main id="main" class="site-main">{main}</main>'
                f"{sidebar}</div>{footer}</div></body></html>").encode("utf-8")

    webpage = {"@type": "WebPage", "@id": host + "/#webpage", "name": name}
    for n, story in enumerate(stories):
        related = stories[(n + 1) % len(stories)]
        body = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
        main = (f'<article id="post-{4800 + n}" class="post-{4800 + n} post type-post status-publish">'
                f'<header class="entry-header"><h1 class="entry-title">{escape(story.title)}</h1>'
                f'<div class="entry-meta"><span class="posted-on"><a href="{story.path}" rel="bookmark">'
                f'<time class="entry-date published" datetime="{story.when.isoformat()}">{story.when:%B %d, %Y}</time>'
                f'</a></span><span class="byline"> by <span class="author vcard"><a class="url fn n" '
                f'href="/author/{story.author.lower().replace(" ", "-")}/">{story.author}</a></span></span></div></header>'
                f'<div class="entry-content">{body}<p>Read also: <a href="{related.path}">{escape(related.title)}</a></p></div>'
                f'<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/{story.section}/" '
                f'rel="category tag">{story.section.title()}</a></span> <span class="tags-links">Tagged '
                f'<a href="/tag/ferries/" rel="tag">ferries</a></span></footer></article>'
                f'<nav class="navigation post-navigation"><div class="nav-links"><div class="nav-next">'
                f'<a href="{related.path}" rel="next">{escape(related.title)}</a></div></div></nav>')
        article = {"@type": "Article", "headline": story.title, "datePublished": story.when.isoformat(),
                   "author": {"@type": "Person", "name": story.author}, "isPartOf": {"@id": webpage["@id"]}}
        site.add(story.path, Page("article", page(story.title, main, og_type="article", graph=[webpage, article],
                                                   body_class="post-template-default single single-post"),
                                  title=story.title))

    def archive(title: str, description: str, items: list[_Story], next_path: str | None) -> bytes:
        teasers = "".join(
            f'<article class="post type-post"><header class="entry-header"><h2 class="entry-title">'
            f'<a href="{s.path}" rel="bookmark">{escape(s.title)}</a></h2><div class="entry-meta">'
            f'<time class="entry-date" datetime="{s.when.isoformat()}">{s.when:%B %d, %Y}</time></div></header>'
            f'<div class="entry-summary"><p>{escape(s.summary)} <a class="more-link" href="{s.path}">Continue '
            f"reading</a></p></div></article>" for s in items)
        pages = (f'<nav class="navigation pagination"><div class="nav-links"><a class="next page-numbers" '
                 f'href="{next_path}">Next</a></div></nav>') if next_path else ""
        main = (f'<header class="page-header"><h1 class="page-title">{escape(title)}</h1><div class="archive-description">'
                f"<p>{escape(description)}</p></div></header>{teasers}{pages}")
        return page(title, main, og_type="website", graph=[{"@type": "CollectionPage", "name": title}],
                    body_class="archive category")

    site.add("/", Page("listing", archive("Latest news", "News from the harbour town.", stories[:4], "/page/2/")))
    site.add("/page/2/", Page("listing", archive("Latest news – Page 2", "", stories[4:], None)))
    for section in ("city", "business", "culture"):
        items = [s for s in stories if s.section == section]
        site.add(f"/category/{section}/", Page("listing", archive(f"Category: {section.title()}",
                                                                     f"Everything we wrote about {section}.", items, None)))
    site.add("/tag/ferries/", Page("listing", archive("Tag: ferries", "", stories[::2], None)))
    for author in sorted({s.author for s in stories} | {"Mara Lind"}):
        slug = author.lower().replace(" ", "-")
        site.add(f"/author/{slug}/", Page("listing", archive(
            f"Author: {author}", f"{author} has covered the council for the Gazette since 2011, and still takes "
            "the first ferry to the newsroom every morning.", [s for s in stories if s.author == author] or stories[:2],
            None)))
    town = "Skarvik"
    for path, title, topic, paragraphs in (("/about/", "About us", "who we are and how we work", 4),
                                           ("/privacy-policy/", "Privacy Policy", "how we handle personal data", 9),
                                           ("/terms-of-use/", "Terms of use", "the terms of use of this site", 7)):
        prose = "".join(f"<p>{escape(p)}</p>" for p in _prose(rng, town, paragraphs, topic))
        main = (f'<article class="page type-page"><header class="entry-header"><h1 class="entry-title">{title}</h1>'
                f'</header><div class="entry-content">{prose}</div></article>')
        site.add(path, Page("other", page(title, main, og_type="article", graph=[webpage], body_class="page")))
    contact = ('<article class="page type-page"><header class="entry-header"><h1 class="entry-title">Contact</h1>'
               '</header><div class="entry-content"><p>Newsroom: 12 Quay Street, Skarvik.</p><p>Phone +00 123 4567</p>'
               '<form action="/contact/" method="post"><input name="email"><textarea name="message"></textarea>'
               '<button>Send</button></form></div></article>')
    site.add("/contact/", Page("other", page("Contact", contact, og_type="article", graph=[webpage], body_class="page")))
    site.add("/feed/", Page("feed", _rss(host, name, stories), "application/rss+xml; charset=UTF-8"))
    return site


# ------------------------------------------------------------------ courier: a 2000s table layout in windows-1252


def _courier(host: str) -> Site:
    rng = random.Random("courier")
    site = Site("courier", host)
    name = "Valley Courier"
    stories = _stories(rng, [
        ("/magazine/content/25_11/b4410021.htm", "magazine"), ("/stories/2025/0314/valley03.htm", "local"),
        ("/news/local/0313farm.htm", "local"), ("/biz/2025/mar/coop.htm", "business"),
        ("/magazine/content/25_10/b4409017.htm", "magazine"),
    ], paragraphs=(4, 7))
    # A touch of windows-1252 typography in every story: curly quotes, a dash, a euro sign.
    for story in stories:
        story.paragraphs[0] += " \u201cIt will cost \u20ac2 million \u2014 at least,\u201d one caf\u00e9 owner said."
    leftnav = ('<td width="150" valign="top" bgcolor="#eeeeee"><font face="Arial" size="2"><a href="/">Front page</a>'
               '<br><a href="/sections/local.htm">Local</a><br><a href="/sections/business.htm">Business</a><br>'
               '<a href="/sections/magazine.htm">Magazine</a><br><br><a href="/about.htm">About the Courier</a><br>'
               '<a href="/contact.htm">Contact</a><br><a href="/privacy.htm">Privacy</a></font></td>')

    def page(title: str, cell: str) -> bytes:
        html = (f'<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">\n'
                f"<title>{name}: {escape(title)}</title>\n</head>\n<body bgcolor=\"#ffffff\" topmargin=0>\n"
                f'<table width="760" border="0" cellpadding="4" cellspacing="0"><tr><td colspan="2">'
                f'<img src="/img/logo.gif" alt="{name}" width="300" height="40"></td></tr>\n<tr>{leftnav}'
                f'<td valign="top">{cell}</td></tr>\n<tr><td colspan="2"><font size="1">Copyright \u00a9 2025 {name}. '
                f"{STRANGERS}</font></td></tr></table>\n</body>\n</html>\n")
        return html.encode("cp1252")

    for n, story in enumerate(stories):
        text = "<br><br>\n".join(escape(p) for p in story.paragraphs)
        other = stories[(n + 2) % len(stories)]
        cell = (f'<font face="Arial" size="2"><span class="headline"><b><font size="4">{escape(story.title)}</font></b>'
                f"</span><br>\n<i>By {story.author}, Courier staff</i><br>\n{story.when:%B %d, %Y}<br><br>\n{text}"
                f'<br><br>\n<b>See also:</b> <a href="{other.path}">{escape(other.title)}</a></font>')
        site.add(story.path, Page("article", page(story.title, cell), "text/html; charset=windows-1252",
                                  title=story.title))

    def front(title: str, items: list[_Story], more: str | None) -> bytes:
        rows = "".join(f'<tr><td><font face="Arial" size="2"><a href="{s.path}"><b>{escape(s.title)}</b></a><br>'
                       f"{escape(s.summary)}</font></td></tr>\n" for s in items)
        tail = f'<tr><td><a href="{more}">More stories &gt;&gt;</a></td></tr>' if more else ""
        return page(title, f'<font face="Arial" size="3"><b>{escape(title)}</b></font><table width="100%">{rows}{tail}</table>')

    site.add("/", Page("listing", front("Today's stories", stories[:3], "/sections/archive2.htm"),
                       "text/html; charset=windows-1252"))
    site.add("/sections/archive2.htm", Page("listing", front("Earlier stories", stories[3:], None),
                                            "text/html; charset=windows-1252"))
    for section in ("local", "business", "magazine"):
        items = [s for s in stories if s.section == section]
        site.add(f"/sections/{section}.htm", Page("listing", front(section.title(), items, None),
                                                  "text/html; charset=windows-1252"))
    for path, title, topic, paragraphs in (("/about.htm", "About the Courier", "who publishes the Courier", 4),
                                           ("/privacy.htm", "Privacy statement", "what we do with your data", 8)):
        text = "<br><br>\n".join(escape(p) for p in _prose(rng, "Elmstead", paragraphs, topic))
        site.add(path, Page("other", page(title, f'<font face="Arial" size="2"><b>{title}</b><br><br>{text}</font>'),
                            "text/html; charset=windows-1252"))
    site.add("/contact.htm", Page("other", page("Contact", '<font face="Arial" size="2"><b>Contact us</b><br>'
                                                 "Valley Courier, 4 Mill Lane, Elmstead<br>Newsdesk: +00 765 4321"
                                                 "</font>"), "text/html; charset=windows-1252"))
    return site


# ------------------------------------------------------------------ wire: a portal with numeric ids


def _wire(host: str) -> Site:
    rng = random.Random("wire")
    site = Site("wire", host)
    name = "Metro Wire"
    stories = _stories(rng, [
        ("/id/44613978", "politics"), ("/news/44613990", "tech"), ("/article.php?id=5512", "tech"),
        ("/story?sid=907", "politics"), ("/id/44614021", "tech"), ("/news/44614100", "politics"),
    ])
    # Accented names in every story, so a wrong charset header shows.
    for story in stories:
        story.paragraphs[1] += " Ren\u00e9e Dvo\u0159\u00e1kov\u00e1 of the \u201cBetter Streets\u201d group called it \u201ca fair deal\u201d."
    feed_only = stories[-1]  # listed by the feed and by nothing else
    wrong_charset = {stories[1].path, stories[4].path}
    latest = [s for s in stories if s is not feed_only]
    popular = "".join(f'<li><a href="{s.path}">{escape(s.title)}</a></li>' for s in latest[:4])

    def page(title: str, main: str, *, og_article: bool = False, meta_charset: bool = True) -> bytes:
        og = '<meta property="og:type" content="article">' if og_article else ""
        charset = '<meta charset="utf-8">' if meta_charset else ""
        return (f"<!doctype html><html lang=\"en\"><head>{charset}<title>{escape(title)} | {name}</title>{og}"
                f'<link rel="stylesheet" href="/static/wire.css"></head><body><div class="page"><div class="top-bar">'
                f'<a class="brand" href="/">{name}</a> <a href="/latest">Latest</a> <a href="/section/tech">Tech</a> '
                f'<a href="/section/politics">Politics</a> <a href="/login">Log in</a></div><div class="container">'
                f'<div class="col-main">{main}</div><div class="col-side"><div class="box"><h3>Most read</h3><ol>{popular}'
                f'</ol></div></div></div><div class="bottom"><a href="/about-us">About us</a> · <a href="/contact">Contact</a>'
                f' · <a href="/privacy-policy-and-cookie-notice">Privacy and cookies</a> · <a href="/terms">Terms</a>'
                f' · <a href="/rss">RSS</a> · {STRANGERS}</div></div></body></html>').encode("utf-8")

    for n, story in enumerate(stories):
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
        main = (f'<div class="story"><div class="rubric"><a href="/section/{story.section}">{story.section.title()}</a>'
                f'</div><h1>{escape(story.title)}</h1><div class="story-info"><span class="author">{story.author}</span>'
                f' · <span class="time">{story.when:%d.%m.%Y %H:%M}</span></div><div class="story-text">{paragraphs}</div>'
                f'<div class="story-tags">Tags: <a href="/tag/energy">energy</a> <a href="/tag/transport">transport</a></div></div>')
        wrong = story.path in wrong_charset
        body = page(story.title, main, og_article=n % 2 == 0, meta_charset=n != 4)
        content_type = "text/html; charset=windows-1251" if wrong else "text/html; charset=utf-8"
        site.add(story.path, Page("article", body, content_type, title=story.title))
    site.wrong_charset |= wrong_charset
    site.aliases[stories[0].path + "?ref=home"] = stories[0].path

    def listing(title: str, items: list[_Story], more: str | None = None, intro: str = "") -> bytes:
        rows = "".join(f'<li class="news-item"><a href="{s.path}">{escape(s.title)}</a> <span class="date">'
                       f"{s.when:%d.%m.%Y}</span></li>" for s in items)
        tail = f'<a class="more" href="{more}">Older news</a>' if more else ""
        return page(title, f'<h1>{escape(title)}</h1>{intro}<ul class="news-list">{rows}</ul>{tail}')

    front_items = "".join(f'<li><a href="{s.path}{"?ref=home" if s is latest[0] else ""}">{escape(s.title)}</a></li>'
                          for s in latest[:3])
    site.add("/", Page("listing", page(name, f'<div class="lead-block"><h2>Top stories</h2><ul>{front_items}</ul></div>'
                                             f'<a href="/latest">All news</a>')))
    site.add("/latest", Page("listing", listing("Latest news", latest[:3], "/latest?page=2")))
    site.add("/latest?page=2", Page("listing", listing("Latest news", latest[3:])))
    for section in ("tech", "politics"):
        site.add(f"/section/{section}", Page("listing", listing(section.title(), [s for s in latest if s.section == section])))
    for tag in ("energy", "transport"):
        site.add(f"/tag/{tag}", Page("listing", listing(f"Tag: {tag}", latest[::2] if tag == "energy" else latest[1::2],
                                                        intro="<p>Stories tagged with this topic.</p>")))
    for path, title, topic, paragraphs in (
            ("/about-us", "About us", "who runs this news portal", 3),
            ("/privacy-policy-and-cookie-notice", "Privacy and cookie notice", "how we use cookies and personal data", 10),
            ("/terms", "Terms of service", "the terms of service", 6)):
        text = "".join(f"<p>{escape(p)}</p>" for p in _prose(rng, "Northgate", paragraphs, topic))
        site.add(path, Page("other", page(title, f"<h1>{title}</h1>{text}")))
    site.add("/contact", Page("other", page("Contact", "<h1>Contact</h1><p>Write to desk@wire.example or call the "
                                                       "newsroom.</p>")))
    site.add("/login", Page("other", page("Log in", '<h1>Log in</h1><form method="post"><input name="user">'
                                                     '<input name="password" type="password"></form>')))
    # The feed is linked by <a href="/rss"> only, and served as text/xml: its content says what it is.
    site.add("/rss", Page("feed", _rss(host, name, stories), "text/xml; charset=utf-8"))
    return site


# ------------------------------------------------------------------ ledger: JavaScript-era div soup


def _ledger(host: str) -> Site:
    rng = random.Random("ledger")
    site = Site("ledger", host)
    name = "Northern Ledger"
    stories = _stories(rng, [
        ("/business/markets-steady-after-pause", "business"), ("/culture/river-festival-returns", "culture"),
        ("/harbour-cleanup", "news"), ("/longreads/the-last-lighthouse-keeper", "longreads"),
        ("/analysis/why-the-bridge-is-late", "business"), ("/culture/choir-wins", "culture"),
    ])
    brief_path = "/briefs/9001"
    brief = _Story(brief_path, "Road closed at Elmstead junction", ["The Elmstead junction is closed until Friday "
                   "after a burst water main, the council said. Buses are diverted."], "Jon Berg",
                   BASE_DAY - timedelta(hours=2), "news", "The junction is closed until Friday.")
    latin1_path = stories[1].path
    syndicated_path = site.syndicated = stories[4].path
    stories[1].paragraphs[0] += " The festival\u2019s director, Zo\u00eb M\u00fcller, expects a record crowd."

    def cls(seed: str) -> str:
        return "css-" + format(zlib.crc32(seed.encode()), "x")[:6]

    def page(title: str, main: str, *, ld: dict | None = None, og_type: str = "website",
             description: str = "", canonical: str | None = None) -> bytes:
        script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
        if canonical:
            script += f'<link rel="canonical" href="{canonical}">'
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} - {name}</title>'
                f'<meta name="description" content="{escape(description)}"><meta property="og:type" content="{og_type}">'
                f'<link rel="alternate" type="application/rss+xml" href="/rss.xml">{script}</head><body>'
                f'<div id="__next"><div class="{cls("shell")}"><header class="{cls("header")}"><a href="/" '
                f'aria-label="{name} home">{name}</a><nav><a href="/business">Business</a><a href="/culture">Culture</a>'
                f'<a href="/longreads">Long reads</a><a href="/topics/energy">Energy</a><a href="/newsletters">Newsletters</a>'
                f'</nav></header>'
                f'<main class="{cls("main")}">{main}</main><footer class="{cls("footer")}"><a href="/privacy">Privacy</a>'
                f'<a href="/legal/terms">Terms</a><a href="/help/contact">Contact</a><a href="/authors/jon-berg">Jon Berg</a>'
                f"{STRANGERS}</footer></div></div><script>window.__DATA__={{}}</script></body></html>").encode("utf-8")

    def card(s: _Story) -> str:
        return (f'<a class="{cls("card")}" href="{s.path}"><div class="{cls("cardtext")}"><span>{s.section.title()}</span>'
                f"<h3>{escape(s.title)}</h3><p>{escape(s.summary)}</p></div></a>")

    everything = stories + [brief]
    for n, story in enumerate(everything):
        more = [s for s in stories if s is not story][:3]
        paragraphs = "".join(f'<p class="{cls("p")}">{escape(p)}</p>' for p in story.paragraphs)
        main = (f'<article class="{cls("article")}"><div class="{cls("head")}"><span class="{cls("kicker")}">'
                f'{story.section.title()}</span><h1 data-testid="headline">{escape(story.title)}</h1>'
                f'<div class="{cls("byline")}">By <a href="/authors/{story.author.lower().replace(" ", "-")}">'
                f'{story.author}</a> <time datetime="{story.when.isoformat()}">{story.when:%d %B %Y}</time></div></div>'
                f'<div class="{cls("body")}" data-component="text-block">{paragraphs}</div></article>'
                f'<section class="{cls("more")}" aria-label="More stories"><h2>More from {name}</h2>'
                + "".join(card(s) for s in more) + "</section>")
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
              "datePublished": story.when.isoformat(), "author": [{"@type": "Person", "name": story.author}]}
        if story is brief:
            # A two-sentence brief: no JSON-LD, no og:type article. Only its feed says it is news.
            site.add(story.path, Page("article", page(story.title, main), title=story.title))
            continue
        # One story is syndicated: its canonical URL is the wire service's, on another host.
        canonical = SYNDICATED_FROM + story.path if story.path == syndicated_path else None
        body = page(story.title, main, ld=ld, og_type="article", description=story.summary, canonical=canonical)
        content_type = "text/html; charset=iso-8859-1" if story.path == latin1_path else "text/html; charset=utf-8"
        site.add(story.path, Page("article", body, content_type, title=story.title))
    site.wrong_charset.add(latin1_path)

    def grid(title: str, items: list[_Story], more: str | None = None, intro: str = "") -> bytes:
        ld = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "position": i + 1, "item": {"@type": "NewsArticle", "headline": s.title,
                                                             "url": host + s.path}} for i, s in enumerate(items)]}
        tail = f'<a class="{cls("more")}" href="{more}">Load more</a>' if more else ""
        return page(title, f'<h1 class="{cls("title")}">{escape(title)}</h1>{intro}<div class="{cls("grid")}">'
                    + "".join(card(s) for s in items) + f"</div>{tail}", ld=ld if len(items) > 1 else None)

    # The front page links the brief; so do nothing else but the feed.
    site.add("/", Page("listing", grid(name, stories[:3] + [brief], "/business")))
    site.add("/business", Page("listing", grid("Business", [s for s in stories if s.section == "business"],
                                               "/business?page=2")))
    site.add("/business?page=2", Page("listing", grid("Business", stories[2:4])))
    site.add("/culture", Page("listing", grid("Culture", [s for s in stories if s.section == "culture"])))
    site.add("/longreads", Page("listing", grid("Long reads", stories[3:])))
    for author in sorted({s.author for s in everything} | {"Jon Berg"}):
        mine = [s for s in stories if s.author == author] or stories[::2]
        site.add(f"/authors/{author.lower().replace(' ', '-')}", Page("listing", grid(
            author, mine, intro=f"<p>{author} writes about business and the harbour economy. Before joining the "
            "Ledger they reported from the islands for ten years and edited the shipping pages.</p>")))
    site.add("/topics/energy", Page("listing", grid("Energy", stories[1::2])))
    for path, title, topic, paragraphs in (("/privacy", "Privacy notice", "how your data is used", 9),
                                           ("/legal/terms", "Terms and conditions", "the terms of using the Ledger", 6),
                                           ("/newsletters", "Sign up for our newsletters", "our newsletters", 3)):
        text = "".join(f"<p>{escape(p)}</p>" for p in _prose(rng, "Lindholm", paragraphs, topic))
        site.add(path, Page("other", page(title, f"<h1>{title}</h1>{text}")))
    site.add("/help/contact", Page("other", page("Contact us", "<h1>Contact us</h1><p>Tips: tips@ledger.example</p>")))
    site.add("/rss.xml", Page("feed", _rss(host, name, [brief] + stories), "application/rss+xml"))
    return site


BUILDERS = {"gazette": _gazette, "courier": _courier, "wire": _wire, "ledger": _ledger}


def build_site(name: str, host_url: str = "http://127.0.0.1:8000") -> Site:
    """One site's pages, offline (the classifier evaluation reads them without serving)."""
    return BUILDERS[name](host_url)


class _Handler(QuietHandler):
    server_version = "newsarchive-realshaped/1"

    def do_GET(self) -> None:
        server: SiteServer = self.app
        target = self.path
        server.count(target)
        if target == "/robots.txt":
            self.send_body(200, b"User-agent: *\nDisallow: /search\n", content_type="text/plain")
            return
        page = server.site.pages.get(target)
        if page is None and target in server.site.aliases:
            page = server.site.pages[server.site.aliases[target]]
        if page is None:
            self.send_body(404, b"<!doctype html><title>Not found</title><h1>Page not found</h1>")
            return
        self.send_body(200, page.body, page.headers, content_type=page.content_type)

    do_HEAD = do_GET


class SiteServer(LoopbackServer):
    """One real-shaped site on its own port; `requests[path]` counts the requests for each path."""

    handler_class = _Handler

    def __init__(self, name: str, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.site = build_site(name, self.url.rstrip("/"))
        self.requests: dict[str, int] = {}
        self._lock = threading.Lock()

    def count(self, path: str) -> None:
        with self._lock:
            self.requests[path] = self.requests.get(path, 0) + 1


class RealShapedSites:
    """Every real-shaped site, each on its own port of 127.0.0.1, for the length of a `with` block."""

    def __init__(self, names: tuple[str, ...] = tuple(BUILDERS)):
        self.servers = [SiteServer(name) for name in names]

    def __enter__(self) -> list[SiteServer]:
        for server in self.servers:
            server.start()
        return self.servers

    def __exit__(self, *exc_info) -> None:
        for server in self.servers:
            server.stop()


def host_of(url: str) -> str:
    return urlsplit(url).netloc
