"""What a URL says about its site, and URL paths in their RFC 3986 normal form."""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit


def site_of(url: str | None) -> str:
    """Host of a URL, lowercased, without a leading "www." ("" for a URL without one, or a broken one)."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


# RFC 3986 section 2.3: characters that mean the same percent-encoded or not.
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def normalize_path(path: str) -> str:
    """A URL path in RFC 3986 normal form: unreserved characters decoded, escapes in upper case, and dot
    segments removed (section 5.2.4), so '/x/%2e%2e/%2e%2e/private/a' is '/private/a', as a server sees it."""

    def unescape(match: re.Match) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in UNRESERVED else "%" + match.group(1).upper()

    return remove_dot_segments(_PERCENT_ESCAPE.sub(unescape, path))


def remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    segments = path.split("/")
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if len(kept) > 1 or (kept and kept[0] != ""):
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")  # '/a/b/..' names the folder '/a/'
    normalized = "/".join(kept)
    if path.startswith("/") and not normalized.startswith("/"):
        normalized = "/" + normalized
    return normalized


def with_normalized_path(url: str) -> str:
    """`url` with its path normalized (normalize_path); the rest untouched. A URL that does not parse is returned as is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = normalize_path(parts.path)
    return url if path == parts.path else urlunsplit(parts._replace(path=path))
