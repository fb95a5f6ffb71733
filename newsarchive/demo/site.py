"""The demo news site as data: its articles, their known answers, and what each URL serves.

`DemoSite` builds the same site every time (fixed seed, fixed dates 2018–2026), so tests read the
expected title, authors, dates and copyright of every page from here instead of repeating them.
The loopback server (newsarchive.demo.server) only turns `DemoSite.resolve` results into HTTP.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from urllib.parse import parse_qs, urlsplit

from newsarchive.demo import feeds, render, stories
from newsarchive.demo.feeds import ATOM_PATH, NEWS_SITEMAP_PATH, ROBOTS_PATH, RSS_PATH, SITEMAP_INDEX_PATH, SITEMAP_PATH
from newsarchive.demo import vocabulary as vocab
from newsarchive.demo.prose import generate_story
from newsarchive.demo.styles import BYLINE_STYLES, SEED_LIKE_COPYRIGHT, CopyrightLine, copyright_line

FIRST_DAY = datetime(2018, 1, 9, tzinfo=timezone.utc)
LAST_DAY = datetime(2026, 6, 30, tzinfo=timezone.utc)
UTC_OFFSETS = (-5, 0, 1, 2, 5.5, -8, 9, -3)
# Metadata a page carries, by article index: JSON-LD on half, OpenGraph/meta only on a third,
# neither (visible byline and <time> only) on the rest.
METADATA_CYCLE = ("jsonld", "og", "jsonld", "none", "jsonld", "og")

PRIVATE_PATH = "/private/"
ABOUT_PATH = "/about/"
LOGO_PATH = "/static/logo.png"
CSS_PATH = "/static/site.css"
FONT_PATH = "/static/fonts/demo-serif.woff"  # named by site.css, relative to it
HEADER_BG_PATH = "/static/img/header-bg.png"  # named by site.css, relative to it
FAVICON_PATH = "/static/favicon.png"
IMAGE_VARIANT = re.compile(r"(/static/img/.+)-(\d+)\.png")


@dataclass(frozen=True)
class DemoArticle:
    """One article page and the answers an extractor should find on it."""

    index: int
    path: str
    section: str
    title: str
    description: str
    #: the names the article record should carry (from JSON-LD/meta when present, else the byline)
    authors: tuple[str, ...]
    #: the visible byline exactly as shown, or None
    byline: str | None
    #: what normalize_byline(byline) should return
    byline_authors: tuple[str, ...]
    byline_style: str | None
    #: ISO 8601 as the page gives it: with its offset, or date-only
    published: str
    modified: str | None
    metadata: str  # "jsonld", "og" or "none"
    encoding: str
    gzip: bool
    chunked: bool
    flaky: bool
    copyright: CopyrightLine
    copyright_in_jsonld: bool
    lead: tuple[str, ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    image_caption: str
    image_credit: str
    tags: tuple[str, ...]
    is_seed_like: bool = False
    is_cp1252: bool = False
    #: an old URL that answers 301 with this article's URL
    redirect_from: str | None = None
    #: paths this page links to in its body ("Related:") and "Read more" box
    related_path: str = ""
    read_more: tuple[str, ...] = field(default=())

    @property
    def has_jsonld(self) -> bool:
        return self.metadata == "jsonld"

    @property
    def has_og(self) -> bool:
        return self.metadata in ("jsonld", "og")

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(heading for heading, _ in self.sections)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return self.lead + tuple(p for _, paragraphs in self.sections for p in paragraphs)

    @property
    def text(self) -> str:
        """The clean body text: paragraphs and headings separated by blank lines."""
        blocks = list(self.lead)
        for heading, paragraphs in self.sections:
            blocks.append(heading)
            blocks.extend(paragraphs)
        return "\n\n".join(blocks)

    @property
    def image_path(self) -> str:
        return "/static/img/" + self.path.strip("/").replace("/", "-") + ".png"

    @property
    def published_datetime(self) -> datetime:
        value = datetime.fromisoformat(self.published)
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)

    def url(self, base_url: str) -> str:
        return base_url.rstrip("/") + self.path


@dataclass(frozen=True)
class Resource:
    """What one URL serves, before transfer concerns (gzip, chunking, the flaky 500)."""

    status: int
    content_type: str
    body: bytes = b""
    location: str | None = None
    last_modified: datetime | None = None
    compressible: bool = False  # gzip it when the client accepts gzip
    chunked: bool = False
    flaky: bool = False  # the first request gets a 500


def slugify(title: str, max_words: int = 8) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.lower().replace("'", ""))
    return "-".join(words[:max_words])


class DemoSite:
    """The demo site: `n_articles` articles over four sections, with special cases at fixed places.

    `filler_kb` pads every article page to about that many KB with a reader-comments section, as
    big as real news pages are, for benchmarks.
    """

    SECTION_ORDER = tuple(vocab.SECTIONS)

    def __init__(self, n_articles: int = 36, filler_kb: int = 0, *, per_page: int = 8, seed: str = "newsarchive-demo"):
        if n_articles < 12:
            raise ValueError("the demo site needs at least 12 articles to hold its special cases")
        self.n_articles = n_articles
        self.filler_kb = filler_kb
        self.per_page = per_page
        self.seed = seed
        self.sections: dict[str, str] = {slug: name for slug, (name, _) in vocab.SECTIONS.items()}
        self.articles: list[DemoArticle] = self._build_articles()
        self._by_path = {a.path: a for a in self.articles}
        self._redirects = {a.redirect_from: a for a in self.articles if a.redirect_from}
        self._images = {a.image_path: a for a in self.articles}

    # ------------------------------------------------------------ answers for tests
    @property
    def seed_like(self) -> DemoArticle:
        return next(a for a in self.articles if a.is_seed_like)

    @property
    def cp1252(self) -> DemoArticle:
        return next(a for a in self.articles if a.is_cp1252)

    @property
    def chunked(self) -> DemoArticle:
        return next(a for a in self.articles if a.chunked)

    @property
    def flaky(self) -> DemoArticle:
        return next(a for a in self.articles if a.flaky)

    @property
    def redirected(self) -> DemoArticle:
        return next(a for a in self.articles if a.redirect_from)

    @property
    def dead_path(self) -> str:
        """A page that the site links to but that answers 404."""
        return "/software/2019/04/02/this-story-was-withdrawn/"

    @property
    def private_path(self) -> str:
        """Disallowed by robots.txt, yet linked from every page's footer."""
        return PRIVATE_PATH

    feed_paths = (RSS_PATH, ATOM_PATH)
    sitemap_paths = (SITEMAP_INDEX_PATH, SITEMAP_PATH, NEWS_SITEMAP_PATH)
    robots_path = ROBOTS_PATH

    def article(self, path: str) -> DemoArticle:
        return self._by_path[urlsplit(path).path]

    def link_target(self, path: str) -> DemoArticle | None:
        """The article a link on the site leads to, following the old-URL redirect; None if dead."""
        return self._by_path.get(path) or self._redirects.get(path)

    def section_articles(self, section: str | None) -> list[DemoArticle]:
        """Newest first, as the front pages list them (`None`: the whole site)."""
        return list(self._newest_first[section])

    @cached_property
    def _newest_first(self) -> dict[str | None, list[DemoArticle]]:
        ordered = sorted(self.articles, key=lambda a: a.published_datetime, reverse=True)
        return {section: [a for a in ordered if section in (None, a.section)] for section in (None, *self.sections)}

    def page_count(self, section: str | None) -> int:
        return max(1, -(-len(self.section_articles(section)) // self.per_page))

    def listing_path(self, section: str | None, page: int) -> str:
        if section is None:
            return "/" if page == 1 else f"/?page={page}"
        return f"/{section}/" if page == 1 else f"/{section}/page/{page}/"

    def listing_paths(self) -> list[str]:
        """The home page and every section front, with all their pagination pages."""
        return [
            self.listing_path(section, page)
            for section in (None, *self.sections)
            for page in range(1, self.page_count(section) + 1)
        ]

    def expected_status(self) -> dict[str, int]:
        """Every path the site serves or links to, and the status of a first request to it."""
        statuses = {path: 200 for path in self.listing_paths()}
        statuses.update({a.path: 200 for a in self.articles})
        statuses[self.flaky.path] = 500
        statuses.update({a.redirect_from: 301 for a in self.articles if a.redirect_from})
        statuses[self.dead_path] = 404
        for path in (*self.feed_paths, *self.sitemap_paths, ROBOTS_PATH, PRIVATE_PATH, ABOUT_PATH, LOGO_PATH, CSS_PATH,
                     *self.asset_paths()):
            statuses[path] = 200
        return statuses

    def asset_paths(self) -> list[str]:
        """Every image, font and icon the site's pages and stylesheet name (logo and stylesheet aside)."""
        paths = [FONT_PATH, HEADER_BG_PATH, FAVICON_PATH]
        for article in self.articles:
            paths.append(article.image_path)
            paths += [render.variant_path(article.image_path, width) for width in render.IMAGE_WIDTHS]
        return paths

    def article_requisites(self, article: DemoArticle, base_url: str) -> set[str]:
        """The absolute URLs of what an article page needs to look right: its answer for archivers."""
        base, cdn = base_url.rstrip("/"), render.cdn_base(base_url)
        small, medium, large = (render.variant_path(article.image_path, w) for w in render.IMAGE_WIDTHS)
        return {base + CSS_PATH, base + FONT_PATH, base + HEADER_BG_PATH, base + FAVICON_PATH, base + LOGO_PATH,
                base + article.image_path, base + small, cdn + medium, cdn + large}

    # ------------------------------------------------------------ serving
    def resolve(self, target: str, base_url: str) -> Resource:
        """What `target` (path and query) serves on a site reachable at `base_url`."""
        parts = urlsplit(target)
        path = parts.path or "/"
        query = parse_qs(parts.query)
        if path in self._by_path:
            return self._article_resource(self._by_path[path], base_url)
        if path in self._redirects:
            return Resource(301, "text/html; charset=utf-8", b"", location=self._redirects[path].url(base_url))
        listing = self._listing_target(path, query)
        if listing is not None:
            section, page = listing
            body = render.listing_page(self, section, page, base_url).encode("utf-8")
            return Resource(200, "text/html; charset=utf-8", body, compressible=True)
        xml = "application/xml; charset=utf-8"
        builders = {
            RSS_PATH: ("application/rss+xml; charset=utf-8", feeds.rss),
            ATOM_PATH: ("application/atom+xml; charset=utf-8", feeds.atom),
            SITEMAP_INDEX_PATH: (xml, feeds.sitemap_index),
            SITEMAP_PATH: (xml, feeds.sitemap),
            NEWS_SITEMAP_PATH: (xml, feeds.news_sitemap),
            ROBOTS_PATH: ("text/plain; charset=utf-8", feeds.robots_txt),
        }
        if path in builders:
            content_type, build = builders[path]
            return Resource(200, content_type, build(self, base_url).encode("utf-8"), compressible=True)
        if path == PRIVATE_PATH:
            return self._html(render.simple_page(self, "Staff area", render.PRIVATE_BODY, base_url.rstrip("/") + path))
        if path == ABOUT_PATH:
            return self._html(render.simple_page(self, "About Demo Tech News", render.ABOUT_BODY, base_url.rstrip("/") + path))
        if path == LOGO_PATH:
            return Resource(200, "image/png", render.placeholder_png())
        if path == FAVICON_PATH:
            return Resource(200, "image/png", render.placeholder_png(8, 8, 0x55))
        if path == HEADER_BG_PATH:
            return Resource(200, "image/png", render.placeholder_png(4, 64, 0x22))
        if path in self._images:  # each article's image its own shade, so images are not all one payload
            return Resource(200, "image/png", render.placeholder_png(16, 9, self._images[path].index * 7 % 200 + 30))
        variant = IMAGE_VARIANT.fullmatch(path)
        if variant and variant.group(1) + ".png" in self._images and int(variant.group(2)) in render.IMAGE_WIDTHS:
            article = self._images[variant.group(1) + ".png"]
            width = int(variant.group(2)) // 40
            return Resource(200, "image/png", render.placeholder_png(width, width * 9 // 16, article.index * 7 % 200 + 30))
        if path == CSS_PATH:
            return Resource(200, "text/css; charset=utf-8", render.SITE_CSS.encode("utf-8"), compressible=True)
        if path == FONT_PATH:
            return Resource(200, "font/woff", render.demo_font())
        return Resource(404, "text/html; charset=utf-8", render.not_found_page(self, base_url).encode("utf-8"))

    def _html(self, page: str) -> Resource:
        return Resource(200, "text/html; charset=utf-8", page.encode("utf-8"), compressible=True)

    def _listing_target(self, path: str, query: dict[str, list[str]]) -> tuple[str | None, int] | None:
        match = re.fullmatch(r"/(?:([a-z]+)/(?:page/(\d+)/)?)?", path)
        if not match:
            return None
        section, page_text = match.groups()
        if section is not None and section not in self.sections:
            return None
        if section is None and page_text is None:
            page_text = query.get("page", ["1"])[0]
        if not (page_text or "1").isdigit():
            return None
        page = int(page_text or "1")
        if not 1 <= page <= self.page_count(section):
            return None
        return section, page

    def _article_resource(self, article: DemoArticle, base_url: str) -> Resource:
        body = render.article_page(self, article, base_url).encode(article.encoding, errors="xmlcharrefreplace")
        # The cp1252 page declares its charset only in a <meta> tag, as many old CMSes do.
        content_type = "text/html" if article.is_cp1252 else f"text/html; charset={article.encoding}"
        return Resource(
            200,
            content_type,
            body,
            last_modified=(
                datetime.fromisoformat(article.modified) if article.modified else article.published_datetime
            ).astimezone(timezone.utc),
            compressible=article.gzip,
            chunked=article.chunked,
            flaky=article.flaky,
        )

    # ------------------------------------------------------------ building
    def _dates(self) -> list[datetime]:
        """Evenly spread publication times, newest first, each at a local daytime hour."""
        rng = random.Random(f"{self.seed}-dates")
        span = (LAST_DAY - FIRST_DAY) / (self.n_articles - 1)
        dates = []
        for i in range(self.n_articles):
            day = LAST_DAY - span * i
            offset = timezone(timedelta(hours=UTC_OFFSETS[i % len(UTC_OFFSETS)]))
            local = datetime(day.year, day.month, day.day, rng.randint(6, 20), rng.choice((0, 15, 30, 45)), tzinfo=offset)
            dates.append(local)
        return dates

    def _build_articles(self) -> list[DemoArticle]:
        dates = self._dates()
        seed_like_index = next((i for i, d in enumerate(dates) if d.year == 2021 and i > 8), 9)
        specials = {"cp1252": 3, "chunked": 4, "flaky": 5, "redirected": 6, "seed_like": seed_like_index}
        paths: list[str] = []
        drafts = []
        for i, published in enumerate(dates):
            section = self.SECTION_ORDER[i % len(self.SECTION_ORDER)]
            if i == specials["seed_like"]:
                story, section = stories.SEED_LIKE, "gadgets"
            elif i == specials["cp1252"]:
                story, section = stories.CP1252, "gadgets"
            else:
                story = generate_story(f"{self.seed}-{i}", section, published.year, with_headings=i % 3 != 2)
            slug = slugify(story.title)
            path = f"/{section}/{published:%Y/%m/%d}/{slug}/"
            while path in paths:  # rare on big sites: two stories with the same title on one day
                path = path[:-1] + "-2/"
            paths.append(path)
            drafts.append((i, published, section, story, path))
        redirected = specials["redirected"]
        old_path = f"/articles/{slugify(drafts[redirected][3].title, 5)}-{redirected}.html"
        return [
            self._article(i, published, section, story, path, paths, specials, old_path)
            for i, published, section, story, path in drafts
        ]

    def _article(self, i, published, section, story, path, paths, specials, old_path) -> DemoArticle:
        rng = random.Random(f"{self.seed}-people-{i}")
        is_seed_like = i == specials["seed_like"]
        is_cp1252 = i == specials["cp1252"]
        metadata = "none" if is_seed_like else ("og" if is_cp1252 else METADATA_CYCLE[i % len(METADATA_CYCLE)])
        style_name, n_people, style = BYLINE_STYLES[i % len(BYLINE_STYLES)]
        people = rng.sample(vocab.AUTHORS, n_people)
        # Three bylines appear verbatim as the project's docs quote them.
        jane, john = vocab.AUTHORS[0], vocab.AUTHORS[1]
        if i == 0:
            people = [jane, john]  # "By JANE DOE and John Smith, Staff Writers"
        if is_cp1252:  # "Jane Doe | Senior Editor"
            style_name, people, style = "name_pipe_title", [jane], BYLINE_STYLES[1][2]
        if i == self.n_articles - 1:  # "Posted by jdoe on Jan 9, 2018"
            style_name, people, style = "posted_by_handle", [jane], BYLINE_STYLES[2][2]
        byline, byline_authors = style(people, published)
        full_names = [name for name, _ in people]
        if is_seed_like:
            byline, byline_authors, full_names, style_name = None, [], [], None
        # Metadata names people in full; a page with none leaves only the visible byline.
        authors = byline_authors if metadata == "none" else full_names

        date_only = metadata == "none" and not is_seed_like and i % 4 == 3
        published_iso = published.date().isoformat() if date_only else published.isoformat()
        modified = None if metadata == "none" else (published + timedelta(hours=1 + i % 47)).isoformat()
        first_sentence = re.split(r"(?<=[.!?])\s", story.lead[0], maxsplit=1)[0]
        others = [p for p in paths if p != path]
        return DemoArticle(
            index=i,
            path=path,
            section=section,
            title=story.title,
            description=first_sentence,
            authors=tuple(authors),
            byline=byline,
            byline_authors=tuple(byline_authors),
            byline_style=style_name,
            published=published_iso,
            modified=modified,
            metadata=metadata,
            encoding="windows-1252" if is_cp1252 else "utf-8",
            gzip=i % 2 == 0 and i != specials["chunked"],
            chunked=i == specials["chunked"],
            flaky=i == specials["flaky"],
            copyright=SEED_LIKE_COPYRIGHT if is_seed_like else copyright_line(i, published.year),
            copyright_in_jsonld=metadata == "jsonld" and i % 3 == 0,
            lead=story.lead,
            sections=story.sections,
            image_caption=f"The {story.topic} at a press preview in {vocab.PLACES[i % len(vocab.PLACES)]}.",
            image_credit=f"Photo: {vocab.AUTHORS[(i + 5) % len(vocab.AUTHORS)][0]} / Demo Media",
            tags=(self.sections[section], story.topic),
            is_seed_like=is_seed_like,
            is_cp1252=is_cp1252,
            redirect_from=old_path if i == specials["redirected"] else None,
            # article 1 still links to the redirected article by its pre-migration URL
            related_path=old_path if i == 1 else others[(i * 7) % len(others)],
            read_more=tuple(others[(i + k) % len(others)] for k in (1, 2)) + ((self.dead_path,) if i == 2 else ()),
        )

    @cached_property
    def filler_pool(self) -> tuple[str, ...]:
        """Reader comments that pad benchmark pages; a small shared pool keeps building cheap."""
        from newsarchive.demo.prose import filler_paragraph

        return tuple(filler_paragraph(f"{self.seed}-filler-{k}", self.SECTION_ORDER[k % 4]) for k in range(48))
