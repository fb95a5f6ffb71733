"""Text every reader can take: what extraction returns and what the export stage writes.

A page is hostile input: a JSON-LD `"\\ud800"` escape decodes to a lone surrogate, which UTF-8 cannot
encode (the exporter would fail and the article would be lost), and control characters hide in meta
tags. Extraction (newsarchive.extract) makes its record encodable with these functions, and the export
stage applies them once more to whatever a site rule or another component added.
"""
from __future__ import annotations

import math
import re
from typing import Any

# C0 controls but tab, newline and carriage return; DEL; C1 controls. Invisible, and some (NUL) break the
# tools researchers feed records to: dropped. A lone surrogate stood for a character: U+FFFD marks it.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def encodable_text(text: str) -> str:
    """`text` that UTF-8 can encode and readers can show: lone surrogates replaced by U+FFFD (a surrogate
    pair split across two code points is joined back into its character), control characters dropped."""
    if text.isascii() and text.isprintable():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return CONTROL_CHARACTERS.sub("", text)


def encodable(value: Any) -> Any:
    """A record (or any part of one) with every string made encodable and every NaN/Infinity made None."""
    if isinstance(value, str):
        return encodable_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {encodable(key) if isinstance(key, str) else key: encodable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encodable(item) for item in value]
    return value
