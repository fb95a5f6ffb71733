"""Bytes to text like a careful browser, plus evidence: which charset was used, why, and whether the
HTTP header lost.

Order of trust, after the WHATWG encoding-sniffing rules: a BOM wins; then the charset the HTTP
header declared; then <meta charset> / <meta http-equiv>. A declared charset is only believed when
the bytes agree with it:

- Bytes that are valid UTF-8 and hold multi-byte sequences are UTF-8, whatever legacy charset a
  label names (windows-1251, windows-1252, ISO-8859-x, ...): text in a legacy charset almost never
  forms valid multi-byte UTF-8 by chance, while UTF-8 decoded as a single-byte charset is mojibake.
- A declared charset that cannot decode the bytes, or decodes them into clearly worse text than
  the next candidate (words mixing scripts, words made of accented letters only, C1 control
  characters, replacement characters), loses to that candidate.
- With no usable declaration, or when every declaration reads as mojibake, bytes are detected.

Latin-1 labels mean windows-1252, as browsers read them. Finally, text that was double-encoded
upstream ("Ã©" for "é") is repaired where the repair is unambiguous (repair_mojibake).

decide_charset() returns the decision with its evidence (codec, source, whether the header lost);
decode_html() is the short form.
"""
from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass

logger = logging.getLogger(__name__)

__all__ = ["CharsetDecision", "decide_charset", "decode_html", "repair_mojibake"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# Browsers decode these labels as windows-1252, which is a superset that maps 0x80-0x9F.
_WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii",
                                   "cp819", "ibm819", "iso-ir-100", "windows-1252", "cp1252", "x-cp1252"})
# A UTF-8 lead byte read as cp1252/latin-1, followed by one or more continuation bytes read so.
_CP1252_CONTINUATION = "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152" \
                       "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_PLAUSIBLE = re.compile("[\u00a0-\u024f\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]")
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CP1252_CONTINUATION}]{{1,3}}")
# Evidence is read from this much decoded text: enough words, bounded time.
_SAMPLE_CHARS = 100_000
# Runs of non-space characters that hold a non-ASCII one; only they can show a wrong charset.
# Tried only at word starts (the lookbehind), so a long run without spaces is scanned once.
_NON_ASCII_WORD = re.compile(r"(?<!\S)\S*?[^\s\x00-\x7f]\S*")
_EDGE_PUNCTUATION = "\"'()[]{}<>.,;:!?«»“”‘’„‚-–—…*/|"
_MAX_WORDS = 3000
_TAG = re.compile(r"<[^<>]*>")
_BAD_CHARS = re.compile("[\u0080-\u009f\ufffd]")


@dataclass(frozen=True)
class CharsetDecision:
    text: str
    codec: str  # the Python codec used
    source: str  # "bom", "header", "meta", "utf8-valid", "detected" or "default" (empty body)
    conflict: bool  # the HTTP header named a charset and lost to another


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; returns (text, the encoding used). Never raises."""
    decision = decide_charset(body, declared)
    return decision.text, decision.codec


def decide_charset(body: bytes, declared: str | None = None) -> CharsetDecision:
    """Decode an HTML page by the rules in the module doc, keeping the evidence. Never raises.

    `declared` is the charset label of the HTTP Content-Type header, or None."""
    header = _lookup(declared)
    if not body:
        return CharsetDecision("", "utf-8", "default", False)
    for bom, name in _BOMS:
        if body.startswith(bom):
            return CharsetDecision(_decode(body[len(bom):], name), name, "bom", bool(header) and header != name)
    meta = _lookup(_meta_charset(body))
    utf8 = _utf8_text(body)
    candidates = [(name, source) for name, source in ((header, "header"), (meta, "meta")) if name]
    if utf8 is not None and not body.isascii() and any(
            name != "utf-8" and _ascii_compatible(name) for name, _ in candidates):
        return _decided(utf8, "utf-8", "utf8-valid", header)
    decoded = []
    for name, source in candidates:
        if name == "utf-8":
            if utf8 is not None:
                decoded.append((utf8, name, source))
            continue  # declared UTF-8 but is not: the next candidate, or detection
        text = _decode_strict(body, name)
        if text is not None:
            decoded.append((text, name, source))
    if decoded:
        best = decoded[0]
        for other in decoded[1:]:
            if other[1] != best[1] and _clearly_better(other[0], best[0]):
                best = other
        # Strict UTF-8 cannot be a charset mix-up (double encoding is repaired later); a legacy
        # charset whose reading is mojibake lets detection compete.
        if best[1] != "utf-8" and badness(best[0]) >= 3:
            for hints in (None, []):
                text, name = _detect(body, hints=hints)
                if name != best[1] and _clearly_better(text, best[0]):
                    return _decided(text, name, "detected", header)
        return _decided(best[0], best[1], best[2], header)
    if utf8 is not None:
        return _decided(utf8, "utf-8", "utf8-valid", header)
    if candidates and not _lookup_is_multibyte(candidates[0][0]):
        # A single-byte label that could not decode every byte (undefined slots): still the best guess.
        name, source = candidates[0]
        return _decided(_decode(body, name), name, source, header)
    text, name = _detect(body)
    return _decided(text, name, "detected", header)


def _decided(text: str, codec: str, source: str, header: str | None) -> CharsetDecision:
    return CharsetDecision(text, codec, source, bool(header) and (source != "header" and codec != header))


def _utf8_text(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _ascii_compatible(name: str) -> bool:
    return not name.startswith(("utf-16", "utf_16", "utf-32", "utf_32"))


def _lookup_is_multibyte(name: str) -> bool:
    return name in {"gb18030", "big5", "big5hkscs", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949",
                    "iso2022_jp", "utf-8"} or not _ascii_compatible(name)


def _decode_strict(body: bytes, name: str) -> str | None:
    try:
        return body.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def badness(text: str) -> int:
    """Signs of a wrong charset in decoded text: words that mix scripts ("GrьЯe"), words of three or
    more letters that are all non-ASCII Latin ("Ïðèâåò"), symbols between letters ("Gr¸þe"), C1
    controls and replacement characters."""
    sample = _TAG.sub(" ", text[:_SAMPLE_CHARS])  # markup glues the words of neighbouring elements
    count = len(_BAD_CHARS.findall(sample))
    for seen, match in enumerate(_NON_ASCII_WORD.finditer(sample)):
        if seen >= _MAX_WORDS:
            break
        word = match.group().strip(_EDGE_PUNCTUATION)
        if not word or len(word) > 40:
            continue  # a run that long is no word (a URL, a data blob): it tells nothing
        letters = [ch for ch in word if ch.isalpha()]
        scripts = {_script(ch) for ch in letters}
        if len(scripts - {""}) > 1:
            count += 1
        elif scripts == {"latin"} and len(word) >= 3 and all(ord(ch) > 0x7f for ch in word):
            count += 1
        elif letters and any(_symbol_inside(word, i) for i in range(1, len(word) - 1)):
            count += 1
    return count


def _symbol_inside(word: str, i: int) -> bool:
    """A symbol or modifier letter between two letters: no language spells words so."""
    return (unicodedata.category(word[i]) in ("Sk", "Sm", "So", "Lm", "No", "Sc")
            and word[i - 1].isalpha() and word[i + 1].isalpha())


def _script(ch: str) -> str:
    """The script of a letter, "" for one outside the scripts that charsets mix up."""
    if ch.isascii():
        return "latin"
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI"):
        if name.startswith(script):
            return script.lower()
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")):
        return "cjk"  # Japanese mixes kanji and kana in one word, Korean hangul and hanja
    return ""


def _clearly_better(candidate: str, trusted: str) -> bool:
    """Whether a less-trusted decoding beats a more-trusted one by a margin, not by noise."""
    bad_trusted = badness(trusted)
    return bad_trusted >= 3 and badness(candidate) * 2 < bad_trusted


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as cp1252 ("â€™" -> "’", "Ã©" -> "é"), run by run."""
    if not _MOJIBAKE.search(text):
        return text

    def fix(match: re.Match) -> str:
        run = match.group()
        for codec in ("cp1252", "latin-1"):
            try:
                repaired = run.encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            # Only Latin letters and typographic punctuation: "Ü“" is German, not mangled Syriac.
            if all(_PLAUSIBLE.match(ch) for ch in repaired):
                return repaired
        return run

    return _MOJIBAKE.sub(fix, text)


def _lookup(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label, with browsers' aliases; None if unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    if label in {"gb2312", "gbk", "x-gbk"}:
        return "gb18030"  # superset; pages labelled gb2312 routinely use GBK characters
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name in {"utf-8", "utf_8"} else name


def _meta_charset(body: bytes) -> bytes | None:
    match = _META_CHARSET.search(body[:4096]) or _META_CHARSET.search(body[:65536])
    return match.group(1) if match else None


def _decode(body: bytes, name: str) -> str:
    try:
        return body.decode(name, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _detect(body: bytes, hints: list[str] | None = None) -> tuple[str, str]:
    """Guess the charset of bytes that declared none, or declared one they do not follow.

    By default UTF-8 and windows-1252 are tried first (the common cases); with `hints=[]` the
    statistical detector (charset-normalizer, through UnicodeDammit) decides."""
    from bs4.dammit import UnicodeDammit

    dammit = UnicodeDammit(body, ["utf-8", "windows-1252"] if hints is None else hints, is_html=True)
    if dammit.unicode_markup is not None and dammit.original_encoding:
        name = _lookup(dammit.original_encoding) or dammit.original_encoding
        logger.debug("detected charset %s", name)
        return dammit.unicode_markup, name
    return body.decode("utf-8", errors="replace"), "utf-8"
