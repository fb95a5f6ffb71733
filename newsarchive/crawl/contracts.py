"""Spider contracts for article callbacks: what a working site spider must get out of an article page.

Each contract checks every record the callback returned, and fails with a message that names the
field and shows what was found, so a failing `scrapy check` says how the site's layout broke:

    @authors [N]       at least N (default 1) author names, each already normalized
    @published_iso     `published` is ISO 8601 (a date, or a date-time)
    @min_words N       the body has at least N words
    @copyright         a normalized copyright notice (normalize_copyright's dict) is present
    @no_boilerplate    `text` holds no ad, newsletter, share or read-more prompt, no byline and no copyright line

Registered in SPIDER_CONTRACTS (newsarchive/settings.py). They run offline in CI through replay mode
(`scrapy check -s REPLAY_WARC=tests/fixtures/contracts/`) and live against the sites without it.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail

#: Phrases that belong to the page around an article, never to its text.
BOILERPLATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.I | re.M))
    for label, pattern in (
        ("advertisement", r"^\s*advertisement\s*$|\bADVERTISEMENT\b"),
        ("read more", r"\bread more\b"),
        ("sign up", r"\bsign up\b"),
        ("newsletter prompt", r"\bsubscribe to (?:our|the) newsletter\b"),
        ("share prompt", r"\bshare (?:this|on (?:facebook|twitter|x|linkedin|reddit))\b"),
        ("copyright line", r"(?:©|\(c\)|\bcopyright\b)\s*(?:©\s*)?(?:\d{4}|by\b)|\ball rights reserved\b"),
        ("byline line", r"^\s*by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)+\s*$"),
    )
)


def records_in(output: list[Any]) -> list[dict]:
    return [ItemAdapter(item).asdict() for item in output if is_item(item)]


def is_iso8601(value: Any) -> bool:
    """A date (YYYY-MM-DD) or a date-time with or without offset, as Python's ISO parser reads them."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        (datetime if "T" in value else date).fromisoformat(value)
    except ValueError:
        return False
    return True


def is_normalized_name(name: Any) -> bool:
    """A name that normalize_byline leaves as it is: no 'By', no role, no handle, no shouting."""
    from newsarchive.normalize.byline import normalize_byline

    return isinstance(name, str) and bool(name.strip()) and normalize_byline(name) == [name]


def boilerplate_in(text: str) -> list[str]:
    """Labels of the boilerplate kinds found in `text`, with the matching words."""
    return [f"{label} ({m.group(0).strip()!r})" for label, pattern in BOILERPLATE_PATTERNS if (m := pattern.search(text))]


class RecordContract(Contract):
    """Base: run `problem(record)` on every record; the first problem fails the contract."""

    def __init__(self, method, *args: str):
        # An argument-less contract line leaves one empty argument behind.
        super().__init__(method, *(arg for arg in args if arg))

    def post_process(self, output: list[Any]) -> None:
        records = records_in(output)
        if not records:
            raise ContractFail(f"@{self.name}: the callback returned no article record")
        for record in records:
            problem = self.problem(record)
            if problem:
                raise ContractFail(f"@{self.name}: {problem} ({record.get('url')})")

    def problem(self, record: dict) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError


class AuthorsContract(RecordContract):
    """@authors [N]: at least N (default 1) normalized author names."""

    name = "authors"

    def problem(self, record: dict) -> str | None:
        minimum = int(self.args[0]) if self.args else 1
        authors = record.get("authors") or []
        if len(authors) < minimum:
            return f"expected at least {minimum} author(s), got {authors!r} (byline {record.get('byline')!r})"
        odd = [a for a in authors if not is_normalized_name(a)]
        return f"authors not normalized: {odd!r}" if odd else None


class PublishedIsoContract(RecordContract):
    """@published_iso: `published` is an ISO 8601 date or date-time."""

    name = "published_iso"

    def problem(self, record: dict) -> str | None:
        published = record.get("published")
        if is_iso8601(published):
            return None
        return f"published {published!r} is not ISO 8601 (raw {record.get('published_raw')!r})"


class MinWordsContract(RecordContract):
    """@min_words N: the body has at least N words."""

    name = "min_words"

    def problem(self, record: dict) -> str | None:
        if not self.args or not self.args[0].isdigit():
            return "needs a number: @min_words N"
        minimum = int(self.args[0])
        words = record.get("word_count")
        if words is None:
            words = len((record.get("text") or "").split())
        return None if words >= minimum else f"body has {words} words, expected at least {minimum}"


class CopyrightContract(RecordContract):
    """@copyright: a normalized copyright notice with a year or a holder."""

    name = "copyright"

    def problem(self, record: dict) -> str | None:
        notice = record.get("copyright")
        if not isinstance(notice, dict) or not notice.get("text"):
            return f"no copyright notice found (got {notice!r})"
        if not (notice.get("years") or notice.get("holder")):
            return f"copyright notice has neither year nor holder: {notice.get('text')!r}"
        return None


class NoBoilerplateContract(RecordContract):
    """@no_boilerplate: no ad, read-more, sign-up, share prompt, byline or copyright line in `text`."""

    name = "no_boilerplate"

    def problem(self, record: dict) -> str | None:
        found = boilerplate_in(record.get("text") or "")
        return f"boilerplate in text: {', '.join(found)}" if found else None
