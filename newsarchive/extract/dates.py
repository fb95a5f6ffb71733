"""Published and modified dates: ranked sources, kept apart, normalized to ISO 8601.

Sources, best first: a site rule; JSON-LD; specific meta tags (article:published_time,
parsely-pub-date, ...); dated markup (itemprop=datePublished, <time pubdate>); the date the
page shows near its headline; generic meta tags ("date") and the first <time>; the URL.

- When the structured sources disagree, the one the visible date confirms wins.
- Without a structured date, htmldate (the library trafilatura uses) reads the page as a whole
  (markup, text patterns, URL as a last resort) and ranks just below the date shown under the
  headline: a candidate next to the others, never above a stated publication date.
- A day-only winner takes the full timestamp of another source on that same day.
- A UTC timestamp whose calendar day differs from the day the page states under its headline,
  by no more than a time zone can make it differ ("2016-12-29T01:32Z" on a page dated December
  28), is published on the stated day: the page's own calendar is the publication day. The
  date is then day-only, as the page gives no offset to re-express the instant in.
- A UTC timestamp is shown in the page's own offset when the page also prints the same instant
  in local time ("9:25pm" next to "02:25Z"): ISO 8601 with the page's offset, same instant.
- A URL date is the last resort, so it never overrides a timestamp in metadata.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from lxml import etree

from newsarchive.extract.document import element_text, in_region
from newsarchive.extract.meta import MODIFIED_KEYS, PUBLISHED_KEYS
from newsarchive.normalize.dates import date_from_url, day_of, has_time, normalize_date

__all__ = ["DateFinding", "find_published", "find_modified", "visible_dates"]

logger = logging.getLogger(__name__)

# Meta keys that name the publication date only loosely (or are reused for other dates).
_WEAK_KEYS = frozenset({"date", "dc.date", "timestamp", "displaydate", "publicationdate"})
# Tested on the class attribute node, so elements without a class cost one check.
_DATE_MARKUP = (
    "self::time or @class[contains(., 'date') or contains(., 'Date') or contains(., 'time')"
    " or contains(., 'publish') or contains(., 'posted') or contains(., 'stand') or contains(., 'byline')"
    " or contains(., 'meta') or contains(., 'author') or contains(., 'autor')] or @id[contains(., 'date')]")
_DATED_ELEMENTS = etree.XPath(f"//body//*[{_DATE_MARKUP}]")
_FIRST_H1 = etree.XPath("(//h1)[1]")
_SKIP_REGIONS = ("comment", "related", "recommend", "sidebar", "footer", "teaser", "trending", "popular", "nav")
_MAX_VISIBLE = 100


@dataclass(frozen=True)
class DateFinding:
    value: str  # normalized ISO 8601
    raw: str  # the string it came from
    source: str  # provenance: site, jsonld, meta, html, url


def _markup_dates(tree, prop: str) -> list[str]:
    values = []
    for element in tree.xpath(f'//*[@itemprop="{prop}"]')[:3]:
        value = element.get("datetime") or element.get("content") or (element.text or "").strip()
        if value:
            values.append(value)
    if prop == "datePublished":
        for element in tree.xpath("//time[@pubdate or @data-pubdate]")[:2]:
            value = element.get("datetime") or element.get("pubdate") or (element.text or "").strip()
            if value:
                values.append(value)
    return values


def _first_time_element(tree) -> list[str]:
    scoped = tree.xpath("(//article//time[@datetime] | //header//time[@datetime] | //main//time[@datetime])[1]")
    return [t.get("datetime") for t in (scoped or tree.xpath("(//time[@datetime])[1]"))]


def visible_dates(tree) -> list[tuple[str, str, bool]]:
    """[(text, normalized, below_headline)] of short date texts the page shows; those after the
    first <h1> (the headline area) come first, in page order."""
    try:
        elements = _DATED_ELEMENTS(tree)
        h1 = _FIRST_H1(tree)
    except etree.XPathError:
        return []
    h1_line = (h1[0].sourceline or 0) if h1 else 0
    order: dict | None = None
    after, before = [], []
    for element in elements:
        if len(after) >= 40 or len(before) + len(after) >= 120:
            break
        line = element.sourceline or 0
        if h1 and line == h1_line:
            # Same source line (minified HTML): fall back to document order, computed once.
            if order is None:
                order = {el: i for i, el in enumerate(tree.iter())}
            is_after = order.get(element, 0) > order.get(h1[0], 0)
        else:
            is_after = line > h1_line
        (after if is_after else before).append(element)
    found: list[tuple[str, str, bool]] = []
    for group in (after, before):
        below = group is after and bool(h1)
        for element in group:
            text = element_text(element)
            if not text or len(text) > _MAX_VISIBLE or _in_skipped_region(element):
                continue
            value = normalize_date(_strip_labels(text))
            if value and (text, value, below) not in found:
                found.append((text, value, below))
            if len(found) >= 6:
                return found
        if found:
            break
    return found


def _strip_labels(text: str) -> str:
    # "Stand: 28.04.2020 18:00 Uhr", "Published 3/5/2022" -> the date part is what parses.
    return re.sub(r"^\W*[^\W\d]+\s*:\s*", "", text)


def _in_skipped_region(element) -> bool:
    return in_region(element, _SKIP_REGIONS)


def _candidates(raw_values: list[tuple[str, str]]) -> list[DateFinding]:
    found = []
    for source, raw in raw_values:
        value = normalize_date(raw)
        if value:
            found.append(DateFinding(value, raw, source))
    return found


def _with_precision(best: DateFinding, others: list[DateFinding]) -> DateFinding:
    """A day-only finding upgraded to a same-day timestamp from another source."""
    if has_time(best.value):
        return best
    for other in others:
        if has_time(other.value) and day_of(other.value) == best.value:
            return other
    return best


def _localized(best: DateFinding, local_values: list[str]) -> DateFinding:
    """A UTC timestamp re-expressed in the offset of a local timestamp of the same instant."""
    if not has_time(best.value) or not best.value.endswith("+00:00"):
        return best
    try:
        instant = datetime.fromisoformat(best.value)
    except ValueError:
        return best
    for value in local_values:
        if not has_time(value) or value.endswith("+00:00") or "+" in value[10:] or value.count("-") > 2:
            continue  # only naive local times say which offset the page uses
        try:
            local = datetime.fromisoformat(value)
        except ValueError:
            continue
        delta = local.replace(second=0) - instant.replace(tzinfo=None, second=0)
        minutes = delta.total_seconds() / 60
        if minutes and abs(minutes) <= 14 * 60 and minutes % 15 == 0:
            shifted = instant.astimezone(timezone(timedelta(minutes=minutes)))
            return DateFinding(shifted.isoformat(timespec="seconds"), best.raw, best.source)
    return best


def _stated_day(best: DateFinding, below: list[DateFinding]) -> DateFinding:
    """The day the page states, for a UTC instant a time zone puts on that day (see module doc)."""
    if not has_time(best.value) or not best.value.endswith("+00:00"):
        return best
    day_only = [f for f in below if not has_time(f.value)]
    if not day_only or day_only[0].value == day_of(best.value):
        return best
    try:
        instant = datetime.fromisoformat(best.value)
    except ValueError:
        return best
    reachable = {day_of((instant + timedelta(hours=h)).isoformat()) for h in (-12, 0, 14)}
    stated = day_only[0]
    return DateFinding(stated.value, stated.raw, stated.source) if stated.value in reachable else best


def _choose(strong: list[DateFinding], weak: list[DateFinding], shown: list[tuple[str, str, bool]],
            url_dates: list[DateFinding], whole_page: Callable[[], DateFinding | None] = lambda: None,
            ) -> DateFinding | None:
    shown_days = [day_of(v) for _, v, _ in shown]
    shown_findings = [DateFinding(v, t, "html") for t, v, _ in shown]
    # A date above the headline is often the masthead's "today": it ranks below the URL.
    below = [f for f, (_, _, is_below) in zip(shown_findings, shown) if is_below]
    above = [f for f, (_, _, is_below) in zip(shown_findings, shown) if not is_below]
    best = None
    if strong:
        best = strong[0]
        if shown_days and day_of(best.value) != shown_days[0]:
            agreeing = [c for c in strong if day_of(c.value) == shown_days[0]]
            if agreeing:
                best = agreeing[0]
    else:
        page_date = None if below else whole_page()
        best = next(iter(below + ([page_date] if page_date else []) + weak + url_dates + above), None)
    if best is None:
        return None
    best = _with_precision(best, strong + weak + shown_findings)
    best = _localized(best, [c.value for c in strong + weak + shown_findings])
    return _stated_day(best, below)


def find_published(tree, jsonld: dict, tags: dict[str, list[str]], url: str,
                   site_value: str | None = None) -> DateFinding | None:
    """The publication date, or None."""
    strong_raw: list[tuple[str, str]] = []
    if site_value:
        strong_raw.append(("site", site_value))
    if jsonld.get("published"):
        strong_raw.append(("jsonld", jsonld["published"]))
    strong_raw.extend(("meta", v) for key in PUBLISHED_KEYS if key not in _WEAK_KEYS for v in tags.get(key, [])[:1])
    strong_raw.extend(("html", v) for v in _markup_dates(tree, "datePublished"))
    weak_raw = [("meta", v) for key in PUBLISHED_KEYS if key in _WEAK_KEYS for v in tags.get(key, [])[:1]]
    weak_raw.extend(("html", v) for v in _first_time_element(tree))
    url_day = date_from_url(url)
    strong = _candidates(strong_raw)
    if strong and strong[0].source == "site":
        return strong[0]
    return _choose(strong, _candidates(weak_raw), visible_dates(tree),
                   [DateFinding(url_day, url_day, "url")] if url_day else [],
                   lambda: _htmldate(tree, url, {url_day}, _modified_days(tree, jsonld, tags)))


def _modified_days(tree, jsonld: dict, tags: dict[str, list[str]]) -> set[str]:
    found = find_modified(tree, jsonld, tags)
    return {day_of(found.value)} if found else set()


def _htmldate(tree, url: str, url_days: set[str | None], modified_days: set[str]) -> DateFinding | None:
    """htmldate's publication date for the whole page, or None.

    None too when it is only the URL's day (the URL candidate says so itself, ranked last) or
    a modification date's day: a "modified" date never stands in for a publication date."""
    try:
        from htmldate import find_date

        value = find_date(tree, extensive_search=True, original_date=True, url=url or None,
                          deferred_url_extractor=True)
    except Exception:  # third-party code on hostile input: contain it
        logger.debug("htmldate failed", exc_info=True)
        return None
    value = normalize_date(value) if value else None
    if not value or value in url_days or day_of(value) in modified_days:
        return None
    return DateFinding(value, value, "htmldate")


def find_modified(tree, jsonld: dict, tags: dict[str, list[str]], site_value: str | None = None) -> DateFinding | None:
    """The last-modified date, or None; never taken from the published sources."""
    raw: list[tuple[str, str]] = []
    if site_value:
        raw.append(("site", site_value))
    if jsonld.get("modified"):
        raw.append(("jsonld", jsonld["modified"]))
    raw.extend(("meta", v) for key in MODIFIED_KEYS for v in tags.get(key, [])[:1])
    raw.extend(("html", v) for v in _markup_dates(tree, "dateModified"))
    found = _candidates(raw)
    return _with_precision(found[0], found[1:]) if found else None
