"""Authors: structured sources checked against the byline the reader sees."""
from __future__ import annotations

import re

from newsarchive.normalize.byline import normalize_byline

__all__ = ["choose_authors", "publisher_name"]


def choose_authors(structured: list[tuple[str, list[str]]], visible: list[str], visible_raw: str | None,
                   site_names: list[str]) -> tuple[list[str], list[str], str | None]:
    """(names, raw strings, provenance): structured sources in order, checked against the visible byline.

    A structured list that only names the site or publisher is no byline. When the visible
    byline names people, the first structured list that shares a name with it wins (CMSs
    often put the uploader in JSON-LD and the reporters in the page); if none does, the
    visible byline wins.
    """
    site_keys = {_fold_key(n) for n in site_names if n}
    candidates = []
    for source, raws in structured:
        names = _names(raws)
        if names and not all(_fold_key(n) in site_keys for n in names):
            candidates.append((names, raws, source))
    if candidates and candidates[0][2] == "site":
        return candidates[0]
    if visible and all(_fold_key(n) in site_keys for n in visible):
        visible = []
    if visible:
        visible_keys = {_fold_key(n) for n in visible}
        shown = _fold_key(visible_raw or "")
        for names, raws, source in candidates:
            if any(_fold_key(n) in visible_keys or _fold_key(n) in shown for n in names):
                return names, raws, source
        if not candidates or _BY_WORD.match(visible_raw or ""):
            return visible, [], "html"
    if candidates:
        return candidates[0]
    return [], [], None


_BY_WORD = re.compile(r"\s*(?:by|von|par|por|di|door|af|av|de)\s", re.IGNORECASE)


def _fold_key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def publisher_name(objects: list[dict]) -> str:
    """The JSON-LD publisher's name, or "": an author list naming only it is no byline."""
    for obj in objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return publisher["name"]
    return ""


def _names(raws: list[str]) -> list[str]:
    names: list[str] = []
    for raw in raws:
        for name in normalize_byline(raw):
            if name not in names:
                names.append(name)
    return names
