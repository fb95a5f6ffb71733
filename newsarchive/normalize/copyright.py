"""Copyright notices: "ⓒ 2021 ACME Inc. ALL RIGHTS RESERVED" -> one canonical dict.

normalize_copyright(raw) -> {"text", "years", "holder", "all_rights_reserved", "raw"} or None.

- `text` always starts with "©": every sign variant (ⓒ, (c), &copy;, "Copyright", "Copyright ©",
  "Copr.") becomes one "©"; a year range becomes "2010–2021" (en dash); the English rights
  phrase becomes "All rights reserved". Words before the sign that belong to the notice
  ("BBC © 2013", "1999-2021 (c) X") move after it; page chrome around the notice is cut off.
- `years`: the year, or [first, last] of a range, between 1900 and 2100.
- `holder`: the owner as written (legal suffixes kept, trailing punctuation dropped), or None.
- A string with no copyright sign or word but a rights phrase ("All rights reserved.") is a
  notice; a bare company name is not (the structured helper handles <meta name=copyright>).

copyright_from_structured() builds the same dict from JSON-LD copyrightHolder/copyrightYear
and <meta name="copyright">; find_copyright_line() picks the best notice among text lines.
"""
from __future__ import annotations

import functools
import html
import itertools
import logging
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from newsarchive.normalize.copyright_vocabulary import (
    HOLDER_STOP_PHRASES,
    IMAGE_CREDIT_LABELS,
    LEGAL_SUFFIXES,
    NOT_A_NOTICE_AFTER_WORD,
    REPRODUCTION_WARNINGS,
    RIGHTS_RESERVED,
)
from newsarchive.normalize.names import fold_text
from newsarchive.normalize.names_vocabulary import fold_word
from newsarchive.normalize.phrases import CJK, PhraseFinder, PhraseMatch

logger = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")

__all__ = ["normalize_copyright", "copyright_from_structured", "find_copyright_line"]

MIN_YEAR, MAX_YEAR = 1900, 2100

_SIGN = r"(?:[©ⓒⒸ]|\([cC]\))"
_WORD = r"(?:\bcopyright\b|\bcopr\.)"
# One marker: any run of signs and copyright words ("© Copyright", "Copyright (c)", "© Copyright of").
_MARKER = re.compile(rf"(?:{_SIGN}\s*|{_WORD}\s*(?:of\s+)?)+", re.IGNORECASE)
_YEAR = r"(?:19|20)\d{2}|2100"
_YEARS_AT_START = re.compile(rf"[\s,.]*(?:({_YEAR})(?:\s*[-–—]\s*({_YEAR}))?([-–—](?!\s*\d))?)(?!\d)[\s,.]*")
# Words whose final "." is no sentence end: initials ("K."), dotted abbreviations, "Co.", "Inc.".
_ABBREVIATION_END = re.compile(
    r"(?:\b[^\W\d_]|\b(?:[^\W\d_]\.)+[^\W\d_]|\b(?:co|inc|corp|ltd|bros|st|jr|sr|no|nr|mr|dr))$", re.IGNORECASE)


def normalize_copyright(raw: str) -> dict | None:
    """The canonical form of a copyright notice, or None when `raw` is not one. Never raises."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        return _normalize(raw)
    except Exception:  # a footer line must never stop a crawl
        logger.exception("could not normalize copyright %r", raw[:200])
        return None


# A sentence glued to the next one: a word of two or more lowercase letters, ".", a capitalised word.
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}\.)(?=[A-Z][a-z])")


def _clean(raw: str) -> str:
    text = html.unescape(html.unescape(raw)) if "&" in raw else raw
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\ufe0e\ufe0f\u200b-\u200f\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", "", text)
    text = _SURROGATE.sub("\ufffd", text)  # lone surrogates (from JSON "\\ud800") cannot be encoded
    text = _GLUED_SENTENCE.sub(" ", text)  # "ACME Inc.ACME is a trademark": text glued across elements
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\s]+", " ", text)
    return text.strip()


@functools.lru_cache(maxsize=None)
def _finder(phrases: tuple[str, ...]) -> PhraseFinder:
    return PhraseFinder(phrases)


def _find_phrase(folded: str, phrases: tuple[str, ...], start: int = 0) -> PhraseMatch | None:
    """Earliest match of any phrase at a word start in `folded`, from `start` (newsarchive.normalize.phrases).

    No boundary is required after the phrase: footers glue words ("All rights reservedNot ...")."""
    return _finder(phrases).search(folded, start)


# How far around a sign the notice's parts (years, holder, rights phrase, warnings) can lie.
# Reading only this window keeps the time linear in the input, however long the footer.
_CONTEXT = 200
_WINDOW_BEFORE, _WINDOW_AFTER = 300, 1500


def _find_marker(text: str) -> re.Match | None:
    """The first sign or copyright word that really introduces a notice."""
    for match in _MARKER.finditer(text):
        run = match.group()
        if re.search(r"[©ⓒⒸ]", run):
            return match
        after = text[match.end():match.end() + _CONTEXT]
        before = text[max(0, match.start() - _CONTEXT):match.start()]
        if re.match(_YEAR, after):
            return match
        if re.fullmatch(r"\s*\([cC]\)\s*", run):
            # "(c)" is also an enumeration mark: accept it next to a year only.
            if re.search(rf"(?:{_YEAR})\s*$", before):
                return match
            continue
        word = re.match(r"[\w&/]+", after)
        next_word = word.group().lower() if word else ""
        if next_word in NOT_A_NOTICE_AFTER_WORD:
            continue
        starts_upper = run.lstrip()[:1].isupper()
        if not starts_upper and before.strip() and not before.rstrip().endswith(("|", ":", ".")):
            continue  # "... the copyright holder said": prose, not a notice
        if not after.strip() and not re.search(rf"(?:{_YEAR})\W*$", before):
            continue  # a lone "Copyright" link
        if word and (word.group()[:1].isupper() or CJK.match(word.group()[:1]) or word.group()[:1].isdigit()):
            return match
        if not word and after.strip():
            return match
    return None


def _normalize(raw: str) -> dict | None:
    """Find the sign, then read outward from it: years after (or before) it, the holder up to
    the first separator, rights phrase or sentence end, a trailing year, and the rights phrase
    and reproduction warnings that close the notice. Everything else on the line is chrome."""
    text = _window(_clean(_raw_window(raw)))
    folded = fold_text(text)
    rights = _find_phrase(folded, RIGHTS_RESERVED)
    marker = _find_marker(text)
    if marker is None:
        if rights is None:
            return None
        return _rights_only_notice(text, rights, raw)

    pre_text = text[:marker.start()]
    post_start = marker.end()
    years: list[int] = []

    # Years right after the sign: "© 2010-2021 ...", "©2019, Quiller Media".
    lead_years = _YEARS_AT_START.match(text, post_start)
    year_text_after = ""
    if lead_years and lead_years.group(1):
        years = _years_of(lead_years.group(1), lead_years.group(2))
        year_text_after = _year_text(lead_years.group(1), lead_years.group(2), bool(lead_years.group(3)))
        post_start = lead_years.end()
        # The sign may be said twice around the years: "© 2022 - Copyright Holder".
        again = _SIGN_AGAIN.match(text, post_start)
        if again:
            post_start = again.end()
    # Years right before the sign: "1999 – 2021 © Economia", "1999-2021 (c) Economia".
    year_text_before = ""
    pre_years = re.search(rf"(({_YEAR})(?:\s*[-–—]\s*({_YEAR}))?)\s*$", pre_text)
    if pre_years and not years:
        years = _years_of(pre_years.group(2), pre_years.group(3))
        year_text_before = _year_text(pre_years.group(2), pre_years.group(3), False)
        pre_text = pre_text[:pre_years.start()]

    in_brackets = "(" in pre_text[-20:] or "[" in pre_text[-20:]  # "(Image: © Studio X)"
    holder_end = _holder_end(text, folded, post_start, inside_brackets=in_brackets)
    holder_text = text[post_start:holder_end]
    holder = _clean_holder(holder_text)
    # Without a holder, text after the sign is not part of the notice ("BBC © 2013 <a sentence>").
    notice_end = post_start + len(holder_text.rstrip(" ,;:–—-|·•")) if holder else post_start
    # A year after the holder: "© Telegraph Media Group Limited 2011", "© vse-diety.com, 2008".
    if holder:
        trailing = re.match(rf"[\s,]*(({_YEAR})(?:\s*[-–—]\s*({_YEAR}))?)(?!\d)", text[holder_end:])
        if trailing:
            if not years:
                years = _years_of(trailing.group(2), trailing.group(3))
            notice_end = holder_end + trailing.end()
    pre_holder = None
    if not holder:
        pre_holder = _holder_before_sign(pre_text)
        holder = pre_holder

    # The rights phrase counts when it is part of this notice: right before the sign, or
    # after it within a couple of sentences and not past a "|" separator.
    all_rights = False
    prefix_rights = ""
    if rights is not None and rights.end() <= marker.start():
        if re.fullmatch(r"[\s.,;:–—-]*", text[rights.end():marker.start()]) is not None:
            all_rights = True
            prefix_rights = text[rights.start():rights.end()]
            pre_holder = None if pre_holder and fold_text(pre_holder) in fold_text(prefix_rights) else pre_holder
    if rights is not None and rights.end() <= marker.start():
        rights = _find_phrase(folded, RIGHTS_RESERVED, marker.end())
    if rights is not None and rights.start() >= notice_end:
        gap = text[notice_end:rights.start()]
        # Without a holder, only a phrase right after the sign and years belongs to the notice.
        adjacent = not any(ch.isalnum() for ch in gap)  # "Holder | All Rights Reserved"
        if len(gap) <= 160 and ("|" not in gap or adjacent) and (pre_holder is None and holder
                                                   or not any(ch.isalnum() for ch in gap)):
            notice_end = rights.end()
            all_rights = True
            prefix_rights = ""  # the phrase is said once, after the holder
    notice_end = _extend_with_warnings(text, folded, notice_end)
    if (notice_end < len(text) and text[notice_end] == "." and text[post_start:notice_end].strip()
            and not text[notice_end - 1:notice_end] == "."):
        notice_end += 1

    # The sign goes first; years and a holder written before it follow it ("BBC © 2013" -> "© 2013 BBC").
    rest = text[post_start:notice_end].strip().lstrip(".,;:-–—|·• ")
    parts = [year_text_after or year_text_before, pre_holder, rest, prefix_rights]
    body = " ".join(p for p in parts if p)
    canonical = _canonical_text(f"© {body}")
    return {
        "text": canonical,
        "years": years,
        "holder": holder,
        "all_rights_reserved": all_rights,
        "raw": raw,
    }


_SIGN_AGAIN = re.compile(rf"\s*[-–—|:,]?\s*{_MARKER.pattern}", re.IGNORECASE)
# Lowercase words that may sit inside a holder's name ("Folha de S.Paulo", "Jon Doe & Renders by
# Rian", "ACME Limited or its affiliated companies"); any other lowercase word after a
# capitalised name starts the legal tail ("unless otherwise noted", "registered in England").
_HOLDER_CONNECTORS = frozenset({
    "of", "and", "&", "by", "for", "the", "at", "on", "in", "or", "its", "affiliates", "affiliated", "companies",
    "company", "subsidiaries", "de", "du", "des", "der", "die", "das", "den", "fur", "und", "y", "e", "et", "la",
    "le", "les", "el", "los", "del", "della", "di", "da", "do", "dos", "das", "van", "von", "zu", "a", "an",
})
# CJK company forms: a holder written in CJK with one of these is a name, not a sentence.
_CJK_LEGAL = re.compile("株式会社|有限会社|合同会社|有限公司|股份有限公司|公司|集团|新聞社|出版社|通信社|放送|주식회사")


def _lowercase_tail_start(text: str, start: int) -> int | None:
    """Where the legal tail starts after a capitalised holder: its first lowercase word that is no
    connector. None when the holder does not start capitalised (then case says nothing)."""
    tokens = list(itertools.islice(_TOKEN.finditer(text, start), 40))
    # A separator left after the sign ("©· Acme") is not the holder's first word; the canonical
    # text drops it, so judging by it would cut differently on the second reading.
    while tokens and not any(ch.isalnum() for ch in tokens[0].group()):
        tokens.pop(0)
    # Judged by the first word without its quotes or brackets, as the canonical text shows it.
    first_letter = next((ch for ch in tokens[0].group() if ch.isalpha()), "") if tokens else ""
    if not first_letter.isupper():
        return None
    for token in tokens[1:]:
        bare = _EDGES.sub("", token.group())
        if bare[:1].islower() and bare.isalpha() and fold_word(bare) not in _HOLDER_CONNECTORS:
            return token.start()
    return None


_TOKEN = re.compile(r"\S+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


# Any sign of a notice in raw text, before entities are decoded or accents folded.
_RAW_HINT = re.compile(
    r"[©ⓒⒸ]|\([cC]\)|&copy;|&#169;|&#x0*a9;|copyright|copr\.|rights|reserv|rechte|droits|derechos|direitos"
    r"|diritti|rechten|rettighe|rattigh|rättigh|prawa|práva|prava|jog|hakları|oikeudet|права|版|権|무단")
_RAW_LIMIT = 20_000


def _raw_window(raw: str) -> str:
    """For a very long string, the raw text around its first sign of a notice, so that decoding
    entities and normalising Unicode (linear, but not free) touch a bounded part of it. Shorter
    strings are read whole."""
    if len(raw) <= _RAW_LIMIT:
        return raw
    # Searched in lowercase without IGNORECASE, which is slow on long non-ASCII text; where
    # lowercasing changes the length ("İ"), positions are only approximate, which the margins absorb.
    hint = _RAW_HINT.search(raw.lower())
    if hint is None:
        return ""
    start = max(0, hint.start() - 4 * _WINDOW_BEFORE)
    return raw[start:hint.start() + 4 * _WINDOW_AFTER]


def _window(text: str) -> str:
    """The part of a long string where its notice is: around the first sign, else around the first
    rights phrase; the whole string when it is short."""
    if len(text) <= _WINDOW_BEFORE + _WINDOW_AFTER:
        return text
    marker = _find_marker(text)
    anchor = marker.start() if marker else None
    if anchor is None:
        rights = _find_phrase(fold_text(text), RIGHTS_RESERVED)
        anchor = rights.start() if rights else 0
    start, end = max(0, anchor - _WINDOW_BEFORE), anchor + _WINDOW_AFTER
    if start:  # start and end at word boundaries, so no word is cut in two
        space = text.find(" ", start, anchor)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", anchor, end)
        end = space if space > anchor else end
    return text[start:end]


def _years_of(first: str | None, last: str | None) -> list[int]:
    out = [int(y) for y in (first, last) if y]
    out = [y for y in out if MIN_YEAR <= y <= MAX_YEAR]
    if len(out) == 2 and out[0] == out[1]:
        out = out[:1]
    return out


def _year_text(first: str, last: str | None, open_range: bool) -> str:
    if last:
        return f"{first}–{last}"
    return f"{first}–" if open_range else first


def _holder_end(text: str, folded: str, start: int, *, inside_brackets: bool) -> int:
    """Where the holder's name ends: at a separator, rights phrase, year, sentence end..."""
    end = len(text)
    candidates = []
    patterns = [
        r"\s*\|", r"\s+[-–—·•]+\s+", r"\s*[-–—]+\s*$", rf"\s*{_SIGN}", rf"\s*(?i:{_WORD})", r"\s+\d(?![\d.]*\w*\.\w)",
        rf"[\s,]+(?:{_YEAR})(?!\d)", r",\s+(?:a|an|ein|eine|une|un|una|part of|member of|division of)\s",
        r"\s*\u3002", r"\s*[:;]\s",
    ]
    if inside_brackets:
        patterns.append(r"\s*[)\]]")
    for pattern in patterns:
        match = re.compile(pattern).search(text, start)
        if match:
            candidates.append(match.start())
    for phrases in (RIGHTS_RESERVED, HOLDER_STOP_PHRASES):
        match = _find_phrase(folded, phrases, start)
        if match:
            candidates.append(match.start())
    # Sentence end: ". " after a word that is not an abbreviation or initial.
    for match in _SENTENCE_END.finditer(text, start):
        pos = match.start()
        word = _LAST_WORD.search(text[max(start, pos - 40):pos]).group()
        if _ABBREVIATION_END.search(word) or fold_word(word.rstrip(".")) in LEGAL_SUFFIXES:
            continue
        candidates.append(pos)
        break
    candidates.append(_legal_suffix_end(text, start))
    candidates.append(_lowercase_tail_start(text, start))
    end = min([c for c in candidates if c is not None and c >= start] or [end])
    return end


_SENTENCE_END = re.compile(r"\.(?=\s|$)")
# Anchored at the end of a short slice: the word before a ".", tried from few positions.
_LAST_WORD = re.compile(r"[\w.&-]*$")


def _legal_suffix_end(text: str, start: int) -> int | None:
    """End of a company name at its legal suffix, when a new phrase follows
    ("Future US, Inc. 11 West ...", "Future Publishing Limited Quay House", "Inc., Contact Us")."""
    tokens = list(re.finditer(r"[^\s,]+", text[start:]))
    for i, tok in enumerate(tokens):
        word = fold_word(tok.group().rstrip("."))
        if word not in LEGAL_SUFFIXES or i == 0:
            continue
        if i + 1 >= len(tokens):
            return None
        nxt = tokens[i + 1].group()
        nxt_word = fold_word(nxt.rstrip("."))
        if nxt_word in LEGAL_SUFFIXES or nxt in {"&", "und", "and"} or nxt[:1].islower():
            continue  # "Co. Ltd", "GmbH & Co. KG", "Limited or its affiliated companies"
        return start + tok.end()
    return None


def _clean_holder(holder: str) -> str | None:
    holder = holder.strip(" \t,;:|-–—·•/\\")
    holder = re.sub(r"^(?:(?:of|by|von|par|por|de|copyright|copr\.)(?:\s+|$))+", "", holder, flags=re.IGNORECASE)
    holder = re.sub(r"\s+(?:und|and|&|et|y|e)$", "", holder, flags=re.IGNORECASE)
    holder = _trim_edges(holder)
    holder = re.sub(r"^(?:copyright|copr)$", "", holder, flags=re.IGNORECASE)
    if not holder or not any(ch.isalpha() for ch in holder) or len(holder) > 120:
        return None
    if len(CJK.findall(holder)) >= 8 and not _CJK_LEGAL.search(holder):
        return None  # a sentence in CJK script, not a name
    if _find_phrase(fold_text(holder), RIGHTS_RESERVED) or _find_phrase(fold_text(holder), HOLDER_STOP_PHRASES):
        return None
    return holder


def _trim_edges(holder: str) -> str:
    """Strip punctuation off both ends; keep brackets that are closed inside the name."""
    while True:
        before = holder
        holder = holder.strip()
        while holder and not holder[0].isalnum() and holder[0] not in "(（":
            holder = holder[1:]
        while holder and not holder[-1].isalnum() and holder[-1] not in ")）":
            holder = holder[:-1]
        if holder.startswith(("(", "（")) and not any(ch in holder for ch in ")）"):
            holder = holder[1:]
        if holder.endswith((")", "）")) and not any(ch in holder for ch in "(（"):
            holder = holder[:-1]
        if holder == before:
            return holder


def _holder_before_sign(pre_text: str) -> str | None:
    """A short name right before the sign ("BBC © 2013"), or None."""
    tail = re.split(r"\s[|•·]\s|[.:;|()\[\]]\s*|\s[-–—]\s", pre_text.rstrip())[-1].strip()
    if not tail or len(tail.split()) > 5 or re.search(r"(?:^|\s)\d", tail):
        return None
    folded = fold_text(tail)
    if _find_phrase(folded, HOLDER_STOP_PHRASES) or _find_phrase(folded, RIGHTS_RESERVED):
        return None
    if any(folded.strip() == label for label in IMAGE_CREDIT_LABELS):
        return None
    # Parsed like a holder after the sign, so that the canonical text re-parses the same.
    return _clean_holder(tail[:_holder_end(tail, folded, 0, inside_brackets=False)])


def _extend_with_warnings(text: str, folded: str, end: int) -> int:
    """Extend the notice over following sentences that forbid reproduction."""
    while True:
        rest = text[end:]
        sentence = re.match(r"[.\s]*([^.|]+(?:\.|$))", rest)
        if not sentence or not sentence.group(1).strip():
            return end
        if not _find_phrase(fold_text(sentence.group(1)), REPRODUCTION_WARNINGS):
            return end
        end += sentence.end()


_RIGHTS_EN = re.compile(r"\ball\s+rights?\s+(?:are\s+)?reserved\b", re.IGNORECASE)


def _canonical_text(text: str) -> str:
    """One "©", en-dash year ranges, "All rights reserved", single spaces."""
    text = _MARKER.sub("© ", text)
    text = re.sub(r"(©\s*)+", "© ", text)
    text = re.sub(rf"(?<!\d)({_YEAR})\s*[-–—]\s*({_YEAR})(?!\d)", r"\1–\2", text)
    text = _RIGHTS_EN.sub("All rights reserved", text)
    text = re.sub(r"\s+([,.])", r"\1", text)
    text = re.sub(r"^©[\s,.;:|·•–—-]*", "© ", text)
    return re.sub(r"\s+", " ", text).strip()


def _rights_only_notice(text: str, rights: re.Match, raw: str) -> dict:
    """A notice made of a rights phrase only: "All rights reserved.", "中国日报版权所有"."""
    holder = None
    before = text[:rights.start()]
    if CJK.search(rights.group()) and before and CJK.search(before[-1]):
        holder = _clean_holder(re.split(r"[\s|。,，:：]", before)[-1])
    years: list[int] = []
    year_text = ""
    # A year right next to the phrase belongs to it: "All rights reserved 2019", "2019. All rights reserved".
    adjacent = (re.match(rf"[\s.,]*(({_YEAR})(?:\s*[-–—]\s*({_YEAR}))?)(?!\d)", text[rights.end():])
                or re.search(rf"(({_YEAR})(?:\s*[-–—]\s*({_YEAR}))?)[\s.,]*$", before))
    if adjacent:
        years = _years_of(adjacent.group(2), adjacent.group(3))
        year_text = _year_text(adjacent.group(2), adjacent.group(3), False)
    end = _extend_with_warnings(text, fold_text(text), rights.end())
    if end < len(text) and text[end] == ".":
        end += 1
    start = rights.start() - len(holder) if holder else rights.start()
    body = text[start:end]
    return {"text": _canonical_text(f"© {year_text} {body}"), "years": years, "holder": holder,
            "all_rights_reserved": True, "raw": raw}


# ---------------------------------------------------------------- structured sources


def _holder_name(value: Any) -> str | None:
    """A holder name from a JSON-LD value: string, {"name": ...} object, or a list of those."""
    if isinstance(value, str):
        return _clean_holder(_clean(value))
    if isinstance(value, dict):
        return _holder_name(value.get("name") or value.get("legalName"))
    if isinstance(value, (list, tuple)):
        for item in value:
            name = _holder_name(item)
            if name:
                return name
    return None


def _year_value(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if MIN_YEAR <= value <= MAX_YEAR else None
    if isinstance(value, str):
        match = re.search(rf"(?<!\d)({_YEAR})(?!\d)", value)
        return int(match.group(1)) if match else None
    if isinstance(value, (list, tuple)) and value:
        return _year_value(value[0])
    return None


def copyright_from_structured(holder: Any = None, year: Any = None, meta: str | None = None) -> dict | None:
    """A copyright dict from JSON-LD `copyrightHolder`/`copyrightYear` and a copyright <meta>.

    A meta value that is a notice is parsed as one and completed from the JSON-LD values; a
    meta value that is only a name ("ACME Media GmbH") is taken as the holder. `raw` is the
    meta content when there is one, else the JSON-LD values written as a notice.
    """
    try:
        name = _holder_name(holder)
        year_int = _year_value(year)
        meta_text = _clean(meta) if isinstance(meta, str) else ""
        parsed = normalize_copyright(meta_text) if meta_text else None
        if parsed is None and meta_text and len(meta_text) <= 120 and not re.search(r"https?://|@", meta_text):
            name = name or _clean_holder(meta_text)
        if parsed is not None:
            if parsed["holder"] is None and name:
                parsed["holder"] = name
            if not parsed["years"] and year_int:
                parsed["years"] = [year_int]
            parsed["raw"] = meta
            return parsed
        if not name and not year_int:
            return None
        text = " ".join(str(p) for p in ("©", year_int, name) if p)
        return {"text": text, "years": [year_int] if year_int else [], "holder": name,
                "all_rights_reserved": False, "raw": meta if meta_text else text}
    except Exception:
        logger.exception("could not build copyright from structured data")
        return None


def find_copyright_line(lines: Iterable[str]) -> str | None:
    """The best copyright notice among text lines (footer candidates), or None.

    Prefers a line with a sign, years and a holder; image credits lose to site notices; on a
    tie the later line wins, as footers come last.
    """
    best, best_score = None, float("-inf")
    for line in lines:
        if not isinstance(line, str) or not line.strip() or len(line) > 2000:
            continue
        parsed = normalize_copyright(line)
        if parsed is None:
            continue
        score = 2.0 * bool(parsed["years"]) + 2.0 * bool(parsed["holder"]) + parsed["all_rights_reserved"]
        if re.search(r"[©ⓒⒸ]|copyright|\([cC]\)", line, re.IGNORECASE):
            score += 3
        folded = fold_text(line)
        if re.match(r"\W*(?:%s)\b" % "|".join(IMAGE_CREDIT_LABELS), folded):
            score -= 4
        score -= len(line) / 400
        if score >= best_score:
            best, best_score = line.strip(), score
    return best
