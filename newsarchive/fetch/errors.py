"""Name the kind of a failed fetch, so crawl.json can count errors by kind and logs say what broke."""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_error
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from newsarchive.fetch.address_policy import AddressRefused, SchemeRefused
from newsarchive.fetch.resolver import installed_resolver
from newsarchive.fetch.replay import ReplayMiss


def classify_failure(failure) -> str:
    """A short, stable name for what went wrong with a request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}" if status in (403, 404, 410, 429) else f"http_{status // 100}xx"
    if isinstance(exc, AddressRefused):
        return "address_refused"
    if isinstance(exc, SchemeRefused):
        return "scheme_refused"
    if isinstance(exc, ReplayMiss):  # replay mode: the archive has no capture of the URL
        return "replay_miss"
    if isinstance(exc, IgnoreRequest):
        message = str(exc).lower()
        if "robots.txt" in message:
            return "robots_forbidden"
        if "redirection" in message:
            return "redirect_loop"
        if "maxsize" in message or "max size" in message:
            return "decompression_bomb" if "decompress" in message else "too_large"
        return "ignored"
    if isinstance(exc, (net_error.TimeoutError, net_error.TCPTimedOutError)) or "timeout" in type(exc).__name__.lower():
        return "timeout"
    if isinstance(exc, (net_error.DNSLookupError, CannotResolveHostError)):
        return "address_refused" if refused_at_connection(failure) else "dns"
    if isinstance(exc, (net_error.ConnectionRefusedError, net_error.ConnectError)):
        return "connection_refused"
    if isinstance(exc, (ResponseFailed, ResponseNeverReceived, net_error.ConnectionLost, net_error.ConnectionDone)):
        return "connection_lost"
    if type(exc).__name__ in ("CancelledError", "DownloadCancelledError"):  # Scrapy 2.14+ names it so
        return "too_large"
    return type(exc).__name__.lower()


def refused_at_connection(failure) -> bool:
    """A failed look-up that was the GuardedResolver refusing the address (fetch/resolver.py)."""
    resolver = installed_resolver()
    request = getattr(failure, "request", None)
    if resolver is None or request is None:
        return False
    try:
        host = (urlsplit(request.url).hostname or "").lower()
    except ValueError:
        return False
    return host in resolver.refused
