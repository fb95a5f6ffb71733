"""newsarchive: archive tech-news sites as WARC files and linked JSON article records.

The public API is three pure functions; the crawl, re-extraction from WARC and the
evaluation harness all call these same implementations.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["extract_article", "normalize_byline", "normalize_copyright", "__version__"]


def extract_article(body: bytes, url: str, *, encoding: str | None = None) -> dict:
    """The page-level fields of one article record (newsarchive.export.record.PageFields), offline.

    Never raises on bad HTML: it returns what it can.
    """
    from newsarchive.extract import extract_article as _extract

    return _extract(body, url, encoding=encoding)


def normalize_byline(raw: str) -> list[str]:
    """'By JANE DOE and John Smith, Staff Writers' -> ['Jane Doe', 'John Smith']."""
    from newsarchive.normalize.byline import normalize_byline as _normalize

    return _normalize(raw)


def normalize_copyright(raw: str) -> dict | None:
    """A copyright notice as {text, years, holder, all_rights_reserved, raw}; None if it is not one."""
    from newsarchive.normalize.copyright import normalize_copyright as _normalize

    return _normalize(raw)
