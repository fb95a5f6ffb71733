"""JSON-LD (schema.org) article metadata: the most reliable source after a site rule.

Finds the article object among every `<script type="application/ld+json">` block, through
lists, `@graph`, `mainEntity` and `@id` references, and reads its fields as raw values; the
caller normalizes them. Malformed JSON (trailing commas, raw newlines, HTML comments, CDATA)
is repaired where that is cheap, and otherwise skipped.
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
        except ValueError:
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
    path = urlsplit(url).path.rstrip("/") if url else ""
    best, best_score = None, 0
    for obj in objects:
        types = _types(obj)
        if types & ARTICLE_TYPES:
            score = 10
        elif types & _PAGE_TYPES and obj.get("headline"):
            score = 3
        else:
            continue
        if obj.get("headline"):
            score += 3
        if obj.get("datePublished"):
            score += 2
        if obj.get("author"):
            score += 2
        if obj.get("articleBody"):
            score += 1
        obj_url = obj.get("url") or _id_of(obj.get("mainEntityOfPage")) or ""
        if path and isinstance(obj_url, str) and urlsplit(obj_url).path.rstrip("/") == path:
            score += 4
        if score > best_score:
            best, best_score = obj, score
    return best


def _id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) else None


def article_fields(article: dict, objects: list[dict]) -> dict:
    """Raw field values of an article object; `@id` references resolved against `objects`."""
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}

    def resolve(value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
            return by_id[value["@id"]]
        return value

    authors = [_person_name(resolve(a)) for a in _as_list(article.get("author") or article.get("creator"))]
    canonical = article.get("url") or _id_of(article.get("mainEntityOfPage"))
    return {
        "title": _text(article.get("headline")) or _text(article.get("name")),
        "description": _text(article.get("description")),
        "authors": [a for a in authors if a],
        "published": _text(article.get("datePublished")) or _text(article.get("dateCreated")),
        "modified": _text(article.get("dateModified")),
        "section": _text(_first(article.get("articleSection"))),
        "tags": _keywords(article.get("keywords")),
        "language": _text(article.get("inLanguage")) if isinstance(article.get("inLanguage"), str) else None,
        "body": _text(article.get("articleBody")),
        "canonical_url": canonical if isinstance(canonical, str) and canonical.startswith("http") else None,
        "copyright_holder": resolve(article.get("copyrightHolder")),
        "copyright_year": article.get("copyrightYear"),
        "images": [u for u in (_image_url(resolve(i)) for i in _as_list(article.get("image"))) if u],
    }


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
