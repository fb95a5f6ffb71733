"""Bytes to text: honor the BOM, the HTTP charset and the page's own <meta>, but check them.

Order of trust, after the WHATWG encoding-sniffing rules: a BOM wins; then the charset the HTTP
header declared; then <meta charset> / <meta http-equiv>. A declared charset is only believed when
the bytes agree with it: UTF-8 bytes labelled Latin-1 are decoded as UTF-8 (valid multi-byte UTF-8
almost never happens by chance), and bytes that are not valid in a declared UTF-8 fall back to
detection. Latin-1 labels mean windows-1252, as browsers read them. Finally, text that was
double-encoded upstream ("Ã©" for "é") is repaired where the repair is unambiguous.
"""
from __future__ import annotations

import codecs
import logging
import re

logger = logging.getLogger(__name__)

__all__ = ["decode_html", "repair_mojibake"]

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


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; returns (text, the encoding used). Never raises."""
    if not body:
        return "", "utf-8"
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _decode(body[len(bom):], name), name
    candidates = [c for c in (_lookup(declared), _lookup(_meta_charset(body))) if c]
    for name in candidates:
        if name == "utf-8":
            try:
                return body.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                continue  # declared UTF-8 but is not: detect below
        if name == "cp1252" and _is_utf8_with_multibyte(body):
            return body.decode("utf-8"), "utf-8"
        return _decode(body, name), name
    if _is_utf8(body):
        return body.decode("utf-8"), "utf-8"
    return _detect(body)


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


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8_with_multibyte(body: bytes) -> bool:
    return _is_utf8(body) and any(b >= 0x80 for b in body)


def _decode(body: bytes, name: str) -> str:
    try:
        return body.decode(name, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _detect(body: bytes) -> tuple[str, str]:
    """Guess the charset of bytes that declared none, or declared one they do not follow."""
    from bs4.dammit import UnicodeDammit

    dammit = UnicodeDammit(body, ["utf-8", "windows-1252"], is_html=True)
    if dammit.unicode_markup is not None and dammit.original_encoding:
        name = _lookup(dammit.original_encoding) or dammit.original_encoding
        logger.debug("detected charset %s", name)
        return dammit.unicode_markup, name
    return body.decode("utf-8", errors="replace"), "utf-8"
