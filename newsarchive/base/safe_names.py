"""Names that become file and folder names: crawl ids, spider names, WARC file prefixes.

They come from arguments (`--crawl-id`, Scrapyd's `-a crawl_id=`), settings (`-s WARC_PREFIX=`) and
spider classes, and each becomes one path component under the archive (base/layout.py), so each must
be one harmless component: `../../x` or a name with a slash, a newline or a leading dot would write
outside the archive or break the tools that read it. Every place that builds a path from one checks
it here; the CLI turns UnsafeName into a one-line usage error (exit 2).
"""
from __future__ import annotations

import re

# A letter or digit first (no "..", no hidden files, no option-like "-x"), then letters, digits, . _ -
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


class UnsafeName(ValueError):
    """A name that cannot safely be one path component."""


def safe_name(value: object, what: str) -> str:
    """`value` when it is a safe path component; UnsafeName naming `what` otherwise."""
    text = "" if value is None else str(value)
    if not SAFE_NAME.fullmatch(text):
        raise UnsafeName(f"{what} {text!r} is not a safe name: use 1 to 128 letters, digits, '.', '_' or '-', "
                         "starting with a letter or digit")
    return text


def crawl_id(value: object) -> str:
    return safe_name(value, "crawl id")


def spider_name(value: object) -> str:
    return safe_name(value, "spider name")


def warc_prefix(value: object) -> str:
    return safe_name(value, "WARC_PREFIX")


def single_line(value: str, what: str) -> str:
    """`value` when it holds no control character (a newline in a crontab argument is a second job)."""
    if CONTROL_CHARACTER.search(value):
        raise UnsafeName(f"{what} must not contain control characters (newlines, tabs, escapes): {value!r}")
    return value
