"""OpenGraph, Twitter, Dublin Core, Parse.ly, Sailthru and plain <meta> tags.

meta_tags() reads every <meta> once into {lowercased name/property/itemprop: [values]}; the
helpers below pick a field by a fixed order of keys, from most to least specific.
"""
from __future__ import annotations

import json

from newsarchive.normalize.text import clean_inline

__all__ = ["meta_tags", "first_meta", "all_meta", "TITLE_KEYS", "DESCRIPTION_KEYS", "AUTHOR_KEYS",
           "PUBLISHED_KEYS", "MODIFIED_KEYS", "SECTION_KEYS", "TAG_KEYS", "IMAGE_KEYS", "COPYRIGHT_KEYS"]

TITLE_KEYS = ("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "dcterms.title",
              "headline", "title")
DESCRIPTION_KEYS = ("og:description", "description", "twitter:description", "dc.description",
                    "dcterms.description", "sailthru.description")
AUTHOR_KEYS = ("article:author", "author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
               "byl", "citation_author", "article.author", "cxenseparse:author", "twitter:data1:author",
               "og:article:author", "author_name", "authors")
PUBLISHED_KEYS = ("article:published_time", "og:article:published_time", "article:published", "published_time",
                  "datepublished", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
                  "dcterms.created", "dc.date.created", "article.published", "publishdate", "publish-date",
                  "publish_date", "pubdate", "date", "dc.date", "citation_publication_date", "citation_date",
                  "og:published_time", "article_date_original", "originalpublicationdate", "displaydate",
                  "cxenseparse:recs:publishtime", "datecreated", "article.created", "timestamp")
MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
                 "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "article.updated",
                 "modified_time")
SECTION_KEYS = ("article:section", "og:article:section", "parsely-section", "section", "sailthru.section",
                "articlesection", "category")
TAG_KEYS = ("article:tag", "og:article:tag", "parsely-tags", "sailthru.tags", "news_keywords", "keywords")
IMAGE_KEYS = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src",
              "thumbnail", "parsely-image-url")
COPYRIGHT_KEYS = ("copyright", "dc.rights", "dcterms.rights", "rights", "dc.rights.copyright", "article:copyright")


def meta_tags(tree) -> dict[str, list[str]]:
    """All <meta> values keyed by lowercased name, property or itemprop (itemprop from any element)."""
    tags: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
        value = meta.get("content")
        if value is None:
            value = meta.get("value")
        if key and value:
            value = clean_inline(value)
            if value:
                tags.setdefault(key.strip().lower(), []).append(value)
    parsely = tags.get("parsely-page")
    if parsely:
        _add_parsely_page(parsely[0], tags)
    return tags


def _add_parsely_page(raw: str, tags: dict[str, list[str]]) -> None:
    """Old Parse.ly pages put everything in one JSON value."""
    try:
        data = json.loads(raw)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for field, key in (("title", "parsely-title"), ("author", "parsely-author"), ("pub_date", "parsely-pub-date"),
                       ("section", "parsely-section")):
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            tags.setdefault(key, []).append(value.strip())
    if isinstance(data.get("authors"), list):
        for name in data["authors"]:
            if isinstance(name, str):
                tags.setdefault("parsely-author", []).append(name)


def first_meta(tags: dict[str, list[str]], keys: tuple[str, ...]) -> tuple[str, str] | None:
    """(key, value) of the first key present."""
    for key in keys:
        values = tags.get(key)
        if values:
            return key, values[0]
    return None


def all_meta(tags: dict[str, list[str]], keys: tuple[str, ...]) -> list[str]:
    """Values of the first key present, all of them (article:tag and article:author repeat)."""
    for key in keys:
        if tags.get(key):
            return list(tags[key])
    return []
