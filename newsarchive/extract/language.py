"""The language of an article, read from its cleaned text, with the page's declared language beside it.

Declared languages (html lang, og:locale, JSON-LD inLanguage) are often missing, a CMS-wide default, or
wrong, so `language` comes from the text itself: py3langid (a maintained, numpy-fast langid.py, the
identifier trafilatura uses) over the first SAMPLE_CHARS characters, with its normalized probability
as `language_confidence`. When the text is too short or the identifier unsure, `language` falls back to
the declared language's primary subtag; a site rule (the spider author's word) always wins.

Codes are ISO 639-1 where one exists ("en", "de"), lowercase, as langid.py reports them.
"""
from __future__ import annotations

import re
from functools import lru_cache

SAMPLE_CHARS = 2000  # about 300 words: accuracy stops improving, and huge texts cost no more
MIN_LETTERS = 40  # fewer letters than this is a caption, not a language sample
MIN_CONFIDENCE = 0.6  # below it the identifier is guessing (short, mixed or boilerplate text)
NOT_LANGUAGE = "zxx"  # the model's label for "no linguistic content"
LETTER_RE = re.compile(r"[^\W\d_]")
TAG_RE = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")


@lru_cache(maxsize=1)
def identifier():
    """The py3langid model, loaded once per process (about a second) on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str, float] | None:
    """(code, probability) of the text's language, or None when the text cannot tell."""
    sample = (text or "")[:SAMPLE_CHARS]
    if len(LETTER_RE.findall(sample)) < MIN_LETTERS:
        return None
    code, probability = identifier().classify(sample)
    if code == NOT_LANGUAGE or probability < MIN_CONFIDENCE:
        return None
    return code, round(float(probability), 4)


def primary_subtag(tag: str | None) -> str | None:
    """'en-US' -> 'en', 'pt_BR' -> 'pt', 'DE' -> 'de'; None for what is not a language tag."""
    match = TAG_RE.match((tag or "").strip())
    return match.group(1).lower() if match else None


def language_fields(text: str, declared: str | None, provenance: dict[str, str]) -> dict:
    """`language`, `language_declared` and `language_confidence` of a record.

    `provenance["language"]` names the source of `declared` on entry (extraction's order of sources);
    it moves to `provenance["language_declared"]`, and `provenance["language"]` becomes "text" when the
    language was identified from the text.
    """
    declared_source = provenance.pop("language", None)
    if declared_source:
        provenance["language_declared"] = declared_source
    fields = {"language": None, "language_declared": declared or None, "language_confidence": None}
    identified = None if declared_source == "site" else identify_language(text)
    if identified:
        fields["language"], fields["language_confidence"] = identified
        provenance["language"] = "text"
    elif primary_subtag(declared):
        fields["language"] = primary_subtag(declared)
        provenance["language"] = declared_source or "meta"
    return fields
