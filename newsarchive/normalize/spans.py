"""Byline spans: cut a raw byline into candidate spans and say what each one is.

A byline is a sequence of spans set apart by separators: "By Jane Doe, Senior Editor | CNN
Business | May 6, 2024 | @jdoe". Each span is a person's name or something else: a role, a desk,
an outlet or agency, a date or time, a place, a social handle, an e-mail address, a URL, or a
label ("By", "Author:"). The classifier decides from the span's shape (digits, "@", "://",
capitalisation, length) and from vocabularies of roles, outlets and date words in several
languages, plus the date parser; it knows no site.

segment() gives the spans of a raw string; classify_span() one span's kind. normalize_byline
uses the classifier to decide which items are names (newsarchive.normalize.byline).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from newsarchive.normalize.dates import normalize_date
from newsarchive.normalize.fold import fold_word
from newsarchive.normalize.names_vocabulary import (
    AGENCIES,
    BY_WORDS,
    MONTHS,
    OUTLET_WORDS,
    PLACEHOLDERS,
    RELATIVE_TIME_WORDS,
    ROLE_GLUE,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    UI_WORDS,
    WEEKDAYS,
)

__all__ = ["Span", "SpanClass", "segment", "classify_span", "KINDS"]

KINDS = ("person", "outlet", "role", "date", "handle", "email", "url", "label", "other")

# Strong separators between spans, and list separators inside them; both are kept out of spans.
_SEPARATORS = re.compile(
    r"\s*(?:[|•·▪◆►»«\n\r\t()\[\]{}<>;,]|\s/\s|\s[-–—]+\s|\s(?:and|And|und|et|og|och|&|\+)\s)\s*")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}$")
_CLOCK = re.compile(r"\b\d{1,2}[:h.]\d{2}\b|\b\d{1,2}\s?(?:a\.?m\.?|p\.?m\.?)(?!\w)", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[^\W\d_]\.)+$|^[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")
_MAX_SPAN_WORDS = 8


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class SpanClass:
    kind: str  # one of KINDS
    reason: str  # the feature that decided, for debugging and tests


def segment(raw: str) -> list[Span]:
    """The spans of a raw byline between separators (URLs and e-mail addresses stay whole), in order."""
    if not isinstance(raw, str) or not raw:
        return []
    spans: list[Span] = []
    protected = [(m.start(), m.end()) for m in _URL.finditer(raw)] + [(m.start(), m.end()) for m in _EMAIL.finditer(raw)]
    protected.sort()
    pos = 0
    for start, end in protected + [(len(raw), len(raw))]:
        if start < pos:
            continue
        spans.extend(_split(raw, pos, start))
        if end > start:
            spans.append(Span(raw[start:end], start, end))
        pos = end
    return spans


def _split(raw: str, lo: int, hi: int) -> list[Span]:
    out, pos = [], lo
    for match in _SEPARATORS.finditer(raw, lo, hi):
        _add(raw, pos, match.start(), out)
        pos = match.end()
    _add(raw, pos, hi, out)
    return out


def _add(raw: str, start: int, end: int, out: list[Span]) -> None:
    text = raw[start:end]
    stripped = text.strip(" .:-–—'\"“”‘’")
    if stripped:
        offset = text.index(stripped)
        out.append(Span(stripped, start + offset, start + offset + len(stripped)))


def classify_span(text: str) -> SpanClass:
    """What one span is: see KINDS. Never raises."""
    if not isinstance(text, str):
        return SpanClass("other", "not text")
    span = text.strip(" \t.,;:|-–—'\"“”‘’()[]")
    if not span:
        return SpanClass("other", "empty")
    if _URL.fullmatch(span):
        return SpanClass("url", "url shape")
    if _EMAIL.fullmatch(span):
        return SpanClass("email", "e-mail shape")
    if _HANDLE.match(span):
        return SpanClass("handle", "@ handle")
    words = span.split()
    if not words:  # only characters that split() counts as space ("\x1f")
        return SpanClass("other", "empty")
    folded = [fold_word(w.strip(".,:;")) for w in words]
    if folded[0] in BY_WORDS and len(words) == 1 or text.rstrip().endswith(":") and len(words) <= 3:
        return SpanClass("label", "by-word or label")
    if len(words) == 1 and folded[0] in PLACEHOLDERS:
        return SpanClass("other", "placeholder")  # "Staff", "Admin": a credit that names nobody
    if _is_date(span, folded):
        return SpanClass("date", "date or time")
    if fold_word(span) in AGENCIES or (len(words) >= 2 and fold_word(" ".join(words[:-1])) in AGENCIES
                                       and folded[-1] in ROLE_MODIFIERS):
        return SpanClass("outlet", "known agency or outlet")
    if _is_outlet(words, folded):
        return SpanClass("outlet", "outlet word")
    if _is_role(folded):
        return SpanClass("role", "role vocabulary")
    if fold_word(span) in PLACEHOLDERS or all(f in UI_WORDS for f in folded):
        return SpanClass("other", "placeholder or interface word")
    if any(ch.isdigit() for ch in span) or len(words) > _MAX_SPAN_WORDS:
        return SpanClass("other", "digits or too long")
    if _is_person(words):
        return SpanClass("person", "name shape")
    return SpanClass("other", "no name shape")


def _is_date(span: str, folded: list[str]) -> bool:
    if _CLOCK.search(span):
        return True
    if any(f in RELATIVE_TIME_WORDS for f in folded) and (any(ch.isdigit() for ch in span) or len(folded) <= 2):
        return True
    if any(f in MONTHS or f in WEEKDAYS for f in folded) and any(ch.isdigit() for ch in span):
        return True
    return bool(any(ch.isdigit() for ch in span) and normalize_date(span))


def _is_outlet(words: list[str], folded: list[str]) -> bool:
    """A capitalised phrase that ends in an outlet word ("CBC News", "Tech Wire") or starts with
    "The" ("The Daily Planet")."""
    if len(words) < 2 or len(words) > 6:
        return False
    if folded[0] == "the" and all(w[:1].isupper() for w in words[1:]):
        return True  # "The Motley Fool": people's names do not start with an article
    if folded[-1] not in OUTLET_WORDS and folded[0] not in OUTLET_WORDS:
        return False  # "CBC News"; Romance languages put the word first: "Diario del Puerto"
    return all(w[:1].isupper() or w[:1].isdigit() or fold_word(w) in ROLE_GLUE for w in words)


def _is_role(folded: list[str]) -> bool:
    """A role phrase: role modifiers and glue around a role noun ("Senior Editor at Large")."""
    if not any(f in ROLE_NOUNS for f in folded):
        return False
    first = next(i for i, f in enumerate(folded) if f in ROLE_NOUNS)
    return all(f in ROLE_MODIFIERS or f in ROLE_GLUE or f in ROLE_NOUNS for f in folded[:first])


def _is_person(words: list[str]) -> bool:
    """Name shape: one to five name words, capitalised (or written all in one case), or initials."""
    if len(words) > 5:
        return False
    letters_words = [w for w in words if any(ch.isalpha() for ch in w)]
    if not letters_words or not all(_NAME_WORD.match(w) for w in words):
        return False
    if len(words) == 1:
        return len(words[0]) >= 2 and not words[0].islower()
    return all(w[:1].isupper() or fold_word(w) in _PARTICLES for w in words) or all(w.islower() for w in words) \
        or all(w.isupper() for w in words)


_PARTICLES = frozenset({"de", "la", "le", "du", "des", "del", "della", "di", "da", "dos", "do", "van", "von", "der",
                        "den", "ter", "ten", "zu", "y", "e", "bin", "ibn", "al", "el", "af", "av"})
