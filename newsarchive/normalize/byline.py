"""Bylines to author names: "By JANE DOE and John Smith, Staff Writers | @jd" -> ["Jane Doe", "John Smith"].

The raw string is cut into segments at strong separators ("|", "•", spaced dashes, brackets),
each segment loses its "By"-style prefix and everything from the first date, time or end
phrase ("Updated", "Edited by", "Source:") on, and what remains is split into list items
("," ";" "and" "&" "und" "et" "y" "e" "og"...). Items that are roles, placeholders, interface
words or dates are dropped; the rest are re-cased and de-duplicated.

Decisions (each is tested):
- "with additional reporting by X" keeps X: an additional reporter is credited with the story.
- An agency or outlet is an author when it stands alone ("By Reuters"), but when it is set off
  after people ("Jane Doe, CNN", "Jane Doe (AP)") it is their affiliation and is dropped. Only
  outlets the vocabulary knows are treated so; an unknown trailing name is kept.
- A whole-string URL whose path names an author ("https://site/author/jane-doe/") resolves to
  "Jane Doe": JSON-LD often gives only that. Other URLs are dropped.
- Honorifics ("Dr.", "Prof.") are dropped; generational suffixes ("Jr.", "III") are kept.
- An outlet joined by a conjunction ("Jane Doe and AP", "Le Monde avec AFP") shares the credit.
- Idempotent per name (normalize_byline(name) == [name]) and on " and ".join(out). A comma
  join is a different byline: it makes a co-credited outlet an affiliation.
- A lone all-lowercase ASCII word ("jdoe") is a login name and dropped; up to three letters it
  is a desk code or initials ("dpa/lno") and kept as written.
- Collective credits ("Staff", "Staff and wire reports", "Editorial Team") name nobody: [];
  so does a paper's desk ("Times Staff Writer", "Globe Staff"), but an agency's desk is the
  agency ("Reuters Staff" -> "Reuters").
- A later comma item that ends in a role ("Jane Doe, AP Auto Writer") is a desk: dropped.
- A capitalised "Today" after a capitalised word is part of an outlet's name ("USA Today"),
  not the day the story ran.
- An end phrase after a name ("Updated", "View author archive") ends the whole byline, so page
  furniture that follows (form labels, buttons) is never read as names.
"""
from __future__ import annotations

import html
import logging
import re
import unicodedata
from urllib.parse import unquote, urlsplit

from newsarchive.normalize.names import PARTICLES, fold_text, name_key, recase_name
from newsarchive.normalize.phrases import PhraseFinder
from newsarchive.normalize.spans import classify_span
from newsarchive.normalize.names_vocabulary import (
    AGENCIES,
    AUTHOR_LABELS,
    BY_LEADERS,
    BY_WORDS,
    BY_WORDS_LOWERCASE_ONLY,
    DATE_PREPOSITIONS,
    END_PHRASES,
    MONTHS,
    MORE_AUTHORS_PHRASES,
    PLACEHOLDERS,
    RELATIVE_TIME_WORDS,
    ROLE_GLUE,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    UI_WORDS,
    WEEKDAYS,
    fold_word,
)

logger = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")

__all__ = ["normalize_byline"]

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Starts only where a run of address characters starts: tried at every position, a long run
# without "@" would be rescanned from each of its characters (quadratic time).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@\w+")
# Strong separators: between a name and its role, date or social links.
_SEGMENT_SPLIT = re.compile(r"\s*(?:[|•·▪◆►»«\n\r\t()\[\]{}<>【】「」『』（）]|\s/\s|\s[-–—]+\s|\s[-–—]+$|^[-–—]+\s)\s*")
# List separators inside a segment; "y"/"e" are handled apart (they are also name particles).
# Conjunctions are matched in lowercase ("And"/"Und" too); in an all-caps byline in any case,
# so that "ET Online" stays a name while "PAR JEAN DUPONT ET MARIE CURIE" is split.
_CONJUNCTIONS = r"(?:and|And|und|Und|et|og|och|ve|és|и)"
_LIST_SEPARATORS = rf"\s*[,;+/&]\s*(?:{_CONJUNCTIONS}\s+)?|(?<=\S)\s+{_CONJUNCTIONS}\s+(?=\S)"
_LIST_SPLIT = re.compile(_LIST_SEPARATORS)
_LIST_SPLIT_ALL_CAPS = re.compile(_LIST_SEPARATORS, re.IGNORECASE)
_LEADING_CONJUNCTION = re.compile(rf"^{_CONJUNCTIONS}\s+")
_LEADING_CONJUNCTION_ALL_CAPS = re.compile(rf"^{_CONJUNCTIONS}\s+", re.IGNORECASE)
_TRAILING_CONJUNCTION = re.compile(rf"\s+{_CONJUNCTIONS}$")
_TRAILING_CONJUNCTION_ALL_CAPS = re.compile(rf"\s+{_CONJUNCTIONS}$", re.IGNORECASE)
# "y", "e" and "en" ("and" in Spanish, Italian/Portuguese, Dutch) are also name particles or,
# in Spanish and French, "in": they split only between two full names.
_Y_E_SPLIT = re.compile(r"\s(y|e|en)\s")
_HONORIFICS = frozenset({
    "dr", "dr.", "prof", "prof.", "professor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx.",
    "sir", "herr", "frau", "mme", "mme.", "mlle", "sra", "sra.", "dott", "dott.", "dott.ssa",
    "ing.", "dipl.", "mag.", "rev", "rev.",
})
_AUTHOR_PATH = frozenset({
    "author", "authors", "autor", "autoren", "auteur", "auteurs", "autore", "people", "person",
    "profile", "profiles", "staff", "writer", "writers", "contributor", "contributors",
    "journalist", "journalists", "journalisten", "reporter", "reporters", "team", "by",
    "columnist", "columnists", "redaktion", "redaccion", "autori",
})
_RELATIVE_TIME = re.compile(
    r"\b(?:(?:a|an|one)\s+(?:few\s+)?(?:second|minute|hour|day|week|month|year)s?\s+ago|just\s+now)\b",
    re.IGNORECASE)
# Lowercase words that start a place after a name ("in London", "aus Berlin", "à Kyiv").
_LOCATION_WORDS = frozenset({"in", "from", "aus", "à", "en", "em", "dans", "desde", "reporting"})
# Academic and professional credentials written after a name.
_CREDENTIALS = frozenset({"md", "m.d", "phd", "ph.d", "mba", "rn", "dds", "dvm", "esq", "mph", "msc", "bsc",
                          "cpa", "cfa", "llm", "facs", "frcp", "mrcp", "dr. med", "dipl.-ing"})
# Punctuation that may occur in a name; anything else besides letters and marks may not.
_NAME_PUNCTUATION = frozenset(" .'’‘-‐&")
_DATE_LEAD_WORDS = DATE_PREPOSITIONS | RELATIVE_TIME_WORDS | {"", "il", "y", "a", "ya"}
# Interface words that end a byline wherever they appear (unlike "Read" or "Close", names too).
_STRONG_UI_WORDS = frozenset({"follow", "twitter", "facebook", "linkedin", "instagram", "email", "e-mail",
                              "share", "subscribe", "bio", "profile", "rss", "whatsapp", "tweet",
                              "folgen", "suivre", "seguir", "teilen", "partager", "compartir"})
# Words that are a time on their own ("Today", "gestern"); "vor"/"hace" need a number after them.
_DAY_WORDS = frozenset({"ago", "today", "yesterday", "heute", "gestern", "hoy", "ayer", "oggi", "ieri",
                        "vandaag", "gisteren", "geleden", "aujourd'hui", "hier"})
# A byline names its people in the first few hundred characters; a longer string is a bio or a
# page pasted into a meta tag. Reading only this much keeps the time per input bounded.
MAX_BYLINE_CHARS = 2000
# A name and the role, outlet or date glued to it fit in this many words; the rest of a longer
# item is prose that the cuts below would drop anyway.
_MAX_ITEM_WORDS = 16
# No story credits more people than this; a longer list is a directory or a page of links.
_MAX_NAMES = 40
_PUNCT_EDGES = " \t.,;:!?-–—_*'\"“”‘’„«»()[]{}<>|/\\~#+=^`"


def normalize_byline(raw: str) -> list[str]:
    """Author names from a raw byline string; [] when nothing person- or agency-like remains.

    Never raises: on unexpected input it logs and returns [].
    """
    if not isinstance(raw, str) or not raw.strip():
        return []
    try:
        return _normalize(raw)
    except Exception:  # a byline must never stop a crawl
        logger.exception("could not normalize byline %r", raw[:200])
        return []


def _normalize(raw: str) -> list[str]:
    text = _clean(raw)
    whole_url = _name_from_author_url(text)
    if whole_url is not None:
        return [whole_url] if whole_url else []
    text = _uninverted(text)
    items: list[tuple[str, bool]] = []  # (name, joined to the previous name by a conjunction)
    for chunk in re.split(r"\s*,\s*(?=(?:https?://|www\.))|\s+(?=https?://)", text):
        if _URL.fullmatch(chunk.strip().rstrip(",;")):
            name = _name_from_author_url(chunk.strip().rstrip(",;"))
            if name:
                items.append((name, False))
            continue
        chunk = _EMAIL.sub(" | ", chunk)
        chunk = _URL.sub(" | ", chunk)
        chunk = _HANDLE.sub(" | ", chunk)
        stop = False
        for segment in _SEGMENT_SPLIT.split(chunk):
            names, stop = _segment_names(segment)
            items.extend(names)
            stop = stop or len(items) >= _MAX_NAMES
            if stop:
                break
        if stop:
            break
    unique: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for name, joined in items:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            unique.append((name, joined))
    return _drop_trailing_affiliations(unique)


def _clean(raw: str) -> str:
    """Unescape entities, normalise Unicode and collapse whitespace."""
    # Only the start is ever read (MAX_BYLINE_CHARS after cleaning); entities and runs of space
    # shrink in cleaning, hence the margin.
    raw = raw[:8 * MAX_BYLINE_CHARS]
    text = html.unescape(html.unescape(raw)) if "&" in raw else raw
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\ufe0e\ufe0f\u200b-\u200f\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", "", text)
    text = _SURROGATE.sub("\ufffd", text)  # lone surrogates (from JSON "\\ud800") cannot be encoded
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = re.sub(r"[^\S\n]+", " ", text).strip()
    text = _unglue(text)
    if len(text) > MAX_BYLINE_CHARS:
        cut = text[:MAX_BYLINE_CHARS]
        text = cut[:cut.rfind(" ")] if " " in cut else cut
    return text


_INVERTED = re.compile(r"([^\W\d_][\w'’-]+),\s*([^\W\d_][\w'’-]*(?:\s+[^\W\d_]\.)?)")


def _uninverted(text: str) -> str:
    """"Doe, Jane" (catalogue order, common in metadata) -> "Jane Doe". Only a whole string of two
    single capitalised words counts, and neither may be an outlet, role or by-word: two names
    credited by one word each are rarer than a surname written first."""
    match = _INVERTED.fullmatch(text)
    if not match:
        return text
    family, given = match.group(1), match.group(2)
    for word in (family, given.split()[0]):
        if not word[:1].isupper() or fold_word(word) in BY_WORDS or fold_word(word) in AGENCIES \
                or classify_span(word).kind != "person":
            return text
    return f"{given} {family}"


# Page text glued across elements: "Jane DoeUpdated 2 hours ago", "Jane Doe3 min read".
_GLUED_WORD = re.compile(r"(?<=[a-zà-ÿ])([A-Z][a-z]+)")
_GLUED_DIGIT = re.compile(r"(?<=[^\W\d_]{2})(?=\d)")


def _unglue(text: str) -> str:
    """Put a space where a name runs into page furniture: before a capitalised word glued to a
    lowercase letter when that word starts a date, an end phrase or an interface label (a name
    part such as "McDonald" or "DeShawn" is left alone), and between letters and digits."""
    def split(match: re.Match) -> str:
        word = fold_word(match.group(1))
        if word in _GLUE_BREAKERS:
            return " " + match.group(1)
        return match.group(1)

    text = _GLUED_WORD.sub(split, text)
    return _GLUED_DIGIT.sub(" ", text)


_GLUE_BREAKERS = frozenset({p.split()[0].rstrip(":") for p in END_PHRASES} | MONTHS | WEEKDAYS | UI_WORDS
                           | _STRONG_UI_WORDS)


def _name_from_author_url(text: str) -> str | None:
    """For a string that is one URL: the name in an author path ("" if none); None if not a URL."""
    if not _URL.fullmatch(text):
        return None
    try:
        path = urlsplit(text if "://" in text else "http://" + text).path
    except ValueError:
        return ""
    parts = [unquote(p) for p in path.split("/") if p]
    for i, part in enumerate(parts[:-1]):
        if fold_word(part) in _AUTHOR_PATH:
            slug = parts[i + 1]
            if re.fullmatch(r"[^\W\d_]+(?:[-_.][^\W\d_]+){1,4}", slug):
                name = recase_name(re.sub(r"[-_.]", " ", slug).lower())
                return name if _is_name(name) else ""
    return ""


# ---------------------------------------------------------------- segments


def _segment_names(segment: str) -> tuple[list[tuple[str, bool]], bool]:
    """(names with their joined-by-conjunction flag, whether the byline ends here) for one
    segment (text between strong separators). A phrase like "Updated" or "View author archive"
    after a name ends the whole byline: what follows is page furniture."""
    segment = segment.strip(_PUNCT_EDGES.replace(".", ""))
    if not segment:
        return [], False
    segment = _strip_prefix(segment)
    cut = _cut_at_end_phrase(segment)
    if not cut.strip(_PUNCT_EDGES) and len(cut) < len(segment):
        # The segment opens with another credit ("Reviewed by X, Written by Y"): that credit's
        # list item goes, the rest of the segment is read on.
        rest = re.split(r"[,;]\s*", segment, maxsplit=1)
        return _segment_names(rest[1]) if len(rest) == 2 else ([], False)
    stop = len(cut) < len(segment) and bool(cut.strip(_PUNCT_EDGES))
    label = _NEXT_LABEL.search(cut)
    if label:  # "Jane Doe Date: 2024-01-05": another field of the page begins
        cut, stop = cut[:label.start()], True
    segment = _cut_at_date(cut)
    segment = _cut_at_bio(segment)
    names = []
    for k, part in enumerate(_split_more_authors(segment)):
        for item, joined in _split_list(part):
            name = _clean_item(item)
            if name:
                names.append((name, joined or k > 0))
    return names, stop


# A capitalised field label after some text: "... Date: ", "... Fotos: ".
_NEXT_LABEL = re.compile(r"(?<=\S)\s+[^\W\d_][\w-]{1,20}\s?[:：](?:\s|$)")


def _words(text: str) -> list[re.Match]:
    return list(re.finditer(r"\S+", text))


def _strip_prefix(segment: str) -> str:
    """Drop "By", "Written by", "Publicado por", "Author:" and whatever precedes a by-word
    when that is only leader words, dates or punctuation ("Posted on May 3 by Jane Doe").
    A few rounds cover "Author: By ..."; more would be a string of by-words, not a byline."""
    for _ in range(4):
        stripped = _strip_prefix_once(segment)
        if stripped == segment:
            break
        segment = stripped
    return segment


# "Author: ", "作者：", "文／": a label, then an ASCII or full-width colon (or a full-width slash).
_LABEL = re.compile(r"^\s*([^\W\d][\w ()]{0,20}?)\s*[:：／]\s*")


def _strip_prefix_once(segment: str) -> str:
    label = _LABEL.match(segment)
    if label and fold_word(label.group(1)).strip() in AUTHOR_LABELS:
        segment = segment[label.end():]
    words = _words(segment)
    for i, word in enumerate(words[:8]):
        bare = word.group().strip(":,.").strip()
        folded = fold_word(bare)
        is_by = folded in BY_WORDS or (bare in BY_WORDS_LOWERCASE_ONLY)
        if is_by and i + 1 < len(words):
            before = words[:i]
            if all(_is_prefix_filler(w.group()) for w in before) and _dated_if_named(before):
                return segment[words[i + 1].start():]
            break
        if not _is_prefix_filler(word.group()):
            break
    return segment


def _dated_if_named(words: list[re.Match]) -> bool:
    """Month and weekday names only make a date with a number: "Jan de Vries" is a person."""
    folded = [fold_word(w.group().strip(":,.;-–—")) for w in words]
    named = any(f in MONTHS or f in WEEKDAYS for f in folded)
    return not named or any(ch.isdigit() for f in folded for ch in f)


def _is_prefix_filler(word: str) -> bool:
    bare = fold_word(word.strip(":,.;-–—"))
    return (not bare or bare in BY_LEADERS or bare in MONTHS or bare in WEEKDAYS
            or bare in DATE_PREPOSITIONS or bare in RELATIVE_TIME_WORDS or bare in {"on", "at", "am"}
            or any(ch.isdigit() for ch in bare))


# Whole-word phrase search in folded text (newsarchive.normalize.phrases: linear, no big regex).
_END_PHRASE = PhraseFinder(END_PHRASES, word_end=True)
_MORE_AUTHORS = PhraseFinder(MORE_AUTHORS_PHRASES, word_end=True)


def _cut_at_end_phrase(segment: str) -> str:
    """Cut where a phrase starts that ends the author part ("Updated", "Edited by", "Source:")."""
    match = _END_PHRASE.search(fold_text(segment))
    return segment[:match.start()] if match else segment


def _cut_at_date(segment: str) -> str:
    """Cut at the first date, time or relative time, then drop the words that introduced it."""
    rel = _RELATIVE_TIME.search(segment)
    if rel:
        segment = segment[:rel.start()]
    words = _words(segment)
    cut = None
    for i, word in enumerate(words):
        token = word.group()
        bare = fold_word(token.strip(".,;:"))
        nxt = words[i + 1].group() if i + 1 < len(words) else ""
        if any(ch.isdigit() for ch in token):
            cut = i
        elif bare in MONTHS and not token.endswith(",") and any(ch.isdigit() for ch in nxt):
            cut = i
        elif bare in WEEKDAYS and (token.endswith(",") or any(ch.isdigit() for ch in nxt)
                                   or fold_word(nxt.strip(".,")) in MONTHS):
            cut = i
        elif bare in _DAY_WORDS and not _is_outlet_today(words, i):
            cut = i
        if cut is not None:
            break
    if cut is None:
        return segment
    kept = words[:cut]
    while kept and fold_word(kept[-1].group().strip(",")) in _DATE_LEAD_WORDS:
        kept.pop()  # "le", "am", "on", "hace", "il y a": the words that introduced the date
    return segment[:kept[-1].end()] if kept else ""


def _is_outlet_today(words: list[re.Match], i: int) -> bool:
    """A capitalised "Today" after a capitalised word and before no number is part of an
    outlet's name ("USA Today", "Florida Today"), not the day of publication."""
    token = words[i].group().strip(".,;:")
    if fold_word(token) != "today" or not token[:1].isupper() or i == 0:
        return False
    before = words[i - 1].group()
    after = words[i + 1].group() if i + 1 < len(words) else ""
    return before[:1].isupper() and not before.endswith(",") and not any(ch.isdigit() for ch in after)


# A bio sentence after the name: "Jane Doe, a senior editor who covers...", "Jane Doe is a writer".
_BIO = re.compile(r",\s+(?:a|an|the|who|which|whose|un|une|ein|eine)\s"
                  r"|\s(?:is|was|has been|covers|writes|reports|joined|ist|est|es)(?:\s|$)")


def _cut_at_bio(segment: str) -> str:
    match = _BIO.search(segment)
    return segment[:match.start()] if match else segment


def _split_more_authors(segment: str) -> list[str]:
    """Split at "with additional reporting by" and the like; both sides name authors."""
    parts, start = [], 0
    for match in _MORE_AUTHORS.finditer(fold_text(segment)):
        parts.append(segment[start:match.start()])
        start = match.end()
    return parts + [segment[start:]]


def _split_list(part: str) -> list[tuple[str, bool]]:
    """Split a list of names into (item, joined by a conjunction); "y"/"e" split only when
    the right side is a full name."""
    items = []
    splitter = _LIST_SPLIT_ALL_CAPS if part.isupper() else _LIST_SPLIT
    # A comma item that starts with a role ("corresponsal en Madrid") is dropped whole, so
    # that words in it are never read as list conjunctions.
    # So is a later comma item that ends in one ("Jane Doe, AP Auto Writer"): a desk, not a person.
    chunks = re.split(r"\s*[,;]\s*", part)
    kept: list[str] = []
    for k, chunk in enumerate(chunks):
        if _starts_with_role(chunk) or (k and _ends_with_role(chunk)):
            continue
        if kept and _is_place_after_name(chunk, kept[-1]):
            continue
        kept.append(chunk)
    part = ", ".join(kept)
    pieces_and_separators = splitter.split(part)
    separators = [""] + [m.group() for m in splitter.finditer(part)]
    for item, separator in zip(pieces_and_separators, separators):
        joined = bool(re.search(r"[&+]|\w", separator))
        pieces = _Y_E_SPLIT.split(item)
        merged = [(pieces[0], joined)]
        for conj, piece in zip(pieces[1::2], pieces[2::2]):
            if len(piece.split()) >= 2 and len(merged[-1][0].split()) >= 2:
                merged.append((piece, True))
            else:  # "Ortega y Gasset": a particle inside one name
                merged[-1] = (f"{merged[-1][0]} {conj} {piece}", merged[-1][1])
        items.extend(merged)
    return items


# ---------------------------------------------------------------- items


def _clean_item(item: str) -> str | None:
    """One list item to a name, or None when it is not a person or agency."""
    item = item.strip(_PUNCT_EDGES.replace(".", ""))
    item = re.sub(r"^[.\s]+", "", item)
    item = (_LEADING_CONJUNCTION_ALL_CAPS if item.isupper() else _LEADING_CONJUNCTION).sub("", item)
    item = (_TRAILING_CONJUNCTION_ALL_CAPS if item.isupper() else _TRAILING_CONJUNCTION).sub("", item)
    while True:  # "By Dr. Jane Doe", "Sra. de ...": prefixes and honorifics in any order
        before = item
        words = _strip_prefix(item).split()[:_MAX_ITEM_WORDS]
        while words and fold_word(words[0]) in _HONORIFICS:
            words.pop(0)
        item = " ".join(words)
        if item == before:
            break
    for i, word in enumerate(words):
        if i and fold_word(word.strip(".,:")) in _STRONG_UI_WORDS:
            words = words[:i]  # "Jane Doe Follow on Twitter"
            break
        if i >= 2 and word == "The" and i + 1 < len(words) and words[i + 1][:1].isupper():
            words = words[:i]  # "Jane Doe The Gazette": names hold no article, outlets start with one
            break
        if i >= 1 and word.endswith(":") and word[:1].isupper():
            words = words[:i]  # "Jane Doe Date: ...", "Words: Jane Doe Pictures: ...": the next field
            break
    while True:  # each cut can expose another trailing UI word, credential, "by", role or outlet
        before = words
        while words and (fold_word(words[-1].strip(",")).rstrip(".") in _CREDENTIALS
                         or _bare(words[-1]) in BY_WORDS or _bare(words[-1]) in UI_WORDS
                         or (words[-1].islower() and words[-1] in PARTICLES)):
            words = words[:-1]  # "Jane Doe, PhD"; a dangling "by"
        words = _cut_trailing_agency(_cut_role(words))
        if words == before:
            break
    while len(words) >= 4 and len(words) % 2 == 0 and words[:len(words) // 2] == words[len(words) // 2:]:
        words = words[:len(words) // 2]  # "Jane Doe Jane Doe": a name repeated by avatar and link text
    if not words:
        return None
    name = " ".join(words).strip(_PUNCT_EDGES.replace(".", ""))
    name = _strip_trailing_period(name)
    agency = _agency_name(name)
    if agency:
        return agency
    if " " not in name and name.islower() and name.isascii():
        # "jdoe", "janedoe": a login name, not how a person is credited; up to three letters
        # it is a desk code or initials ("dpa/lno") and is kept as written.
        return name if len(name) <= 3 and name.isalpha() and _is_name(name.title()) else None
    name = recase_name(name)
    return name if _is_name(name) else None


_LONGEST_AGENCY = max(len(k.split()) for k in AGENCIES)
_MULTIWORD_AGENCIES = sorted((k.split() for k in AGENCIES if " " in k), key=len, reverse=True)


def _cut_trailing_agency(words: list[str]) -> list[str]:
    """Cut an outlet glued to a name: "Jane Doe Associated Press", "JANE DOE AP" -> "Jane Doe".

    Only multi-word outlets and acronyms count: "Michael Bloomberg" is a person."""
    folded = [fold_word(w.strip(".,")) for w in words]
    for agency in _MULTIWORD_AGENCIES:
        n = len(agency)
        if len(words) >= n + 2 and folded[-n:] == agency:
            return words[:-n]
    last = words[-1].strip(".,") if words else ""
    if len(words) >= 3 and fold_word(last) in AGENCIES and (last.isupper() or fold_word(last) not in _SURNAME_AGENCIES):
        return words[:-1]  # "Jane Doe Reuters"
    return words


# Agencies whose one-word name is also a family name: glued after a name they may be the surname.
_SURNAME_AGENCIES = frozenset({"bloomberg", "wired", "lusa", "tass"})


def _bare(word: str) -> str:
    """A word without surrounding punctuation, folded for list look-ups."""
    return fold_word(word.strip(_PUNCT_EDGES))


def _agency_name(name: str) -> str | None:
    """The canonical agency for "Reuters", "REUTERS" or a desk of one ("CNN Business", "AP Tech")."""
    words = name.split()
    for n in range(min(len(words), _LONGEST_AGENCY), 0, -1):
        agency = AGENCIES.get(fold_word(" ".join(words[:n])))
        if agency and all(fold_word(w) in ROLE_MODIFIERS for w in words[n:]):
            return agency
    return None


def _strip_trailing_period(name: str) -> str:
    """Drop a final "." unless it ends an initial or an abbreviation ("C.", "Jr.", "S.A.")."""
    if not name.endswith("."):
        return name
    last = name.split()[-1] if name.split() else ""
    core = last.rstrip(".")
    if len(core) <= 1 or "." in core or fold_word(core) in {"jr", "sr", "st"}:
        return name
    return name.rstrip(".")


def _starts_with_role(chunk: str) -> bool:
    words = [fold_word(w.strip(".,:;")) for w in chunk.split()]
    while words and words[0] in {"a", "an", "the", "our", "un", "une", "el", "la", "le", "der", "die", "il"}:
        words.pop(0)
    i = 0
    while i < len(words) and words[i] in ROLE_MODIFIERS and words[i] not in ROLE_NOUNS:
        i += 1
    return i < len(words) and words[i] in ROLE_NOUNS and (i > 0 or len(words) == 1 or words[0] in ROLE_NOUNS)


def _is_place_after_name(chunk: str, previous: str) -> bool:
    """"Jane Doe, Berlin": one capitalised word set off after a full name is the dateline's
    place (a co-author credited by one word is much rarer). Acronyms ("NDR") and known outlets
    are left to the outlet rules."""
    words = chunk.split()
    return (len(words) == 1 and len(previous.split()) >= 2 and words[0][:1].isupper()
            and not words[0].isupper() and fold_word(words[0]) not in AGENCIES)


def _ends_with_role(chunk: str) -> bool:
    words = [fold_word(w.strip(".,:;")) for w in chunk.split()]
    return 2 <= len(words) <= 4 and words[-1] in ROLE_NOUNS


def _cut_role(words: list[str]) -> list[str]:
    """Cut a role phrase off a name ("Jane Doe Senior Editor at X" -> "Jane Doe");
    an item that is only a role comes back empty."""
    folded = [fold_word(w.strip(".,:;")) for w in words]
    for i in range(len(words)):
        j = i
        while j < len(words) and folded[j] in ROLE_MODIFIERS and folded[j] not in ROLE_NOUNS:
            j += 1
        if j < len(words) and folded[j] in ROLE_NOUNS:
            if i == 0 or all(f in PARTICLES or f in ROLE_GLUE for f in folded[:i]):
                return []
            if i == 1 and folded[0] not in AGENCIES and not _caseless(words[0]):
                return []  # "Times Staff Writer", "Globe Staff": a paper's desk names nobody
            # (in scripts without case the role follows the name: "김철수 기자" is 김철수)
            return words[:i]
        if folded[i] in {"at", "for", "bei", "chez", "fur"} and i >= 2:
            # "Jane Doe at TechCrunch": what follows a person is where they work.
            return words[:i]
        if folded[i] == "special" and i >= 2 and folded[i + 1:i + 2] == ["to"]:
            return words[:i]  # "Jane Doe Special to the Gazette": a freelance credit
        if i >= 1 and words[i] in _LOCATION_WORDS and i + 1 < len(words) and words[i + 1][:1].isupper():
            return words[:i]  # "Jane Doe in London", "Juan Pérez desde Madrid"
    return words


def _caseless(word: str) -> bool:
    """Letters of a script without capitals (Han, kana, Hangul): case tells nothing there."""
    letters = [ch for ch in word if ch.isalpha()]
    return bool(letters) and all(ch.lower() == ch.upper() for ch in letters)


def _is_name(name: str) -> bool:
    """Whether a cleaned item can be a person or agency name."""
    if not name or len(name) > 80:
        return False
    if any(ch.isdigit() for ch in name) or "@" in name or "://" in name or "www." in name.lower():
        return False
    if not any(ch.isalpha() for ch in name) or not all(_name_char(ch) for ch in name):
        return False
    folded = fold_word(name)
    if folded in PLACEHOLDERS or folded in UI_WORDS or folded in BY_WORDS:
        return False
    words = name.split()
    core = [w for w in words if fold_word(w) not in PARTICLES]
    if not core or len(core) > 5:
        return False
    if not any(sum(ch.isalpha() for ch in word) >= 2 and "." not in word for word in core):
        return False  # only initials ("U A", "J.") is not a name
    folded_words = [fold_word(w.strip(".,")) for w in words]
    # A capitalised first word that is also a particle is a given name ("Al Root", "Van Staff").
    given_name = words[0][:1].isupper() and folded_words[0] in PARTICLES and len(words) > 1
    if not given_name and all(
            f in ROLE_NOUNS or f in ROLE_MODIFIERS or f in ROLE_GLUE or f in PLACEHOLDERS or f in UI_WORDS
            or f in PARTICLES or f in MONTHS or f in WEEKDAYS for f in folded_words):
        return False
    # In a name, every word that is not a particle starts with a capital (re-casing has run).
    for word in core:
        first = next((ch for ch in word if ch.isalpha()), "")
        if first and first.islower() and first.upper() != first:
            return False
    return True


def _name_char(ch: str) -> bool:
    return ch.isalpha() or ch in _NAME_PUNCTUATION or unicodedata.category(ch).startswith("M")


def _drop_trailing_affiliations(items: list[tuple[str, bool]]) -> list[str]:
    """Drop known outlets set off after the last person: "Jane Doe, CNN", "Jane Doe (AP)".

    An outlet joined by a conjunction ("Jane Doe and AP", "Le Monde avec AFP") shares the
    credit and is kept."""
    agencies = set(AGENCIES.values())

    def outlet(name: str) -> bool:
        return name in agencies or classify_span(name).kind == "outlet"

    # Only the items after the last person are in question: classify from the end.
    last_person = next((i for i in range(len(items) - 1, -1, -1) if not outlet(items[i][0])), -1)
    return [name for i, (name, joined) in enumerate(items)
            if last_person < 0 or i <= last_person or joined]
