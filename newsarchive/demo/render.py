"""HTML for the demo site: the templates in demo/templates filled from DemoSite data.

Templates are read once at import, so serving a page never touches the disk.
"""
from __future__ import annotations

import json
import struct
import zlib
from functools import cache
from html import escape
from importlib import resources
from string import Template
from typing import TYPE_CHECKING

from newsarchive.demo import vocabulary as vocab

if TYPE_CHECKING:
    from newsarchive.demo.site import DemoArticle, DemoSite


def _template(name: str) -> Template:
    return Template(resources.files("newsarchive.demo").joinpath("templates").joinpath(name).read_text("utf-8"))


PAGE = _template("page.html")
ARTICLE = _template("article.html")
LISTING = _template("listing.html")
SIDEBAR = _template("sidebar.html")
SIMPLE = _template("simple.html")

SITE_COPYRIGHT = "© 2026 Demo Media Group, Inc. All Rights Reserved."
PRIVATE_BODY = "<p>Internal notes for staff. Crawlers that obey robots.txt never see this page.</p>"
ABOUT_BODY = (
    "<p>Demo Tech News is an invented publication. Its stories are generated for testing the "
    "newsarchive crawler and describe no real company or person.</p>"
)
DEAD_LINK_TITLE = "From the archive: the story we had to pull"
TRACKING_QUERY = "?utm_source=demo&utm_medium=read-more&fbclid=IwAR0demo"
# The stylesheet names its web font and the header's background image relative to itself, as real
# sites do, so an archiver must resolve CSS url()s against the stylesheet, not the page.
SITE_CSS = """@font-face{font-family:"Demo Serif";src:url(fonts/demo-serif.woff) format("woff");font-display:swap}
body{font-family:"Demo Serif",Georgia,serif;max-width:72rem;margin:auto}
.site-header{background:#13294b url("img/header-bg.png") repeat-x;padding:.5rem 1rem}
.site-header a{color:#fff}
.headline{color:#8b1e3f}
.lead-image img{max-width:100%;height:auto}
.ad-slot{min-height:90px;background:#eee}
"""
# Lead images come in these widths (srcset); the wider ones from the site's "CDN" host.
IMAGE_WIDTHS = (480, 800, 1200)


def _text(value: str) -> str:
    return escape(value, quote=False)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _human_date(value) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _nav_items(site: DemoSite) -> str:
    return "\n".join(f'      <li><a href="/{slug}/">{_text(name)}</a></li>' for slug, name in site.sections.items())


def _sidebar(site: DemoSite) -> str:
    newest = site.section_articles(None)[:5]
    items = "\n".join(f'      <li><a href="{a.path}">{_text(a.title)}</a></li>' for a in newest)
    return SIDEBAR.substitute(most_read=items)


def _page(site: DemoSite, *, title_tag: str, canonical: str, main: str, head_meta: str = "",
          charset_meta: str = '<meta charset="utf-8">', body_class: str = "", filler: str = "",
          copyright_html: str | None = SITE_COPYRIGHT) -> str:
    footer = f'  <p class="copyright">{copyright_html}</p>' if copyright_html else ""
    return PAGE.substitute(
        charset_meta=charset_meta,
        title_tag=_text(title_tag),
        canonical=_attr(canonical),
        head_meta=head_meta,
        body_class=body_class,
        nav_items=_nav_items(site),
        main=main,
        sidebar=_sidebar(site),
        filler=filler,
        footer_copyright=footer,
    )


# ------------------------------------------------------------------ articles
def _jsonld(site: DemoSite, article: DemoArticle, base_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.description,
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "datePublished": article.published,
        "dateModified": article.modified,
        "publisher": {
            "@type": "Organization",
            "name": vocab.PUBLISHER,
            "logo": {"@type": "ImageObject", "url": base_url.rstrip("/") + "/static/logo.png"},
        },
        "mainEntityOfPage": article.url(base_url),
        "image": [base_url.rstrip("/") + article.image_path],
        "articleSection": site.sections[article.section],
        "keywords": list(article.tags),
    }
    if article.index % 5 == 0 and len(article.authors) > 1:
        # Some CMSes put every name into one Person: extraction must still split them.
        data["author"] = {"@type": "Person", "name": " and ".join(article.authors)}
    if article.copyright_in_jsonld:
        data["copyrightHolder"] = {"@type": "Organization", "name": article.copyright.holder}
        data["copyrightYear"] = article.copyright.years[-1]
    # "</" would end the script element early; JSON allows the escaped slash.
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _head_meta(site: DemoSite, article: DemoArticle, base_url: str) -> str:
    lines = [f'<meta name="description" content="{_attr(article.description)}">']
    if article.metadata == "none":
        return lines[0]
    lines += [
        f'<meta property="og:site_name" content="{vocab.SITE_NAME}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{_attr(article.title)}">',
        f'<meta property="og:url" content="{_attr(article.url(base_url))}">',
    ]
    if article.metadata == "og":
        lines += [
            f'<meta property="og:description" content="{_attr(article.description)}">',
            f'<meta property="og:image" content="{_attr(base_url.rstrip("/") + article.image_path)}">',
            f'<meta property="article:published_time" content="{article.published}">',
            f'<meta property="article:modified_time" content="{article.modified}">',
            f'<meta property="article:section" content="{_attr(site.sections[article.section])}">',
            *(f'<meta property="article:tag" content="{_attr(tag)}">' for tag in article.tags),
            f'<meta name="author" content="{_attr(", ".join(article.authors))}">',
        ]
    else:
        lines.append(_jsonld(site, article, base_url))
    return "\n".join(lines)


def cdn_base(base_url: str) -> str:
    """The demo's "CDN": the same server under its other loopback name (127.0.0.1 <-> localhost).

    Real news pages load images from a CDN host they name; the demo does the same without leaving
    the machine. A site served under any other name has no CDN and uses its own host.
    """
    for name, other in (("//127.0.0.1:", "//localhost:"), ("//localhost:", "//127.0.0.1:")):
        if name in base_url:
            return base_url.replace(name, other, 1).rstrip("/")
    return base_url.rstrip("/")


def variant_path(image_path: str, width: int) -> str:
    return image_path.removesuffix(".png") + f"-{width}.png"


def _lead_image(article: DemoArticle, base_url: str) -> str:
    """A <picture> with a wide-screen <source> and an <img> with srcset, as responsive news pages have."""
    cdn = cdn_base(base_url)
    small, medium, large = (variant_path(article.image_path, w) for w in IMAGE_WIDTHS)
    return (
        '    <picture>\n'
        f'      <source media="(min-width: 900px)" srcset="{cdn}{large} 1200w, {cdn}{medium} 800w" sizes="800px">\n'
        f'      <img src="{article.image_path}" srcset="{small} 480w, {cdn}{medium} 800w" '
        f'sizes="(max-width: 800px) 100vw, 800px" alt="{_attr(article.image_caption)}" width="1200" height="675">\n'
        '    </picture>'
    )


def _time_html(article: DemoArticle) -> str:
    when = article.published_datetime
    return f'      <time class="published" datetime="{article.published}">{_human_date(when)}</time>'


def _story_body(site: DemoSite, article: DemoArticle) -> str:
    related_title = site.link_target(article.related_path).title
    blocks = []
    for n, paragraph in enumerate(article.lead, 1):
        blocks.append(f"    <p>{_text(paragraph)}</p>")
        if n == 1:
            blocks.append('    <div class="ad-slot ad-inline" aria-hidden="true"><span class="ad-label">Advertisement</span></div>')
        if n == 2:
            blocks.append(
                f'    <p class="related-link"><strong>Related:</strong> <a href="{article.related_path}">{_text(related_title)}</a></p>'
            )
    blocks.append(
        '    <aside class="newsletter-inline"><p><strong>Like what you read?</strong> Get our free newsletter '
        'every weekday morning.</p><a class="cta" href="/about/">Subscribe</a></aside>'
    )
    for heading, paragraphs in article.sections:
        blocks.append(f"    <h2>{_text(heading)}</h2>")
        blocks.extend(f"    <p>{_text(p)}</p>" for p in paragraphs)
    return "\n".join(blocks)


def _read_more(site: DemoSite, article: DemoArticle) -> str:
    items = []
    for n, path in enumerate(article.read_more):
        target = site.link_target(path)
        title = target.title if target else DEAD_LINK_TITLE
        # The first link carries campaign parameters, as share and newsletter links do on real sites.
        href = _attr(path + TRACKING_QUERY) if n == 0 else path
        items.append(f'        <li><a href="{href}">{_text(title)}</a></li>')
    return "\n".join(items)


def _filler(site: DemoSite, article: DemoArticle, needed: int) -> str:
    """Reader comments until the page has grown by `needed` characters."""
    pool, comments, size, k = site.filler_pool, [], 0, article.index
    while size < needed:
        name = vocab.AUTHORS[k % len(vocab.AUTHORS)][1]
        comment = f'  <article class="comment"><p class="comment-author">{name}</p><p>{_text(pool[k % len(pool)])}</p></article>'
        comments.append(comment)
        size += len(comment) + 1
        k += 1
    return '<section class="comments">\n  <h2>Comments</h2>\n' + "\n".join(comments) + "\n</section>"


def article_page(site: DemoSite, article: DemoArticle, base_url: str) -> str:
    """The article's full HTML page (a str; the caller encodes it in article.encoding)."""
    byline = f'      <p class="byline">{_text(article.byline)}</p>' if article.byline else ""
    footer_notice = article.is_seed_like
    main = ARTICLE.substitute(
        section=article.section,
        section_name=_text(site.sections[article.section]),
        title=_text(article.title),
        title_attr=_attr(article.title),
        byline_html=byline,
        time_html=_time_html(article),
        lead_image=_lead_image(article, base_url),
        image_caption=_text(article.image_caption),
        image_credit=_text(article.image_credit),
        body=_story_body(site, article),
        story_notice=f'    <p class="notice">{article.copyright.html}</p>' if footer_notice else "",
        tag_links=", ".join(f'<span class="tag">{_text(tag)}</span>' for tag in article.tags),
        read_more=_read_more(site, article),
    )
    charset_meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={article.encoding}">'
        if article.is_cp1252
        else '<meta charset="utf-8">'
    )
    page_args = dict(
        title_tag=f"{article.title} | {vocab.SITE_NAME}",
        canonical=article.url(base_url),
        main=main,
        head_meta=_head_meta(site, article, base_url),
        charset_meta=charset_meta,
        body_class=f"article section-{article.section}",
        copyright_html=None if footer_notice else article.copyright.html,
    )
    page = _page(site, **page_args)
    if site.filler_kb and len(page) < site.filler_kb * 1024:
        page = _page(site, **page_args, filler=_filler(site, article, site.filler_kb * 1024 - len(page)))
    return page


# ------------------------------------------------------------------ other pages
def listing_page(site: DemoSite, section: str | None, page: int, base_url: str) -> str:
    """A front page (home or section), `page` of its pagination."""
    chosen = site.section_articles(section)[(page - 1) * site.per_page: page * site.per_page]
    teasers = []
    for a in chosen:
        teasers.append(
            f'    <article class="teaser">\n      <h2><a href="{a.path}">{_text(a.title)}</a></h2>\n'
            f'      <p>{_text(a.description)}</p>\n'
            f'      <time datetime="{a.published}">{_human_date(a.published_datetime)}</time>\n    </article>'
        )
    if section is None and page == 1:
        teasers.append(
            f'    <article class="teaser archive">\n      <h2><a href="{site.dead_path}">{DEAD_LINK_TITLE}</a></h2>\n'
            "    </article>"
        )
    links = []
    if page > 1:
        links.append(f'    <a rel="prev" href="{site.listing_path(section, page - 1)}">Newer stories</a>')
    if page < site.page_count(section):
        links.append(f'    <a rel="next" href="{site.listing_path(section, page + 1)}">Older stories</a>')
    name = site.sections[section] if section else "Latest tech news"
    heading = name if page == 1 else f"{name}, page {page}"
    main = LISTING.substitute(heading=_text(heading), teasers="\n".join(teasers), pagination="\n".join(links))
    canonical = base_url.rstrip("/") + site.listing_path(section, page)
    return _page(site, title_tag=f"{heading} | {vocab.SITE_NAME}", canonical=canonical, main=main,
                 body_class="listing")


def simple_page(site: DemoSite, heading: str, body_html: str, canonical: str) -> str:
    main = SIMPLE.substitute(heading=_text(heading), body=body_html)
    return _page(site, title_tag=f"{heading} | {vocab.SITE_NAME}", canonical=canonical, main=main)


def not_found_page(site: DemoSite, base_url: str) -> str:
    return simple_page(site, "Page not found", "<p>We could not find that page. It may have moved.</p>", base_url)


@cache
def placeholder_png(width: int = 8, height: int = 8, shade: int = 0x99) -> bytes:
    """A valid grey PNG, for the logo and article images (`shade` 0-255 tells images apart)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@cache
def demo_font() -> bytes:
    """The site's web font (made by tools/make_demo_font.py): a space and a box, so browsers fall back for letters."""
    return resources.files("newsarchive.demo").joinpath("static").joinpath("demo-serif.woff").read_bytes()
