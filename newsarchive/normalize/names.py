"""Casing of personal names: "JANE O'BRIEN-MCDONALD" -> "Jane O'Brien-McDonald".

Only names written entirely in capitals or entirely in lowercase are re-cased: a name with
mixed case was written that way on purpose ("danah boyd" aside, "DeShawn", "ET Online") and is
kept as written.
"""
from __future__ import annotations

import re

from newsarchive.normalize.fold import fold_text, name_key  # noqa: F401  (re-exported)

# Lowercase name particles when not the first word: "Alejandro de la Garza", "Jan van der Berg".
PARTICLES = frozenset({
    "de", "la", "le", "du", "des", "del", "della", "delle", "dello", "dei", "degli", "di", "da",
    "das", "dos", "do", "van", "von", "der", "den", "ter", "ten", "te", "zu", "zur", "und", "y",
    "e", "i", "af", "av", "bin", "binti", "bint", "ibn", "al", "el", "op", "het", "'t",
})

# "Mac" surnames that are safely MacX. Elsewhere "Mac" is left alone: Mack, Macy, Machado,
# Macias and Macaulay are all ordinary names that a blind rule would break.
MAC_SURNAMES = frozenset({
    "macarthur", "macdonald", "macdonnell", "macdougall", "macdowell", "macfarlane", "macgregor",
    "macgillivray", "macinnes", "macintyre", "macisaac", "mackay", "mackenzie", "mackinnon",
    "mackintosh", "maclachlan", "maclaren", "maclean", "maclennan", "macleod", "macmillan",
    "macnamara", "macneil", "macneill", "macpherson", "macquarrie", "macrae", "macsween",
    "macalister", "macallister", "macaskill", "macbride", "maccormack", "maccallum", "macdermott",
    "macewan", "macewen", "macfadyen", "macgowan", "machale", "mackinlay", "maclaughlin",
    "maclellan", "macmahon", "macmanus", "macnally", "macnaughton", "macneal", "macphail",
    "macquarie", "macready", "macritchie", "mactavish", "macwilliams",
})

# Generational suffixes and roman numerals stay in capitals: "John Smith III".
_ROMAN = re.compile(r"^(?:i{1,3}|iv|v|vi{0,3}|ix|x)$", re.IGNORECASE)
_VOWELS = set("aeiouyäöüàáâãåèéêëìíîïòóôõøùúûýÿæœ")


def needs_recasing(name: str) -> bool:
    """True when a name is written all in capitals or all in lowercase (and has letters)."""
    letters = [ch for ch in name if ch.isalpha() and ch.lower() != ch.upper()]
    if not letters:
        return False
    return all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters)


def _upper(word: str) -> str:
    """Upper case letter by letter, leaving letters whose capital is two characters ("ß", "ῶ")."""
    return "".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in word)


def _cap(part: str) -> str:
    """Capitalise one name part with Mc/Mac/O'/D' rules; `part` is lowercase."""
    if not part:
        return part
    if len(part) > 3 and part.startswith("mc"):
        return "Mc" + _cap(part[2:])
    if part in MAC_SURNAMES:
        return "Mac" + _cap(part[3:])
    match = re.match(r"^([a-z])(['’])(\w.*)$", part)
    if match:  # O'Brien, D'Angelo, L'Heureux
        return match.group(1).upper() + match.group(2) + _cap(match.group(3))
    first = part[0].upper()
    return (first if len(first) == 1 else part[0]) + part[1:]  # "ß".upper() is "SS"


def _case_word(word: str, first: bool, last: bool = False) -> str:
    """Case one space-separated word of a name; particles are lowercase only inside it."""
    lower = word.lower()
    bare = lower.strip(".,")
    if not first and not last and bare in PARTICLES:
        return lower
    if _ROMAN.match(bare) and not first:
        return _upper(word)
    if re.fullmatch(r"(?:\w\.)+\w?\.?", lower):  # initials: "s.a." -> "S.A."
        return _upper(lower)
    if len(bare) >= 3 and bare.isalpha() and not (set(bare) & _VOWELS):
        return _upper(word)  # vowel-less acronyms: "NBC", "CNN"
    # Hyphenated and apostrophe'd parts are each capitalised: "Chien-Ming", "Tremayne-Pengelly".
    return "-".join(_cap(p) for p in lower.split("-"))


def recase_name(name: str) -> str:
    """Proper case for an all-caps or all-lowercase name; other names are returned as written."""
    if not needs_recasing(name):
        return name
    words = name.split()
    if len(words) == 1 and name.isupper() and len(name) <= 4:
        return name  # a lone short capitalised word is an acronym: "FR", "NDR", "SZ"
    return " ".join(_case_word(w, i == 0, i == len(words) - 1) for i, w in enumerate(words))
