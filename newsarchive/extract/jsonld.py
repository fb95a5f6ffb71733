"""JSON-LD (schema.org) article metadata: the most reliable source after a site rule.

Finds the article object among every `<script type="application/ld+json">` block, through
lists, `@graph`, `mainEntity` and `@id` references, and reads its fields as raw values; the
caller normalizes them. Malformed JSON (trailing commas, raw newlines, HTML comments, CDATA)
is repaired where that is cheap, and otherwise skipped. Blocks, nodes and fields are read one
by one: a block nested too deep, a node with an unparseable URL or a field of an unexpected type
is skipped, and the rest of the page's metadata still counts.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

__all__ = ["jsonld_objects", "find_article", "article_fields", "ARTICLE_TYPES"]

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting", "liveblogposting",
    "techarticle", "scholarlyarticle", "socialmediaposting", "report", "satiricalarticle", "advertisernewsarticle",
    "medicalscholarlyarticle", "review", "posting",
})
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "profilepage"})
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def jsonld_objects(tree) -> list[dict]:
    """Every JSON object of the page's JSON-LD blocks, flattened (lists, @graph, nesting)."""
    objects: list[dict] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        data = _load(script.text or "")
        if data is not None:
            _flatten(data, objects, depth=0)
    return objects


def _load(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    text = re.sub(r"^\s*(?:<!--|/\*\s*<!\[CDATA\[\s*\*/|<!\[CDATA\[)|(?:-->|/\*\s*\]\]>\s*\*/|\]\]>)\s*$", "", text)
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser's stack
            continue
    logger.debug("unparseable JSON-LD block (%d chars)", len(text))
    return None


def _flatten(data: Any, out: list[dict], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
            value = data.get(key)
            if isinstance(value, (list, dict)):
                _flatten(value, out, depth + 1)


def _types(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def find_article(objects: list[dict], url: str = "") -> dict | None:
    """The object that describes this page's article, or None.

    Prefers an article type whose url matches the page, then one with a headline and a date;
    a WebPage with a headline and author is the last resort.
    """
    path = _path(url)
    best, best_score = None, 0
    for obj in objects:
        try:
            score = _article_score(obj, path)
        except Exception:  # a hostile node is skipped, never the page
            logger.debug("skipped a JSON-LD node", exc_info=True)
            continue
        if score > best_score:
            best, best_score = obj, score
    return best


def _path(url: Any) -> str:
    """The URL's path without a trailing slash; "" for anything that is no parseable URL ("http://[")."""
    if not isinstance(url, str) or not url:
        return ""
    try:
        return urlsplit(url).path.rstrip("/")
    except ValueError:
        return ""


def _article_score(obj: dict, path: str) -> int:
    """How well a node describes this page's article; 0 for a node that is no article."""
    types = _types(obj)
    if types & ARTICLE_TYPES:
        score = 10
    elif types & _PAGE_TYPES and obj.get("headline"):
        score = 3
    else:
        return 0
    if obj.get("headline"):
        score += 3
    if obj.get("datePublished"):
        score += 2
    if obj.get("author"):
        score += 2
    if obj.get("articleBody"):
        score += 1
    obj_url = obj.get("url") or _id_of(obj.get("mainEntityOfPage")) or ""
    if path and _path(obj_url) == path:
        score += 4
    return score


def _id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) else None


def article_fields(article: dict, objects: list[dict]) -> dict:
    """Raw field values of an article object; `@id` references resolved against `objects`."""
    by_id = {o["@id"]: o for o in objects if isinstance(o, dict) and isinstance(o.get("@id"), str)}

    def resolve(value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
            return by_id[value["@id"]]
        return value

    def canonical() -> str | None:
        value = article.get("url") or _id_of(article.get("mainEntityOfPage"))
        return value if isinstance(value, str) and value.startswith("http") and _path(value) is not None else None

    readers = {
        "title": lambda: _text(article.get("headline")) or _text(article.get("name")),
        "description": lambda: _text(article.get("description")),
        "authors": lambda: [a for a in (_person_name(resolve(v)) for v in
                                        _as_list(article.get("author") or article.get("creator"))) if a],
        "published": lambda: _text(article.get("datePublished")) or _text(article.get("dateCreated")),
        "modified": lambda: _text(article.get("dateModified")),
        "section": lambda: _text(_first(article.get("articleSection"))),
        "tags": lambda: _keywords(article.get("keywords")),
        "language": lambda: _text(article.get("inLanguage")) if isinstance(article.get("inLanguage"), str) else None,
        "body": lambda: _text(article.get("articleBody")),
        "canonical_url": canonical,
        "copyright_holder": lambda: resolve(article.get("copyrightHolder")),
        "copyright_year": lambda: article.get("copyrightYear"),
        "images": lambda: [u for u in (_image_url(resolve(i)) for i in _as_list(article.get("image"))) if u],
    }
    fields: dict[str, Any] = {}
    for name, read in readers.items():
        try:
            fields[name] = read()
        except Exception:  # one odd value (a type, a nesting) costs that field only
            logger.debug("skipped JSON-LD field %s", name, exc_info=True)
            fields[name] = [] if name in ("authors", "tags", "images") else None
    return fields


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return value.strip() or None if isinstance(value, str) else None


def _person_name(value: Any) -> str | None:
    """A name from a Person/Organization object, a plain string (maybe a URL), or None."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            name = ", ".join(n for n in name if isinstance(n, str))
        if isinstance(name, str) and name.strip():
            return name.strip()
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return f"{given} {family}".strip()
        for key in ("url", "@id", "sameAs"):
            if isinstance(value.get(key), str) and value[key].startswith("http"):
                return value[key]
    return None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = [v for v in value if isinstance(v, str)]
    else:
        return []
    return [i.strip() for i in items if i.strip()]


def _image_url(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        url = value.get("url") or value.get("contentUrl")
        return url if isinstance(url, str) else None
    return None
