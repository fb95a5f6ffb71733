"""Article text: clean inline strings, drop page chrome, join blocks with blank lines.

Pure functions. The body extractor yields blocks (paragraphs, headings, list items); these
functions make each block one clean line and decide which blocks are not article text:
share-button rows, newsletter prompts, "Advertisement", "Related:"/"Read more" teasers,
photo-credit lines, the byline and the copyright line.
"""
from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Iterable

from newsarchive.normalize.fold import word_key

__all__ = [
    "clean_inline", "clean_blocks", "join_blocks", "is_boilerplate", "is_photo_credit", "word_count",
    "text_digest",
]

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff]")
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_WORD = re.compile(r"\w+", re.UNICODE)

_AD_LABELS = frozenset({
    "advertisement", "advertisements", "advertising", "advertisment", "sponsored", "sponsored content",
    "ad", "ads", "anzeige", "werbung", "publicité", "publicidad", "pubblicità", "paid content",
    "story continues below advertisement", "article continues below advertisement",
    "continue reading below", "scroll to continue with content", "skip advertisement",
})
_SHARE_WORDS = frozenset({
    "share", "shares", "sharing", "tweet", "email", "e-mail", "mail", "print", "copy", "link", "copy link",
    "facebook", "twitter", "x", "linkedin", "whatsapp", "pinterest", "reddit", "flipboard", "telegram",
    "messenger", "comments", "comment", "save", "on", "this", "article", "story", "via", "the", "to",
    "url", "copied", "bookmark", "gift", "post", "pocket", "threads", "bluesky", "mastodon", "sms",
})
_TEASER = re.compile(
    r"^(?:related(?:\s+(?:articles?|stories|content|coverage|reading|posts?|news|links?))?|read\s+(?:more|also|next|this)"
    r"|more\s+(?:from|on|about|like\s+this|reading|stories|coverage)|see\s+also|also\s+(?:read|see|on)"
    r"|recommended(?:\s+(?:for\s+you|stories|reading))?|you\s+(?:may|might)\s+(?:also\s+)?like|further\s+reading"
    r"|trending(?:\s+now)?|don'?t\s+miss|editor'?s\s+picks?|most\s+(?:read|popular)|up\s+next|watch"
    r"|lesen\s+sie\s+auch|mehr\s+zum\s+thema|lire\s+aussi|à\s+lire\s+aussi|leer\s+más|leia\s+também|leggi\s+anche)"
    r"\s*(?:[:»>|→–—-]|$)",
    re.IGNORECASE)
_NEWSLETTER = re.compile(
    r"\b(?:newsletters?|sign\s*up|subscribe|subscription|inbox|unsubscribe|privacy\s+(?:policy|notice))\b",
    re.IGNORECASE)
_PHOTO_CREDIT = re.compile(
    r"^\(?\s*(?:photo|photos|photograph|image|images|picture|pictures|illustration|graphic|video|credit|credits"
    r"|foto|fotos|bild|quelle|source)(?:\s+(?:credit|by|courtesy(?:\s+of)?|source))?\s*[:|/©]",
    re.IGNORECASE)
_CREDITED_CAPTION = re.compile(
    r"\(\s*(?:photo|photos|foto|fotos|image|picture|credit|bild|imagen|imagem)\s*(?:credit\s*)?[:/©][^()]{1,80}\)\W*$",
    re.IGNORECASE)
_AGENCY_CREDIT = re.compile(
    r"(?:getty\s+images|shutterstock|istock(?:photo)?|afp|reuters|associated\s+press|\bap\b|epa|alamy|dpa"
    r"|bloomberg|imago|picture\s+alliance)(?:\s+via\s+[\w\s]+)?\)?\s*$",
    re.IGNORECASE)
_URL_LINE = re.compile(r"^(?:[^\W\d][\w ]{0,24}:\s*)?(?:https?://|www\.)\S+$", re.IGNORECASE)
# Cross-links that tabloids tag with a kind in brackets: "Plague fears grow [INSIGHT]".
_TAGGED_TEASER = re.compile(r"\[(?:[A-Z]+(?:\s[A-Z]+)?|Video|Pictures|Photos|Watch|Poll)\]\W*$")
_CALL_TO_ACTION = re.compile(
    r"^(?:click\s+here|get\s+(?:the\s+)?[\w\s]{0,30}\bapp\b|download\s+(?:the|our)\s+[\w\s]{0,30}\bapp\b"
    r"|see\s+more|order\s+reprints|this\s+copy\s+is\s+for\s+your\s+personal|follow\s+us\s+on"
    r"|an\s+error\s+(?:has\s+)?occurred|please\s+try\s+again\s+later|this\s+article\s+has\s+been\s+sent\s+to"
    r"|comments?\s+(?:are|have\s+been)\s+closed|log\s+in\s+to\s+comment|we\s+use\s+cookies)",
    re.IGNORECASE)
_UI_LINES = frozenset({"thank you", "thanks", "reprints", "loading", "close", "menu", "search", "back to top",
                       "skip to content", "skip to main content", "view comments", "show comments", "listen",
                       "listen to this article", "play", "pause", "next", "previous", "top"})
_COPYRIGHT_HINT = re.compile(r"[©ⓒⒸ]|\(c\)\s*(?:19|20)\d\d|\bcopyright\b|all\s+rights\s+reserved", re.IGNORECASE)


def clean_inline(text: str | None) -> str:
    """One line: NFC, no zero-width or soft hyphens, NBSP and other spaces to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def join_blocks(blocks: Iterable[str]) -> str:
    """Paragraphs and headings separated by one blank line."""
    return "\n\n".join(b for b in blocks if b)


def word_count(text: str | None) -> int:
    """Words as \\w+ runs."""
    return len(_WORD.findall(text or ""))


def text_digest(text: str | None) -> str:
    """'sha1:' + base32 SHA-1 of the UTF-8 text, the form WARC payload digests use."""
    digest = hashlib.sha1((text or "").encode("utf-8")).digest()
    return "sha1:" + base64.b32encode(digest).decode("ascii")


def is_photo_credit(line: str) -> bool:
    """A caption credit ("Photo: Jane Doe/Getty Images", "Image credit: ACME"), or a caption ending in one."""
    words = word_count(line)
    if words <= 40 and _CREDITED_CAPTION.search(line):
        return True
    if words > 20:
        return False
    if _PHOTO_CREDIT.match(line):
        return True
    return words <= 8 and bool(_AGENCY_CREDIT.search(line)) and ("/" in line or "(" in line or words <= 3)


# Chrome is short: every rule below is for lines of a few dozen words at most. A longer block is
# text, and skipping the rules keeps the time per block bounded for pathological input.
_MAX_CHROME_CHARS = 2000


def is_boilerplate(line: str) -> bool:
    """Whether a cleaned block is page chrome rather than article text."""
    if len(line) > _MAX_CHROME_CHARS:
        return False
    folded = line.casefold().strip(" .:!•|·-–—>»")
    if not folded:
        return True
    if folded in _AD_LABELS or folded in _UI_LINES:
        return True
    if _URL_LINE.match(line.strip()) or _CALL_TO_ACTION.match(folded):
        return True
    if _TAGGED_TEASER.search(line) and len(folded.split()) <= 25:
        return True
    words = folded.split()
    if len(words) <= 8 and all(w.strip(",:|·•/()") in _SHARE_WORDS for w in words if w.strip(",:|·•/()")):
        return True
    if len(words) <= 25 and _TEASER.match(folded):
        return True
    if len(words) <= 30 and _NEWSLETTER.search(folded) and not folded.endswith(('"', "”")) and _is_prompt(folded):
        return True
    return is_photo_credit(line)


def _is_prompt(folded: str) -> bool:
    """A call to action ("Sign up for our newsletter") rather than a sentence about newsletters."""
    return bool(re.search(
        r"^(?:sign\s*up|subscribe|get\s+(?:the|our)|enter\s+your|by\s+signing\s+up|thanks?\s+(?:you\s+)?for"
        r"\s+(?:signing|subscribing)|want\s+more|never\s+miss|stay\s+(?:informed|up\s+to\s+date))"
        r"|\bsign\s*up\s*(?:now|today|here)?\W*$|\bsubscribe\s*(?:now|today|here)?\W*$",
        folded))


def clean_blocks(blocks: Iterable[str], *, title: str | None = None, byline: str | None = None,
                 authors: Iterable[str] = (), is_copyright=None) -> list[str]:
    """Clean each block and drop chrome, a leading repeat of the title, the byline and copyright lines.

    `is_copyright(line) -> bool` decides copyright lines (the copyright normalizer), so this
    module need not know notice syntax; without it, lines starting with a sign are dropped.
    """
    byline_key = word_key(byline) if byline else None
    author_keys = {word_key(a) for a in authors if a}
    title_key = word_key(title) if title else None
    kept: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        line = clean_inline(block)
        if not line or is_boilerplate(line):
            continue
        key = word_key(line)
        if title_key and len(kept) < 2 and key == title_key:
            continue  # the headline is the title field, not body text
        if byline_key and (key == byline_key or (len(key) < 2 * len(byline_key) + 10 and byline_key in key
                                                 and word_count(line) <= 15)):
            continue
        if author_keys and _is_byline_line(key, author_keys):
            continue
        if len(line) <= _MAX_CHROME_CHARS and _COPYRIGHT_HINT.search(line) and word_count(line) <= 40:
            if is_copyright(line) if is_copyright else line.lstrip().startswith(("©", "ⓒ")):
                continue
        # A block repeated verbatim (pull quote, sticky caption) is kept once.
        if key in seen and word_count(line) <= 40:
            continue
        seen.add(key)
        kept.append(line)
    return kept


def _is_byline_line(key: str, author_keys: set[str]) -> bool:
    """A short line that is "By <author>" plus a date or role, nothing more."""
    words = key.split()
    if len(words) > 14 or not words:
        return False
    starts_by = words[0] in {"by", "von", "par", "por", "di", "door", "af", "av"}
    mentions = [a for a in author_keys if a and a in key]
    if not mentions:
        return False
    covered = sum(len(a.split()) for a in mentions)
    return starts_by or covered >= len(words) - 2
