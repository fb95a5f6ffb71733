"""Authors: structured sources checked against the byline the reader sees."""
from __future__ import annotations

import re

from newsarchive.normalize.byline import normalize_byline
from newsarchive.normalize.fold import alnum_key

__all__ = ["choose_authors", "publisher_name"]


def choose_authors(structured: list[tuple[str, list[str]]], visible: list[str], visible_raw: str | None,
                   site_names: list[str]) -> tuple[list[str], list[str], str | None]:
    """(names, raw strings, provenance): structured sources in order, checked against the visible byline.

    A structured list that only names the site or publisher is no byline. When the visible
    byline names people, the first structured list that shares a name with it wins (CMSs
    often put the uploader in JSON-LD and the reporters in the page); if none does, the
    visible byline wins.
    """
    site_keys = {alnum_key(n) for n in site_names if n} - {""}
    visible = _without_affiliations(visible, site_keys)
    candidates = []
    for source, raws in structured:
        names = _in_visible_form(_without_affiliations(_names(raws), site_keys), visible)
        if names and not all(alnum_key(n) in site_keys for n in names):
            candidates.append((names, raws, source))
    if candidates and candidates[0][2] == "site":
        return candidates[0]
    if visible and all(alnum_key(n) in site_keys for n in visible):
        visible = []
    if visible:
        visible_keys = {alnum_key(n) for n in visible}
        shown = alnum_key(visible_raw or "")
        for names, raws, source in candidates:
            if any(alnum_key(n) in visible_keys or alnum_key(n) in shown for n in names):
                return names, raws, source
        if not candidates or _BY_WORD.match(visible_raw or ""):
            return visible, [], "html"
    if candidates:
        return candidates[0]
    return [], [], None


def _without_affiliations(names: list[str], site_keys: set[str]) -> list[str]:
    """Names without the site's own name glued on or set off after them: "Jane Doe Florida
    Today" on floridatoday.com is Jane Doe; the site itself is dropped when people remain."""
    out = []
    for name in names:
        words = name.split()
        for k in range(len(words) - 2, 0, -1):
            if alnum_key(" ".join(words[-k:])) in site_keys:
                name = " ".join(words[:-k])
                break
        if name not in out:
            out.append(name)
    people = [n for n in out if alnum_key(n) not in site_keys]
    return people or out


def _in_visible_form(names: list[str], visible: list[str]) -> list[str]:
    """A structured name that is a visible name plus trailing words ("Jane Doe. Site Intl")
    takes the visible form: metadata appends affiliations the page does not show."""
    out = []
    for name in names:
        key = alnum_key(name)
        shorter = [v for v in visible
                   if len(alnum_key(v)) >= 5 and key != alnum_key(v) and key.startswith(alnum_key(v))]
        out.append(shorter[0] if shorter and name.startswith(shorter[0].split()[0]) else name)
    return list(dict.fromkeys(out))


_BY_WORD = re.compile(r"\s*(?:by|von|par|por|di|door|af|av|de)\s", re.IGNORECASE)


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
