"""One parse per page: decoded HTML text -> an lxml tree that every extractor shares."""
from __future__ import annotations

import logging
import re

import lxml.html
from lxml import etree

from newsarchive.normalize.text import clean_inline

logger = logging.getLogger(__name__)

__all__ = ["parse_html", "element_text", "separated_text", "empty_tree"]

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)


def empty_tree() -> lxml.html.HtmlElement:
    """A minimal document, for input that is not HTML at all."""
    return lxml.html.document_fromstring("<html><head></head><body></body></html>")


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse a decoded page; never raises (garbage gives an empty document)."""
    text = _XML_DECLARATION.sub("", text or "", count=1).replace("\x00", "")
    if not text.strip():
        return empty_tree()
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        logger.debug("unparseable HTML: %s", exc)
        return empty_tree()
    return root if root is not None else empty_tree()


def element_text(element) -> str:
    """The visible text of an element as one clean line."""
    try:
        return clean_inline(" ".join(element.itertext()))
    except (ValueError, TypeError):
        return ""


# Elements that a browser lays out as their own line or box.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "nav", "ol", "p", "section", "table", "td", "th",
    "tr", "ul",
})
_SEPARATOR_RUNS = re.compile(r"\s*(?:\|\s*)+")


def separated_text(element) -> str:
    """The visible text of an element as one line, with " | " where block elements begin and end,
    so that text in neighbouring boxes ("Jane Doe" above "Updated 2 hours ago") stays apart."""
    parts: list[str] = []
    try:
        for event, node in etree.iterwalk(element, events=("start", "end")):
            if not isinstance(node.tag, str):
                if event == "end" and node is not element and node.tail:
                    parts.append(node.tail)
                continue
            block = node.tag in _BLOCK_TAGS
            if event == "start":
                if block:
                    parts.append(" | ")
                if node.text:
                    parts.append(node.text)
            else:
                if block:
                    parts.append(" | ")
                if node is not element and node.tail:
                    parts.append(node.tail)
    except (ValueError, TypeError):
        return element_text(element)
    text = clean_inline(" ".join(parts))  # spaced like element_text: no words glued across tags
    return _SEPARATOR_RUNS.sub(" | ", text).strip(" |")


def in_region(element, markers: tuple[str, ...], *, skip_figures: bool = False) -> bool:
    """Whether `element` sits in page furniture: a footer/aside/nav, or an ancestor whose class or id
    contains one of `markers` ("sidebar", "related", ...). With `skip_figures`, figures count too."""
    for ancestor in element.iterancestors():
        if skip_figures and ancestor.tag in ("figure", "figcaption", "picture"):
            return True
        if ancestor.tag in ("body", "html"):
            break  # page-wide classes ("has-sidebar") say nothing about this element
        if ancestor.tag in ("footer", "aside", "nav"):
            return True
        marker = _region_marker(ancestor)
        if marker and any(word in marker for word in markers):
            return True
    return False


def _region_marker(element) -> str:
    """An element's class and id in lowercase, without the layout modifiers that say what a
    container holds rather than what it is ("withSidebar", "has-related")."""
    tokens = f'{element.get("class") or ""} {element.get("id") or ""}'.split()
    return " ".join(t for t in tokens if not _MODIFIER.match(t)).lower()


_MODIFIER = re.compile(r"^(?:has|with)(?:[-_A-Z]|$)")
