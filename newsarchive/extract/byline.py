"""The byline a reader sees: author links and elements marked as the byline or author.

Markup tells more than wording here: rel=author, itemprop=author, and class or id names with
"byline" or "author" are what CMSs emit. Candidates inside comments, related-story lists and
author bio boxes are skipped; the first one near the top of the article wins.

Pages whose markup names nothing (hashed class names, stripped attributes) still show a byline
the way a reader sees it, and two general forms are read after the marked ones: an element right
after a by-word ("<span>By </span><a href=/profile/jane-doe>Jane Doe</a>"), and a short block
that starts with a by-word ("By Jane Doe - May 6, 2024").
"""
from __future__ import annotations

import re

from lxml import etree

from newsarchive.extract.document import element_text, in_region, separated_text
from newsarchive.normalize.byline import normalize_byline
from newsarchive.normalize.text import clean_inline, is_photo_credit

__all__ = ["visible_byline", "credit_from_text"]

_MAX_BYLINE = 160
_MAX_BYLINE_WORDS = 14
# One pass over the document collects every element that may hold a byline ...
_CANDIDATES = etree.XPath(
    '//*[@itemprop="author" or @rel="author" or @id[contains(., "byline")] or @data-testid[contains(., "byline")]'
    ' or @class[contains(., "yline") or contains(., "uthor") or contains(., "autor") or contains(., "auteur")'
    ' or contains(., "contributor") or contains(., "publisher") or contains(., "source-name")]]')
_AUTHOR_CLASS = re.compile(
    r"author-?name|authorname|author__name|article-author|post-author|entry-author|author_name|by-author"
    r"|meta-author|story-author|(?:^|\s)author(?:\s|$)|c-byline|contributor|autor|auteur", re.IGNORECASE)
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])byline|byline(?:[\s_-]|$)|Byline", re.IGNORECASE)
_CREDIT_CLASS = re.compile(r"publisher|source-name", re.IGNORECASE)


def _tier(element) -> int | None:
    """... and this ranks them: itemprop, byline class, rel=author, author class, credit class."""
    if element.get("itemprop") == "author":
        return 0
    marker = f'{element.get("class") or ""} {element.get("id") or ""} {element.get("data-testid") or ""}'
    if _BYLINE_CLASS.search(marker):
        return 1
    if element.tag == "a" and element.get("rel") == "author":
        return 2
    if _AUTHOR_CLASS.search(marker):
        return 3
    if _CREDIT_CLASS.search(element.get("class") or ""):
        return 4
    return None


_SKIP_ANCESTORS = ("comment", "related", "recommend", "sidebar", "bio", "promo", "newsletter", "footer",
                   "teaser", "more-stories", "trending", "popular")


def visible_byline(tree) -> tuple[str | None, list[str]]:
    """(raw byline text, normalized names) of the first usable byline element, or (None, [])."""
    try:
        elements = _CANDIDATES(tree)
    except etree.XPathError:
        return None, []
    tiers: dict[int, list] = {}
    for element in elements[:300]:
        tier = _tier(element)
        if tier is not None and len(tiers.setdefault(tier, [])) < 12:
            tiers[tier].append(element)
    for tier in sorted(tiers):
        for element in tiers[tier]:
            if element.tag in ("meta", "link", "script", "style") or _in_skipped_region(element):
                continue
            raw = _raw_text(element)
            if not raw or len(raw) > _MAX_BYLINE or (tier == 4 and len(raw) >= 40) or is_photo_credit(raw):
                continue
            names = normalize_byline(raw)
            if names:
                return raw, names
    return _unmarked_byline(tree)


_BY_WORDS = ("By", "BY", "by", "Von", "VON", "von", "Par", "PAR", "par", "Por", "POR", "por", "Door", "door",
             "Av", "av", "Af", "af")
# Text nodes that are a by-word alone ("<span>By </span><a>Jane Doe</a>") or start with one
# ("<p>By Jane Doe - May 6</p>"). libxml2's substring test lets few nodes through; the regex
# then confirms them.
# Chinese and Japanese labels open a byline the same way, with a full-width colon: "作者：".
_CJK_LABELS = ("作者", "记者", "記者", "著者", "笔者", "筆者", "撰文", "责任编辑", "責任編集", "编辑", "編集")
_BY_TEXT = etree.XPath("//body//text()[" + " or ".join(f'contains(., "{w}")' for w in _BY_WORDS + _CJK_LABELS)
                       + "]")
_BY_START = re.compile(r"^\s*(?:(?:" + "|".join(_BY_WORDS) + r")(?::?\s*$|\s+\S)|(?:"
                       + "|".join(_CJK_LABELS) + r")\s*[:：])")
_MAX_UNMARKED = 200
# Menus list links whose text may start with "By" ("By Position"): no byline is there.
_MENU_REGIONS = ("menu", "nav", "dropdown", "breadcrumb")


def _unmarked_byline(tree) -> tuple[str | None, list[str]]:
    """A byline without byline markup, in page order: a by-word followed by the element that
    holds the name ("<span>By </span><a href=...>Jane Doe</a>"), or a short block that starts
    with a by-word and names someone ("By Jane Doe - May 6, 2024")."""
    try:
        nodes = [n for n in _BY_TEXT(tree) if _BY_START.match(n)][:_MAX_UNMARKED]
    except etree.XPathError:
        return None, []
    for node in nodes:
        parent = node.getparent()
        if parent is None:
            continue
        block = parent.getparent() if node.is_tail else parent
        if block is None or _in_skipped_region(parent) or in_region(parent, _MENU_REGIONS):
            continue
        if node.strip().rstrip(":：") in _BY_WORDS + _CJK_LABELS:
            holder = _element_after(parent, node.is_tail)
            text = element_text(holder) if holder is not None else ""
            if text and len(text.split()) <= 6:
                names = normalize_byline(text)
                if names:
                    return f"{node.strip()} {text}", names
            continue
        # The text node alone when it holds the whole byline ("责任编辑：焦鹏" as one tail), else its
        # block when that block starts with it ("<p>By <b>Jane</b> Doe</p>").
        # A by-word in lowercase opening a text node is the middle of a sentence ("... by the
        # council"), unless the block itself starts with it.
        own = clean_inline(str(node))
        own = own if not own[:1].islower() else ""  # capitalised, or a script without case
        block_text = element_text(block)
        for text in (own, block_text if block_text.startswith(clean_inline(str(node))[:3]) and block_text != own
                     else ""):
            if not text or len(text) > _MAX_BYLINE or is_photo_credit(text):
                continue
            names = normalize_byline(text)
            if names:
                return text, names
    return None, []


def _element_after(parent, is_tail: bool):
    """The element right after a by-word text node: for a tail, the element after its owner; for
    an element's own text, its first child, else the element after it."""
    if is_tail:
        return parent.getnext()
    if len(parent):
        return parent[0]
    return parent.getnext()


def _raw_text(element) -> str:
    """Text of a byline element; for itemprop=author the itemprop=name child when there is one.

    A byline box that also holds bio text, social links or forms is read through its author
    links instead ("By " + their texts).
    """
    names = element.xpath('.//*[@itemprop="name"]')
    if names:
        value = names[0].get("content") or element_text(names[0])
        if value:
            return value
    text = separated_text(element)
    if len(text.replace(" | ", " ").split()) > _MAX_BYLINE_WORDS:
        links = [element_text(a) for a in element.xpath('.//a[@rel="author" or contains(@href, "/author")'
                                                        ' or contains(@href, "/autor") or contains(@href, "/people/")'
                                                        ' or contains(@href, "/staff/")]')]
        links = [t for t in dict.fromkeys(links) if t and len(t.split()) <= 5]
        if links:
            return "By " + ", ".join(links)
    return text


def _in_skipped_region(element) -> bool:
    # a caption's credit names the photographer, not the story's author: figures are skipped too
    return in_region(element, _SKIP_ANCESTORS, skip_figures=True)


# "HAMBURG (dpa/lno) – ...", "WASHINGTON (AP) — ...": the agency in a dateline.
_DATELINE_CREDIT = re.compile(r"^[^\W\d][\w .,'/-]{0,40}?\s*\(([^()\d]{2,25})\)\s*(?:[–—-]+|:)\s")
# "(FR mit dpa)" or "(AFP/Reuters)" closing the last paragraph.
_CLOSING_CREDIT = re.compile(r"(?:^|[.!?\"”»]\s*)\(([^()\d]{2,30})\)\s*$")


def credit_from_text(blocks: list[str]) -> tuple[str | None, list[str]]:
    """(raw credit, names) from an agency dateline or closing credit in the body, or (None, [])."""
    for block in blocks[:2]:
        match = _DATELINE_CREDIT.match(block)
        if match and len(match.group(1).split()) <= 4:
            names = normalize_byline(match.group(1))
            if names:
                return match.group(1), names
    for block in blocks[-4:][::-1]:
        match = _CLOSING_CREDIT.search(block)
        if match and len(match.group(1).split()) <= 4:
            names = normalize_byline(match.group(1))
            if names:
                return match.group(1), names
    return None, []
