"""Refuse requests to addresses the crawl must not reach.

A crawler follows links that others wrote: a feed or a redirect can point it at a router's admin
page or a cloud metadata endpoint. The guard checks the host before the request leaves, and the
peer address again once the response arrives (a public name can resolve to a private address).

ADDRESS_GUARD:
  "public"   (default) refuse loopback, private, link-local and reserved targets
  "loopback" allow only 127.0.0.0/8 and ::1 (tests and the demo: nothing can leave the machine)
  "off"      no check
"""
from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

from newsarchive.base import stats

logger = logging.getLogger(__name__)

MODES = ("public", "loopback", "off")
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


class AddressRefused(IgnoreRequest):
    """The target address is outside what ADDRESS_GUARD allows."""


def _parse_ip(host: str):
    """The IP address a host names literally, or None for a name the resolver must look up.

    Besides dotted quads and IPv6 literals, the resolver reads the shorthand IPv4 forms of
    inet_aton ("2130706433", "0x7f000001", "127.1") as addresses: they are addresses here too,
    or a link could reach 127.0.0.1 under a disguise that looks like a name.
    """
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def address_allowed(host: str, mode: str) -> bool:
    """Whether a host name or IP literal may be contacted under `mode`.

    In "loopback" mode a name other than localhost is refused outright: resolving it could
    already reach a resolver on the network.
    """
    if mode == "off":
        return True
    host = (host or "").lower().rstrip(".")
    ip = _parse_ip(host)
    if mode == "loopback":
        return host in LOOPBACK_NAMES or (ip is not None and ip.is_loopback)
    if ip is None:
        return host not in LOOPBACK_NAMES
    return ip.is_global and not ip.is_multicast


class AddressGuardMiddleware:
    def __init__(self, mode: str, stats):
        if mode not in MODES:
            raise ValueError(f"ADDRESS_GUARD must be one of {MODES}, not {mode!r}")
        self.mode = mode
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        mode = crawler.settings.get("ADDRESS_GUARD")
        if mode == "off":
            raise NotConfigured
        return cls(mode, crawler.stats)

    def _refuse(self, url: str, where: str, spider):
        self.stats.inc_value(stats.error("address_refused"))
        logger.error("address guard (%s): refused %s %s", self.mode, where, url)
        raise AddressRefused(f"address guard ({self.mode}) refused {url}")

    def process_request(self, request, spider=None):
        host = urlsplit(request.url).hostname or ""
        if not address_allowed(host, self.mode):
            self._refuse(request.url, "host of", spider)
        return None

    def process_response(self, request, response, spider=None):
        peer = getattr(response, "ip_address", None)
        if peer is not None and not address_allowed(str(peer), self.mode):
            self._refuse(response.url, "peer address of", spider)
        return response
