"""Text folding: the one home of the keys that compare strings while ignoring case, accents or punctuation.

Each function answers a different question, and their differences are deliberate:

| function | folds case | drops accents | punctuation | Unicode form | used for |
|---|---|---|---|---|---|
| fold_word | casefold | yes | kept | NFKD | looking a word or phrase up in a vocabulary |
| fold_text | lower, per char | yes | kept | none; same length | searching phrases, then cutting the original at the same index |
| name_key | casefold | yes | kept; "J.Doe" spaced as "J. Doe" | NFKD | de-duplicating names within one byline |
| word_key | casefold | no | dropped (\\w+ runs) | NFKC | matching body blocks against the title or byline |
| alnum_key | casefold | no | dropped, spaces too | none | matching author names against site names, whatever the spacing |
| title_key | casefold | no | curly quotes unified, the rest dropped | NFKC | matching headline candidates |
| match_key | casefold | yes | dropped (\\w+ runs) | NFKD | the research side's author, tag and holder matching |

All are pure and linear in the input's length.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_word", "fold_text", "name_key", "word_key", "alnum_key", "title_key", "match_key"]

_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W+")
_SINGLE_QUOTES = re.compile(r"[\u2018\u2019\u201a\u201b`´]")
_DOUBLE_QUOTES = re.compile(r"[\u201c\u201d\u201e\u201f]")


def fold_word(word: str) -> str:
    """Lowercase, accent-free form of a word, for list look-ups ("Publié" -> "publie")."""
    if word.isascii():
        return word.lower()  # casefold and lower agree on ASCII, and there is nothing to decompose
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Recomposed, so scripts whose letters decompose without marks (Hangul syllables into
    # jamo) compare equal to the same words written in a vocabulary.
    return stripped if stripped.isascii() else unicodedata.normalize("NFC", stripped)


class _CharFolds(dict):
    """str.translate table that folds each character on first sight and remembers it."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = fold_word(ch)
        lower = ch.lower()
        value = folded if len(folded) == 1 else lower if len(lower) == 1 else ch
        if len(self) < 65536:  # a bound, so hostile input cannot grow the table without end
            self[code] = value
        return value


_CHAR_FOLDS = _CharFolds()


def fold_text(text: str) -> str:
    """Lowercase, accent-free copy of `text` with the same length, so indexes carry over.

    A character whose fold is not one character ("ß" -> "ss", "ﬁ" -> "fi") is only lowercased,
    or kept when even its lowercase is not one character."""
    if text.isascii():
        return text.lower()
    return text.translate(_CHAR_FOLDS)


def name_key(name: str) -> str:
    """Case- and accent-insensitive key used to de-duplicate names ("J.Doe" and "j. doe" agree)."""
    return " ".join(fold_word(name).replace(".", ". ").split())


def word_key(text: str) -> str:
    """The text's words (\\w+ runs) in NFKC casefold, one space apart; accents are kept."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def alnum_key(text: str) -> str:
    """Only the letters and digits, casefolded: "Florida Today" and "floridatoday" agree."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def title_key(text: str) -> str:
    """NFKC casefold with curly quotes unified and other punctuation collapsed to single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SINGLE_QUOTES.sub("'", text)
    text = _DOUBLE_QUOTES.sub('"', text)
    return _NON_WORD.sub(" ", text).strip()


def match_key(value: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name: "JOSÉ  O'Brien." -> "jose o brien".

    The same function as newsarchive.research.records.match_key, kept here so the research side
    can import it from the one home of folding."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(stripped))
