"""The page's copyright notice: the visible footer line first, structured data second."""
from __future__ import annotations

import re

from lxml import etree

from newsarchive.extract.meta import COPYRIGHT_KEYS, first_meta
from newsarchive.normalize.copyright import copyright_from_structured, find_copyright_line, normalize_copyright
from newsarchive.normalize.text import clean_inline

__all__ = ["copyright_lines", "find_copyright"]

_HINT = re.compile(r"[©ⓒⒸ]|\(c\)|copyright|all rights reserved|tous droits|alle rechte|todos los derechos",
                   re.IGNORECASE)
# Few, short needles: each one costs a scan of every text node. "ights"/"IGHTS" stand for rights
# phrases in any case; "droits", "Rechte" and "derechos" pages nearly always carry a "©" too.
_NEEDLES = ("©", "ⓒ", "(c)", "(C)", "opyright", "OPYRIGHT", "ights", "IGHTS")
# A plain contains() filter runs in libxml2; the regex then confirms the few nodes it lets through.
_HINT_NODES = etree.XPath(
    "//body//text()[" + " or ".join(f"contains(., '{n}')" for n in _NEEDLES) + "]"
    "[not(ancestor::script) and not(ancestor::style)]")
_LINE_TAGS = frozenset({"p", "div", "li", "span", "small", "footer", "td", "section", "address", "font", "center",
                        "strong", "em", "b", "a", "h6", "h5", "h4", "dd", "body"})
_MAX_LINE = 400


def copyright_lines(tree) -> list[str]:
    """Short visible text lines that mention copyright, in document order."""
    lines: list[str] = []
    seen: set[str] = set()
    for node in _HINT_NODES(tree):
        if not _HINT.search(node):
            continue
        parent = node.getparent()
        line = clean_inline(str(node))
        # Widen to the enclosing block while it stays a line ("<p>© 2021 <a>ACME</a>. All ...</p>").
        while parent is not None and parent.tag in _LINE_TAGS:
            text = clean_inline("".join(parent.itertext()))
            if len(text) > _MAX_LINE:
                break
            line = text
            if parent.tag in ("p", "li", "footer", "td", "div", "section", "address"):
                break
            parent = parent.getparent()
        if line and line not in seen and len(line) <= _MAX_LINE:
            seen.add(line)
            lines.append(line)
    return lines


def find_copyright(tree, jsonld: dict, tags: dict[str, list[str]]) -> tuple[dict | None, str | None, str | None]:
    """(normalize_copyright dict, the visible line it came from, provenance) or (None, None, None)."""
    line = find_copyright_line(copyright_lines(tree))
    if line:
        parsed = normalize_copyright(line)
        if parsed:
            return parsed, line, "html"
    meta = first_meta(tags, COPYRIGHT_KEYS)
    holder, year = jsonld.get("copyright_holder"), jsonld.get("copyright_year")
    if holder or year or meta:
        parsed = copyright_from_structured(holder, year, meta[1] if meta else None)
        if parsed:
            return parsed, None, "jsonld" if (holder or year) else "meta"
    return None, None, None
