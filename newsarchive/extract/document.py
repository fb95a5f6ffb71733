"""One parse per page: decoded HTML text -> an lxml tree that every extractor shares."""
from __future__ import annotations

import logging
import re

import lxml.html
from lxml import etree

from newsarchive.normalize.text import clean_inline

logger = logging.getLogger(__name__)

__all__ = ["parse_html", "element_text", "empty_tree"]

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
