"""Where a captured page replays in pywb: <pywb>/<collection>/<14-digit timestamp>/<url>."""
from __future__ import annotations

import re

DEFAULT_PYWB = "http://127.0.0.1:8080"  # where `newsarchive replay` serves by default
DEFAULT_COLLECTION = "newsarchive"


def wayback_timestamp(iso: str) -> str:
    """'2026-11-01T08:01:00Z' -> '20261101080100' (the WARC-Date digits, as pywb writes them)."""
    digits = re.sub(r"\D", "", iso.split(".")[0].removesuffix("Z"))
    if len(digits) < 8:
        raise ValueError(f"not an ISO 8601 timestamp: {iso!r}")
    return digits[:14].ljust(14, "0")


def replay_url(url: str, fetched_at: str, *, pywb: str = DEFAULT_PYWB, collection: str = DEFAULT_COLLECTION) -> str:
    return f"{pywb.rstrip('/')}/{collection}/{wayback_timestamp(fetched_at)}/{url}"
