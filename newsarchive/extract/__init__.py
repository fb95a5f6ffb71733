"""Page -> the page-level fields of an article record (export.record.PageFields), offline, in one parse.

Each field comes from the most reliable source that has it: a site rule, JSON-LD, meta tags,
the page's markup (<h1>, <time>, byline elements, footer), the generic body extractor, the
URL. `provenance` names the winner per field: "site", "jsonld", "meta", "html", "body", "url"
or "heuristic".

One bad field never costs the record: each field is extracted on its own, and a field whose
extraction fails is left empty and named in `problems` (present only when something failed).
Every string in the record is JSON- and UTF-8-encodable: lone surrogates become U+FFFD and
control characters other than newline and tab are dropped.

`charset`, `charset_source` and `charset_conflict` say how the bytes were decoded and whether
the HTTP header's charset lost to better evidence (newsarchive.extract.charset).

Site rules (`site_rules=`, set by a site spider as its `site_rules` attribute) override single
fields; see newsarchive.extract.rules for their form. Fields a rule may set: title,
description, authors, byline, published, modified, section, tags, language, text,
canonical_url.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin

from newsarchive.base.urls import canonical_url, normalize_url, site_of
from newsarchive.extract.authors import choose_authors, publisher_name
from newsarchive.extract.body import body_blocks, with_visible_standfirst
from newsarchive.extract.byline import credit_from_text, visible_byline
from newsarchive.extract.charset import decide_charset, repair_mojibake
from newsarchive.extract.copyright import find_copyright
from newsarchive.extract.dates import find_modified, find_published
from newsarchive.extract.document import parse_html
from newsarchive.extract.images import find_images
from newsarchive.extract.language import language_fields
from newsarchive.extract.jsonld import article_fields, find_article, jsonld_objects
from newsarchive.extract.meta import (
    AUTHOR_KEYS,
    DESCRIPTION_KEYS,
    SECTION_KEYS,
    TAG_KEYS,
    TITLE_KEYS,
    all_meta,
    first_meta,
    meta_tags,
)
from newsarchive.extract.rules import apply_site_rules
from newsarchive.extract.title import choose_title
from newsarchive.normalize.copyright import normalize_copyright
from newsarchive.normalize.encodable import encodable
from newsarchive.normalize.text import clean_blocks, clean_inline, join_blocks, text_digest, word_count

logger = logging.getLogger(__name__)

__all__ = ["extract_article", "empty_record", "site_of"]


def empty_record(url: str) -> dict:
    """The record shape with every page-level field empty."""
    return {
        "url": url, "canonical_url": None, "site": site_of(url), "title": None, "description": None,
        "authors": [], "byline": None, "published": None, "modified": None, "published_raw": None,
        "section": None, "tags": [], "language": None, "language_declared": None,
        "language_confidence": None, "text": "", "word_count": 0, "copyright": None,
        "images": [], "text_digest": text_digest(""), "provenance": {},
        "charset": None, "charset_source": None, "charset_conflict": False,
    }


def extract_article(body: bytes, url: str, *, encoding: str | None = None,
                    site_rules: Mapping[str, Any] | None = None) -> dict:
    """One article record from a page's bytes. Never raises on bad HTML: returns what it can.

    `encoding` is the charset the HTTP Content-Type declared, or None.
    """
    url = encodable(url) if isinstance(url, str) else ""
    try:
        record = _extract(body, url, encoding, site_rules)
        cleaned = encodable(record)
        if cleaned != record:  # a lone surrogate or a control character came from the page: say so
            cleaned.setdefault("problems", []).append("text: unencodable_text")
        return cleaned
    except Exception:  # the crawl must go on; an empty record is counted by the caller
        logger.exception("extraction failed for %s", url)
        return empty_record(url)


class _Problems:
    """The fields whose extraction failed; each failure is contained to its field."""

    def __init__(self) -> None:
        self.names: list[str] = []

    @contextmanager
    def field(self, name: str) -> Iterator[None]:
        try:
            yield
        except Exception as exc:  # one bad field (JSON-LD node, meta value) must not cost the record
            logger.warning("could not extract %s: %s: %s", name, type(exc).__name__, str(exc)[:200])
            self.names.append(f"{name}: {type(exc).__name__}")


def _extract(body: bytes, url: str, encoding: str | None, site_rules) -> dict:
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    record = empty_record(url)
    decision = decide_charset(bytes(body or b""), encoding if isinstance(encoding, str) else None)
    record["charset"], record["charset_source"] = decision.codec, decision.source
    record["charset_conflict"] = decision.conflict
    tree = parse_html(repair_mojibake(decision.text))
    provenance: dict[str, str] = {}
    problems = _Problems()

    rules, objects, ld, tags = {}, [], {}, {}
    with problems.field("site_rules"):
        rules = apply_site_rules(tree, site_rules) if site_rules else {}
    with problems.field("jsonld"):
        objects = jsonld_objects(tree)
        article = find_article(objects, url)
        ld = article_fields(article, objects) if article else {}
    with problems.field("meta"):
        tags = meta_tags(tree)

    def pick(field: str, *sources: tuple[str, Any]) -> Any:
        for source, value in sources:
            if value:
                provenance[field] = source
                return value
        return None

    # ---- where: canonical URL and site
    canonical = None
    with problems.field("canonical_url"):
        canonical_link = tree.xpath('//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href')
        og_url = first_meta(tags, ("og:url",))
        canonical = pick("canonical_url", ("site", rules.get("canonical_url")),
                         ("html", canonical_link[0].strip() if canonical_link else None),
                         ("meta", og_url[1] if og_url else None), ("jsonld", ld.get("canonical_url")))
        if canonical:
            canonical = _absolute(url, canonical)
        # The declared canonical when on this site, else the normalized fetched URL (base/urls.py).
        record["canonical_url"] = canonical_url(url, canonical)
        if not canonical or record["canonical_url"] != normalize_url(canonical):
            provenance["canonical_url"] = "url"
        record["site"] = site_of(canonical) or site_of(url)

    # ---- title and description
    site_names = [record["site"], record["site"].split(".")[0], _brand_label(record["site"])]
    with problems.field("title"):
        site_names = [n for n in (first_meta(tags, ("og:site_name", "application-name", "twitter:site"))
                                  or ("", ""))[1:] if n] + site_names
        if rules.get("title"):
            record["title"], provenance["title"] = clean_inline(rules["title"]), "site"
        else:
            meta_title = first_meta(tags, TITLE_KEYS)
            candidates = [("jsonld", ld.get("title")), ("meta", meta_title[1] if meta_title else None)]
            record["title"], source = choose_title(tree, [c for c in candidates if c[1]], site_names)
            if source:
                provenance["title"] = source
    with problems.field("description"):
        description = first_meta(tags, DESCRIPTION_KEYS)
        record["description"] = clean_inline(pick("description", ("site", rules.get("description")),
                                                  ("jsonld", ld.get("description")),
                                                  ("meta", description[1] if description else None))) or None

    # ---- authors and byline
    raw_byline, authors = None, []
    with problems.field("authors"):
        raw_byline, visible_names = visible_byline(tree)
        authors, structured_raw, source = choose_authors(
            [("site", rules.get("authors") or []), ("jsonld", ld.get("authors") or []),
             ("meta", all_meta(tags, AUTHOR_KEYS))],
            visible_names, raw_byline, site_names + [publisher_name(objects)])
        if source:
            provenance["authors"] = source
        record["authors"] = authors
        record["byline"] = pick("byline", ("site", rules.get("byline")), ("html", raw_byline),
                                (provenance.get("authors", "jsonld"), ", ".join(structured_raw) or None))

    # ---- dates
    with problems.field("published"):
        published = find_published(tree, ld, tags, url, rules.get("published"))
        if published:
            record["published"], record["published_raw"] = published.value, published.raw
            provenance["published"] = published.source
    with problems.field("modified"):
        modified = find_modified(tree, ld, tags, rules.get("modified"))
        if modified:
            record["modified"] = modified.value
            provenance["modified"] = modified.source

    # ---- section, tags, language
    with problems.field("section"):
        section = first_meta(tags, SECTION_KEYS)
        record["section"] = clean_inline(pick("section", ("site", rules.get("section")),
                                              ("jsonld", ld.get("section")),
                                              ("meta", section[1] if section else None))) or None
    with problems.field("tags"):
        meta_tag_values = [t.strip() for value in all_meta(tags, TAG_KEYS) for t in value.split(",")]
        record["tags"] = _unique(pick("tags", ("site", rules.get("tags")), ("jsonld", ld.get("tags")),
                                      ("meta", meta_tag_values)) or [])
    declared_language = None
    with problems.field("language"):
        declared_language = _language(tree, tags, ld, rules, provenance)

    # ---- copyright: the notice is its own field; clean_blocks keeps notice lines out of the text
    with problems.field("copyright"):
        record["copyright"], _, source = find_copyright(tree, ld, tags)
        if source:
            provenance["copyright"] = source

    # ---- body
    with problems.field("text"):
        if rules.get("text"):
            blocks, source = list(rules["text"]), "site"
        else:
            blocks, source = body_blocks(tree, url), "body"
            if not blocks and isinstance(ld.get("body"), str):
                blocks, source = ld["body"].split("\n"), "jsonld"
        if not record["authors"] and not rules.get("text"):
            credit, names = credit_from_text(blocks)
            if names:
                record["authors"], provenance["authors"] = names, "heuristic"
                record["byline"] = record["byline"] or credit
        if source == "body" and record["description"]:
            blocks = with_visible_standfirst(tree, blocks, record["description"])
        lines = clean_blocks(blocks, title=record["title"], byline=raw_byline, authors=authors,
                             is_copyright=_is_copyright_line)
        text = join_blocks(lines)
        if text:
            provenance["text"] = source
        record["text"], record["word_count"], record["text_digest"] = text, word_count(text), text_digest(text)
    with problems.field("language"):
        # From the text (extract/language.py), the page's declared language kept beside it.
        record.update(language_fields(record["text"], declared_language, provenance))

    with problems.field("images"):
        record["images"] = find_images(tree, ld, tags, canonical or url)
    record["provenance"] = provenance
    if problems.names:
        record["problems"] = problems.names
    return record


# Second-level labels under a country domain ("bbc.co.uk", "folha.com.br").
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "ne", "or", "edu", "gv", "go"})


def _brand_label(host: str) -> str:
    """The label a site is named after: "news.bbc.co.uk" -> "bbc", "edition.cnn.com" -> "cnn"."""
    labels = host.split(".")[:-1]
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-1] if labels else ""


def _is_copyright_line(line: str) -> bool:
    return normalize_copyright(line) is not None


def _absolute(base: str, url: str) -> str:
    try:
        return urljoin(base, url.strip())
    except ValueError:
        return url


def _unique(values: list[str]) -> list[str]:
    seen, out = set(), []
    for value in values:
        value = clean_inline(value)
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def _language(tree, tags, ld, rules, provenance) -> str | None:
    html_lang = tree.get("lang") or tree.get("xml:lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    locale = first_meta(tags, ("og:locale", "content-language", "language", "dc.language"))
    value = None
    for source, candidate in (("site", rules.get("language")), ("jsonld", ld.get("language")),
                              ("html", html_lang), ("meta", locale[1] if locale else None)):
        if candidate and candidate.strip():
            value = candidate.strip().replace("_", "-").split(",")[0].strip()
            provenance["language"] = source
            break
    return value or None
