"""The headline: metadata titles checked against the page's <h1>, site names cut off.

Metadata titles (JSON-LD headline, og:title) are the article's own, but many carry the site
name ("Headline | Site"); <title> nearly always does; the <h1> is what readers see but some
pages use it for the site logo. So: an <h1> that agrees with a metadata title wins; else the
metadata title without its site-name part; else <title> cut the same way; else the <h1>.

Without metadata titles the <title> is the anchor: the headline is the longest visible heading
(<h1>, or markup that names a headline: itemprop=headline, hAtom's entry-title) that is the
<title> or one of its separator-delimited parts. Blog themes put the blog's name in an <h1>
linked to the home page; such an <h1> is branding, never the headline.
"""
from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

from newsarchive.extract.document import element_text
from newsarchive.normalize.fold import title_key
from newsarchive.normalize.text import clean_inline

__all__ = ["choose_title", "strip_site_name"]

_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
# Spaced separators anywhere; unspaced "-", "_" next to CJK text, where titles use no spaces.
_SEPARATORS = re.compile(rf"\s+[|\-–—:·•»«/]\s+|\s+::\s+|\s*\|\s*|(?<=[{_CJK}])\s*[-_－—]\s*(?=\S)")
# Parts of an <h1> that are not the headline: kicker / overline / "Dachzeile" spans.
_KICKER_CLASSES = ("kicker", "overline", "dachzeile", "eyebrow", "topline", "roofline", "supertitle",
                   "super-title", "rubric", "label", "flag", "colon")
_COLON = re.compile(r"(?<=\w):\s+")
_MAX_TITLE = 400
_BRAND_MARKERS = ("breadcrumb", "logo", "site-title", "sitename", "site-name", "brand")
# Headline markup besides <h1>: schema.org microdata and the hAtom microformat (WordPress, Blogger).
_HEADLINE_MARKUP = ('//*[@itemprop="headline"] | //*[self::h1 or self::h2 or self::h3]'
                    '[contains(concat(" ", normalize-space(@class), " "), " entry-title ")'
                    ' or contains(concat(" ", normalize-space(@class), " "), " post-title ")]')


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Cut a leading or trailing site-name part ("Headline | Site" -> "Headline")."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {title_key(n) for n in site_names if n}
    names |= {n.replace(" ", "") for n in names}
    first, last = title_key(parts[0]), title_key(parts[-1])
    if last in names or last.replace(" ", "") in names or _looks_like_site(parts[-1], site_names):
        return clean_inline(title[: _last_separator(title).start()]) or title
    if first in names or first.replace(" ", "") in names:
        return clean_inline(title[_first_separator(title).end():]) or title
    return title


def _looks_like_site(part: str, site_names: list[str]) -> bool:
    """A short part that is inside a site name, or holds a one-word one ("BBC中文网" on bbc.co.uk)."""
    folded = title_key(part).replace(" ", "")
    if not folded or len(part.split()) > 5:
        return False
    names = [title_key(n).replace(" ", "") for n in site_names if n]
    article_less = re.sub(r"^the ", "", title_key(part)).replace(" ", "")  # "The Daily Planet" on dailyplanet.com
    return any(folded in n or article_less == n for n in names) or (
        len(part.split()) <= 3 and any(len(n) >= 3 and n.isalnum() and folded.startswith(n) for n in names))


def _last_separator(title: str) -> re.Match:
    return list(_SEPARATORS.finditer(title))[-1]


def _first_separator(title: str) -> re.Match:
    return next(_SEPARATORS.finditer(title))


def _headline_text(h1) -> str:
    """The h1's text without kicker spans; its explicit headline child when it marks one."""
    for child in h1.iterdescendants():
        marker = (child.get("class") or "").lower()
        if "headline" in marker and not any(k in marker for k in _KICKER_CLASSES):
            text = element_text(child)
            if text:
                return text
    kickers = [c for c in h1.iterdescendants()
               if any(k in (c.get("class") or "").lower() for k in _KICKER_CLASSES)]
    if not kickers:
        return element_text(h1)
    stripped = copy.deepcopy(h1)
    for kicker in list(stripped.iterdescendants()):
        if any(k in (kicker.get("class") or "").lower() for k in _KICKER_CLASSES) and kicker.getparent() is not None:
            kicker.drop_tree()
    return element_text(stripped).strip(" :|-–—") or element_text(h1)


def _h1_texts(tree) -> list[str]:
    texts = []
    for h1 in tree.xpath("//h1")[:5]:
        marker = f'{h1.get("class") or ""} {h1.get("id") or ""}'.lower()
        if any(word in marker for word in _BRAND_MARKERS) or _links_home(h1):
            continue
        text = _headline_text(h1)
        if text and len(text) <= _MAX_TITLE:
            texts.append(text)
    return texts


def _links_home(heading) -> bool:
    """Whether a heading's text is one link to the site's home page (a logo, not a headline)."""
    links = heading.xpath(".//a[@href]")
    if len(links) != 1 or element_text(links[0]) != element_text(heading):
        return False
    href = links[0].get("href").strip()
    path = urlsplit(href).path if "//" in href else href
    return links[0].get("rel") == "home" or path in ("", "/", "/index.html", "/index.php")


def _marked_headlines(tree) -> list[str]:
    texts = []
    for element in tree.xpath(_HEADLINE_MARKUP)[:6]:
        text = element.get("content") or _headline_text(element)
        if text and len(text) <= _MAX_TITLE:
            texts.append(clean_inline(text))
    return texts


def _heading_in_html_title(headings: list[str], html_title: str, site_keys: set[str]) -> str | None:
    """The longest heading that is the <title> or one of its parts ("Headline - Blog name")."""
    # "Blog name: Post title" too: a colon may open the headline when a heading confirms it.
    parts = {title_key(p) for p in _SEPARATORS.split(html_title) + _COLON.split(html_title, maxsplit=1)}
    parts.add(title_key(html_title))
    matching = [h for h in headings if title_key(h) in parts and title_key(h) not in site_keys]
    return max(matching, key=len) if matching else None


def choose_title(tree, candidates: list[tuple[str, str]], site_names: list[str]) -> tuple[str | None, str | None]:
    """(title, provenance) from metadata candidates [(source, title)] and the page's h1 and <title>."""
    meta_titles = [(source, clean_inline(t)) for source, t in candidates if t and clean_inline(t)]
    h1s = _h1_texts(tree)
    html_title = clean_inline(tree.findtext(".//title") or "")
    site_keys = {title_key(n) for n in site_names if n}
    # Some CMSs fill og:title with the site's name on every page: that names no article.
    meta_titles = [(s, t) for s, t in meta_titles if title_key(strip_site_name(t, site_names)) not in site_keys]
    stripped = [(s, strip_site_name(t, site_names)) for s, t in meta_titles]
    for h1 in h1s:
        key = title_key(h1)
        if not key or key in site_keys:
            continue
        for source, title in meta_titles + stripped:
            if title_key(title) == key:
                return h1, source
        # Metadata and <title> often add a kicker or the site name around the visible headline.
        if len(key.split()) >= 3 and any(key in title_key(t) for t in [t for _, t in meta_titles] + [html_title] if t):
            return h1, "html"
    if stripped:
        return stripped[0][1], stripped[0][0]
    headline = _heading_in_html_title(h1s + _marked_headlines(tree), html_title, site_keys) if html_title else None
    if headline:
        return headline, "html"
    if html_title:
        return strip_site_name(html_title, site_names + _guess_site_names(html_title, h1s)), "html"
    if h1s:
        return h1s[0], "html"
    return None, None


def _guess_site_names(title: str, h1s: list[str]) -> list[str]:
    """With no site name known, the shortest edge part of a <title> is most likely it, unless
    it shares words with the page's <h1>: then it is part of the headline."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return []
    edge = min((parts[0], parts[-1]), key=len)
    headline_words = {w for h1 in h1s[:1] for w in title_key(h1).split() if len(w) > 2}
    if headline_words & set(title_key(edge).split()):
        return []
    return [edge] if len(edge.split()) <= 4 else []
