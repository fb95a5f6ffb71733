"""Name what is wrong with a fetched page's bytes, cheaply, so the crawl report can count bad input.

These checks do not decide how a page is decoded or parsed (extraction does that, and repairs
what it can); they only say that the input needed repair, so an archivist can see a site
serving broken pages. They scan bytes without parsing, to keep the per-page cost near zero.
"""
from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"RIFF", b"\x00\x00\x00")


def looks_binary(body: bytes) -> bool:
    """Images, archives and the like served as text/html: a file signature, or mostly control bytes.

    A stray NUL inside otherwise readable markup is broken HTML, not a binary file.
    """
    head = body[:2048]
    if head.startswith(_MAGIC):
        return True
    return bool(head) and len(_CONTROL.findall(head)) > len(head) // 10


def _decodes(body: bytes, charset: str) -> bool:
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    try:
        body.decode(charset)
    except UnicodeDecodeError:
        return False
    return True


def charset_problem(body: bytes, header_charset: str | None) -> str | None:
    """"missing_charset" when nothing declares the charset of non-ASCII text; "wrong_charset"
    when the declared one cannot decode the bytes. None when all is well."""
    if body.startswith(_BOMS):
        return None
    declared = header_charset
    if not declared:
        match = _META_CHARSET.search(body[:4096])
        declared = match.group(1).decode("ascii", "replace") if match else None
    if not declared:
        return "missing_charset" if not body.isascii() else None
    if declared.lower().replace("_", "-") in ("iso-8859-1", "latin-1", "us-ascii", "ascii"):
        # Browsers read these as windows-1252, which decodes (nearly) any byte: judge by UTF-8 look-alikes.
        return "wrong_charset" if not body.isascii() and _decodes(body, "utf-8") else None
    return None if _decodes(body, declared) else "wrong_charset"


def markup_problem(body: bytes) -> str | None:
    """"broken_html" for control characters in the markup or a document that never closes."""
    head, tail = body[:65536], body[-4096:].lower()
    if _CONTROL.search(head):
        return "broken_html"
    if b"</html" not in tail and b"</body" not in tail and b"<html" in head.lower():
        return "broken_html"
    return None


def page_problems(body: bytes, header_charset: str | None) -> list[str]:
    return [p for p in (charset_problem(body, header_charset), markup_problem(body)) if p]
