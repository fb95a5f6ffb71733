"""What a URL says about its site."""
from __future__ import annotations

from urllib.parse import urlsplit


def site_of(url: str | None) -> str:
    """Host of a URL, lowercased, without a leading "www." ("" for a URL without one, or a broken one)."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host
