"""What a URL says about its site, the one normalized form of an article's URL, and URL paths in their
RFC 3986 normal form.

`normalize_url` is the form discovery requests and the state store keys on (docs/architecture.md,
"Canonical URLs"): the same article linked as `…?utm_source=rss`, `…#comments` or `HTTP://WWW.Site.COM:80/…`
is one URL, fetched and recorded once. `canonical_url` is the record's `canonical_url` field: what the
page declares when that is on the same site, else the normalized fetched URL. `normalize_path` is what
the fetch stage applies to every request (fetch/path_normalize.py): dot segments, even percent-encoded,
never reach robots.txt rules or a server un-resolved.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only say how a reader arrived (campaign, click and mail tracking): never what
# the page shows. An explicit list, not a pattern: `?ref=`, `?source=` or `?id=` select content on many
# sites, so only names that are tracking everywhere go.
TRACKING_PREFIXES = ("utm_", "mtm_", "hsa_")
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "twclid", "ttclid",
    "li_fat_id", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "vero_conv", "wickedid", "rb_clickid", "s_kwcid", "ref_src", "ref_url",
    "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content", "cmpid", "ncid", "sr_share", "at_medium",
    "at_campaign", "spm", "xtor",
})
DEFAULT_PORTS = {"http": 80, "https": 443}


def site_of(url: str | None) -> str:
    """Host of a URL, lowercased, without a leading "www." ("" for a URL without one, or a broken one)."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """The one form of a URL that names the same page however it was linked.

    Scheme and host lowercased, the scheme's default port dropped, the fragment dropped, tracking
    parameters (TRACKING_PARAMETERS, `utm_*`…) removed, the other parameters sorted and
    percent-encoding made uniform (w3lib's canonicalize_url, as Scrapy's own request fingerprints),
    an empty path made "/". A string that is not an http(s) URL comes back unchanged.
    """
    try:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
            return url
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                           if not is_tracking_parameter(k)])
        parts = urlsplit(canonicalize_url(urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))))
        scheme = parts.scheme.lower()
        netloc = parts.netloc.lower().rsplit("@", 1)[-1]  # credentials in a link are never part of a page's name
        if parts.port == DEFAULT_PORTS[scheme]:
            netloc = netloc.rsplit(":", 1)[0]
        return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    except ValueError:  # a broken port or IPv6 literal: leave it to the fetch stage to reject
        return url


@lru_cache(maxsize=1)
def _suffix_list():
    import tldextract

    # The public suffix list snapshot bundled with tldextract: never fetched over the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """'news.bbc.co.uk' -> 'bbc.co.uk' (public suffix list); a host without a known suffix (an IP
    address, localhost, a .test name) stands for itself, less a leading "www."."""
    host = host.lower().rstrip(".")
    parts = _suffix_list()(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    return host.removeprefix("www.")


def same_site(a: str, b: str) -> bool:
    """Do two URLs belong to one site (the same registrable domain: www., m. and news. hosts count)?"""
    try:
        host_a, host_b = urlsplit(a).hostname, urlsplit(b).hostname
    except ValueError:
        return False
    return bool(host_a and host_b) and registrable_domain(host_a) == registrable_domain(host_b)


def canonical_url(fetched: str, declared: str | None) -> str:
    """The record's canonical URL: `declared` (<link rel=canonical>, og:url or JSON-LD, made absolute)
    when it is an http(s) URL on the fetched page's site, normalized; else the normalized fetched URL.

    A canonical on another site (syndication partners, a CMS copied between sites) or one naming the
    site's front page from a deeper page (a common CMS default) does not name this article.
    """
    if declared and declared != fetched:
        normalized = normalize_url(declared)
        if normalized.startswith(("http://", "https://")) and same_site(normalized, fetched):
            if urlsplit(normalized).path != "/" or urlsplit(normalize_url(fetched)).path == "/":
                return normalized
    return normalize_url(fetched)


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
